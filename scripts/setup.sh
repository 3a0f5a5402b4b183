#!/usr/bin/env bash
# Installs the Debian 12 packages Saccade needs (only those missing) and builds it (Release, all cores).
# Idempotent: a second run with nothing changed takes seconds.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SACCADE_BUILD_DIR:-"$root/build"}

packages=(
    cmake ninja-build pkg-config g++
    qt6-base-dev qt6-base-dev-tools libgl-dev
    libqcustomplot-dev
    libtorch-dev libopenblas0-openmp
    libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
    ffmpeg
    xvfb xauth
    # tests/packaging: dpkg-shlibdeps for the Depends line, validators for the desktop file, metainfo, man pages
    dpkg-dev desktop-file-utils appstream groff-base
    # tests/batch: a single-node Slurm cluster for the batch pre-labeling test
    slurmctld slurmd slurm-client munge
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build_dir" --parallel "$(nproc)"
