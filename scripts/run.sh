#!/usr/bin/env bash
# Builds Saccade (installing what is missing) and runs its main job: the GUI on the bundled demo video with
# the bundled demo model. Without a display (or with SACCADE_HEADLESS=1) it runs the headless equivalent with
# saccade-cli: render the demo video, analyse it with the demo model, propose segments, write attention maps
# and export a dataset. SACCADE_MODEL=PATH picks another model. Extra arguments go to the GUI (e.g. a video
# path, --model M, --project P).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SACCADE_BUILD_DIR:-"$root/build"}

"$root/scripts/setup.sh"

# OpenMP threads that spin while waiting steal the cores from each other and from the decoder when the
# machine is busy (a 2-thread training step ran 8x slower under load); waiting threads should sleep.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

gui="$build_dir/app/gui/saccade"
model=${SACCADE_MODEL:-demo}
cli="$build_dir/app/cli/saccade-cli"

if [ -z "${SACCADE_HEADLESS:-}" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$gui" --model "$model" "$@"
fi

echo "run: no display found, so running the headless equivalent with saccade-cli"
echo "     (set DISPLAY, or use xvfb-run, to open the window)"

out_dir="$build_dir/demo-run"
mkdir -p "$out_dir"

echo "== the demo video (rendered into the user cache on the first run: 2 minutes of synthetic actions)"
demo_video=$("$cli" demo-video --cached | tail -n 1)

echo "== the video"
"$cli" probe "$demo_video"
echo "== the model ($model)"
if ! "$cli" info "$model"; then
    echo "run: the model '$model' cannot be loaded, so the analysis steps are skipped." >&2
    echo "     Bring a TimeSformer checkpoint with SACCADE_MODEL=PATH ./scripts/run.sh, or train the demo" >&2
    echo "     model as the README's 'Synthetic actions and the demo model' section shows." >&2
    exit 1
fi
echo "== analysing the whole video with sliding windows and proposing segments"
rm -f "$out_dir/demo.saccade"
"$cli" annotate "$model" "$demo_video" --project "$out_dir/demo.saccade"
"$cli" project show "$out_dir/demo.saccade"
echo "== the model's prediction and attention for the window around frame 300"
"$cli" predict "$model" "$demo_video" --top-k 3
"$cli" attention "$model" "$demo_video" --at 300 --out "$out_dir/attention" --rollout
echo "== exporting the proposals as an ActivityNet dataset"
"$cli" export "$out_dir/demo.saccade" --format activitynet --include-proposals --out "$out_dir/export"
echo "run: done. Project: $out_dir/demo.saccade, attention maps and overlays: $out_dir/attention,"
echo "     dataset: $out_dir/export"
