#!/usr/bin/env bash
# Builds Saccade (installing what is missing) and runs the whole test suite.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SACCADE_BUILD_DIR:-"$root/build"}

"$root/scripts/setup.sh"
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "$@"
