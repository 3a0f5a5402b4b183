#!/bin/sh
# Builds the Debian package of a built tree with CPack and checks it as apt would see it: the control
# fields and runtime dependencies, every file at its standard path, the bundled data, the desktop file,
# AppStream metadata and man pages, and that the programs unpacked from it start and find their data
# beside them (not in the source tree).
#   check-deb.sh BUILD_DIR SOURCE_DIR VERSION
# Exit status 77 (a skip for CTest) without dpkg-deb.
set -eu

if [ $# -ne 3 ]; then
    echo "usage: check-deb.sh BUILD_DIR SOURCE_DIR VERSION" >&2
    exit 2
fi
build=$1
source=$2
version=$3

if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "dpkg-deb is not installed: no Debian package to check"
    exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    echo "FAIL: cpack -G DEB did not build the package" >&2
    exit 1
fi
deb="$work/out/saccade_${version}_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
    ls "$work/out" >&2
    echo "FAIL: cpack did not write $(basename "$deb")" >&2
    exit 1
fi
echo "built $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

# Control fields.
dpkg-deb --info "$deb" >"$work/info.txt"
field() { sed -n "s/^ $1: //p" "$work/info.txt"; }
[ "$(field Package)" = saccade ] || fail "Package is '$(field Package)', not saccade"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
echo "Depends: $depends"
# The package names alone, one a line ("libqt6core6 (>= 6.4.0)" -> "libqt6core6").
printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' >"$work/depends.txt"
# Qt 6, QCustomPlot, LibTorch, OpenBLAS, FFmpeg 5.1 and the C++ runtime, by their Debian 12 names.
for package in libqt6core6 libqt6gui6 libqt6widgets6 libqcustomplot2.1-qt6 libtorch1.13 \
    libopenblas0-openmp libavformat59 libavcodec59 libswscale6 libavutil57 libstdc++6 libc6; do
    grep -qxF "$package" "$work/depends.txt" || fail "Depends does not name $package"
done

# Files at their standard paths.
dpkg-deb --contents "$deb" | awk '{ print $1, $NF }' >"$work/contents.txt"
has() { grep -q " ./usr/$1\$" "$work/contents.txt"; }
for path in bin/saccade bin/saccade-cli; do
    grep -Eq "^-rwxr-xr-x ./usr/$path\$" "$work/contents.txt" || fail "no executable /usr/$path"
done
for path in share/applications/saccade.desktop share/mime/packages/saccade.xml \
    share/metainfo/io.github.saccade.Saccade.metainfo.xml share/icons/hicolor/scalable/apps/saccade.svg \
    share/man/man1/saccade.1.gz share/man/man1/saccade-cli.1.gz share/doc/saccade/copyright \
    share/doc/saccade/changelog.gz share/saccade/; do
    has "$path" || fail "no /usr/$path"
done
# Bundled data: everything under resources/models and every label map, without training checkpoints.
if [ -d "$source/resources" ]; then
    (cd "$source/resources" && find . -type f ! -path '*/checkpoint/*' ! -name CMakeLists.txt ! -path './icons/*') |
        while IFS= read -r file; do
            has "share/saccade/${file#./}" || echo "/usr/share/saccade/${file#./}"
        done >"$work/missing.txt"
    [ ! -s "$work/missing.txt" ] || fail "bundled data missing from the package: $(tr '\n' ' ' <"$work/missing.txt")"
fi
grep -Eq '/checkpoint/|CMakeLists.txt' "$work/contents.txt" && fail "the package holds checkpoints or build files"
echo "$(wc -l <"$work/contents.txt") entries"

# What desktops read, checked by their own validators when those are installed.
dpkg-deb -x "$deb" "$work/root"
usr="$work/root/usr"
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$usr/share/applications/saccade.desktop" >"$work/desktop.txt" 2>&1 || true
    if [ -s "$work/desktop.txt" ]; then
        cat "$work/desktop.txt" >&2
        fail "desktop-file-validate reports problems"
    fi
else
    echo "desktop-file-validate is not installed: desktop file not validated"
fi
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net "$usr/share/metainfo/io.github.saccade.Saccade.metainfo.xml" \
        >"$work/appstream.txt" 2>&1 || { cat "$work/appstream.txt" >&2; fail "appstreamcli validate fails"; }
else
    echo "appstreamcli is not installed: metainfo not validated"
fi
grep -q "<release version=\"$version\"" "$usr/share/metainfo/io.github.saccade.Saccade.metainfo.xml" ||
    fail "the metainfo has no release $version"
for page in saccade saccade-cli; do
    gzip -t "$usr/share/man/man1/$page.1.gz" || fail "$page.1.gz is not gzip"
    if command -v groff >/dev/null 2>&1; then
        zcat "$usr/share/man/man1/$page.1.gz" | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z 2>"$work/groff.txt" ||
            fail "groff cannot format $page.1"
        [ ! -s "$work/groff.txt" ] || { cat "$work/groff.txt" >&2; fail "groff warns about $page.1"; }
    fi
done
# The CLI page documents every command the program lists.
QT_QPA_PLATFORM=offscreen "$usr/bin/saccade-cli" --help 2>"$work/stderr.txt" |
    awk '/^Commands:$/ { listing = 1; next } listing && /^$/ { exit }
         listing && /^  [^ ]/ { entry = substr($0, 3); sub(/  +.*$/, "", entry); print entry }' >"$work/commands.txt"
[ -s "$work/commands.txt" ] || fail "the packaged saccade-cli --help lists no commands"
while IFS= read -r command; do
    zcat "$usr/share/man/man1/saccade-cli.1.gz" | grep -qF ".SS \"$command\"" ||
        fail "saccade-cli.1 does not describe '$command'"
done <"$work/commands.txt"

# The unpacked programs run and read their data beside them: share/saccade of their own prefix.
unset SACCADE_DATA_DIR
"$usr/bin/saccade-cli" --version | grep -q "saccade-cli $version" || fail "saccade-cli --version"
QT_QPA_PLATFORM=offscreen "$usr/bin/saccade" --version 2>"$work/stderr.txt" | grep -q "$version" ||
    { cat "$work/stderr.txt" >&2; fail "saccade --version"; }
if [ -d "$usr/share/saccade/models/demo" ]; then
    "$usr/bin/saccade-cli" info demo >"$work/info-demo.txt" 2>&1 ||
        { cat "$work/info-demo.txt" >&2; fail "the packaged demo model does not load"; }
else
    # No demo model yet: the error must point into the package's data folder, not the source tree.
    if "$usr/bin/saccade-cli" info demo >"$work/info-demo.txt" 2>&1; then
        fail "saccade-cli info demo succeeded without a packaged demo model"
    fi
    grep -qF "$usr/share/saccade/models/demo" "$work/info-demo.txt" ||
        { cat "$work/info-demo.txt" >&2; fail "saccade-cli looks for the demo model outside its package"; }
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "package checks passed"
