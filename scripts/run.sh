#!/usr/bin/env bash
# Builds Saccade (installing what is missing) and runs its main job on the bundled demo.
# Without a display it runs the headless equivalent with saccade-cli.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SACCADE_BUILD_DIR:-"$root/build"}

"$root/scripts/setup.sh"

cli="$build_dir/app/cli/saccade-cli"
demo_dir="$build_dir/demo"
demo_video="$demo_dir/sample.mp4"
mkdir -p "$demo_dir"
if [ ! -f "$demo_video" ]; then
    echo "run: generating a sample video at $demo_video"
    ffmpeg -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=10" \
        -c:v libx264 -pix_fmt yuv420p -g 60 "$demo_video"
fi

echo "run: no GUI yet; running the headless pipeline on $demo_video"
"$cli" probe "$demo_video"
"$cli" frames "$demo_video" --at 0,150,299 --out "$demo_dir/frames"
echo "run: frames written to $demo_dir/frames"
