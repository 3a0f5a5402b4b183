#!/usr/bin/env bash
# Regenerates the README's screenshots in docs/screenshots/: the main window on the demo video while
# the model analyses it, then the attention explorer with a patch picked on the frame (its spatial row,
# temporal heat map and bars) and the pointer over a cell of the layers x heads grid. Needs xvfb-run,
# ImageMagick and xdotool. Uses the demo model when it has been trained,
# else a demo-sized model with random weights (the attention then shows the untrained network).
#   scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
program="$build/app/gui/saccade"
out="$root/docs/screenshots"
settle="${SACCADE_SCREENSHOT_WAIT:-40}"
[ -x "$program" ] || { echo "screenshots: $program is not built" >&2; exit 1; }
command -v xvfb-run >/dev/null && command -v import >/dev/null && command -v xdotool >/dev/null ||
    { echo "screenshots: needs xvfb-run, ImageMagick and xdotool (apt-get install xvfb imagemagick xdotool)" >&2; exit 1; }

model=demo
if [ ! -e "${SACCADE_DATA_DIR:-$root/resources}/models/demo" ]; then
    model=random:demo
fi
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Own settings so the user's window layout is neither used nor changed; the demo video cache is shared.
export XDG_CONFIG_HOME="$work/config"
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
    "$1" --model "$2" &
    pid=$!
    sleep "$3"
    # Frame 200 is half way through a clockwise turn: the attention has an actor to look at.
    xdotool mousemove 560 662 click --repeat 3 1 type --delay 50 "200"
    xdotool key Return
    sleep 10
    import -window root "$4/full.png"
    # A patch left of the frame centre (first-run layout of a 1400x900 window), then wait for the
    # full attention of the window and point at a cell of the grid (layer 1, head 2).
    xdotool mousemove 600 250 click 1
    sleep 15
    xdotool mousemove 111 321
    sleep 2
    import -window root "$4/explorer.png"
    kill "$pid"
    wait "$pid" || true
' screenshots "$program" "$model" "$settle" "$work"
convert "$work/full.png" -crop 1400x900+0+0 +repage -resize 1000x -colors 128 -strip "$out/main-window.png"
convert "$work/explorer.png" -crop 1400x900+0+0 +repage -resize 1200x -colors 192 -strip "$out/attention-explorer.png"
echo "screenshots: wrote $out/main-window.png and $out/attention-explorer.png"
