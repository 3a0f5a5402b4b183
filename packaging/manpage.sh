#!/bin/sh
# Writes a gzipped man page from a template (packaging/*.1.in) and the program's own help, so that the
# options it lists are exactly those the program accepts.
#   manpage.sh PROGRAM TEMPLATE OUTPUT.gz DATE VERSION
# In the template @DATE@ and @VERSION@ are replaced, a line @OPTIONS@ becomes the program's options and a
# line @COMMANDS@ one subsection per command ("PROGRAM COMMAND --help") of a program with commands.
set -eu

if [ $# -ne 5 ]; then
    echo "usage: manpage.sh PROGRAM TEMPLATE OUTPUT.gz DATE VERSION" >&2
    exit 2
fi
program=$1
template=$2
output=$3
date=$4
version=$5
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$program")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Both programs start a Qt application; printing help needs no display.
QT_QPA_PLATFORM=offscreen
export QT_QPA_PLATFORM

# Prints PROGRAM ARGS... --help to FILE; what the program says on stderr is shown only when it fails.
help_of() {
    file=$1
    shift
    if ! "$program" "$@" --help >"$file" 2>"$work/stderr.txt"; then
        cat "$work/stderr.txt" >&2
        echo "manpage.sh: '$program $* --help' failed" >&2
        exit 1
    fi
}

help_of "$work/help.txt"

if grep -q '^@OPTIONS@$' "$template"; then
    awk -v command= -v program="$name" -f "$here/helptoroff.awk" "$work/help.txt" >"$work/options.roff"
fi

if grep -q '^@COMMANDS@$' "$template"; then
    # The entries of "Commands:": a name of one or two words, two or more spaces, a summary.
    awk '/^Commands:$/ { listing = 1; next }
         listing && /^$/ { exit }
         listing && /^  [^ ]/ { entry = substr($0, 3); sub(/  +.*$/, "", entry); print entry }' \
        "$work/help.txt" >"$work/commands.txt"
    if [ ! -s "$work/commands.txt" ]; then
        echo "manpage.sh: '$program --help' lists no commands" >&2
        exit 1
    fi
    : >"$work/commands.roff"
    while IFS= read -r command; do
        # Two-word commands ("bench decode") are two arguments.
        # shellcheck disable=SC2086
        help_of "$work/command.txt" $command
        awk -v command="$command" -v program="$name" -f "$here/helptoroff.awk" "$work/command.txt" \
            >>"$work/commands.roff"
    done <"$work/commands.txt"
fi

# The template's own comments (lines starting with .\") are not copied.
awk -v date="$date" -v version="$version" -v work="$work" '
    function include(file, line) {
        while ((getline line < file) > 0)
            print line
        close(file)
    }
    /^\.\\"/ { next }
    $0 == "@OPTIONS@" { include(work "/options.roff"); next }
    $0 == "@COMMANDS@" { include(work "/commands.roff"); next }
    { gsub(/@DATE@/, date); gsub(/@VERSION@/, version); print }
' "$template" >"$work/page.1"

# Debian compresses man pages with gzip -9, without a name or time stamp so the output is reproducible.
gzip -9n <"$work/page.1" >"$output.tmp"
mv "$output.tmp" "$output"
