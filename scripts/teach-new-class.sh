#!/usr/bin/env bash
# Teaches a model a class it has never seen, end to end, and measures it:
#   1. renders a demo video in which some actions are move_diagonal, a class the demo model was never
#      trained on, with its first minute labelled (the annotator's work: a few move_diagonal segments
#      among the classes the model knows);
#   2. renders a longer check video with the same mix, and proposes segments in it with the model;
#   3. fine-tunes the model on the labelled minute (head only, new classes only: the model's own classes
#      keep their weights) and proposes segments in the check video again;
#   4. prints move_diagonal's segment recall and the old classes' segment F1 before and after, as
#      `saccade-cli agreement` measures them against the generator's truth.
# Usage: scripts/teach-new-class.sh [MODEL] [WORK_DIR] [CHECK_SEED]   (MODEL defaults to the demo model)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cli=${SACCADE_CLI:-"$root/build/app/cli/saccade-cli"}
model=${1:-demo}
work=${2:-$(mktemp -d)}
check_seed=${3:-12}
novel=move_diagonal
old=move_left,move_right,move_up,move_down,rotate_clockwise,rotate_counterclockwise,grow,shrink,appear,disappear
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

mkdir -p "$work"
cd "$work"
rm -rf taught before.saccade after.saccade ./*.predictions
echo "work folder: $work"
"$cli" demo-video --seed 11 --minutes 2 --novel-share 0.3 --out teach.mp4 --truth teach.saccade --truth-until 60
"$cli" demo-video --seed "$check_seed" --minutes 6 --novel-share 0.3 --out check.mp4 --truth check.json

"$cli" annotate "$model" check.mp4 --project before.saccade >/dev/null
"$cli" finetune "$model" teach.saccade --out taught --head-only --new-classes-only --epochs 30 |
    grep -v -E '^(epoch|clips) '
"$cli" annotate taught check.mp4 --project after.saccade >/dev/null

report() { # PROJECT: the new class's recall and the old classes' F1, both at IoU 0.5
    "$cli" agreement check.json "$1" --include-proposals --labels "$novel" | grep "^  $novel" |
        sed -E 's/.*(recall [0-9.]+ \([0-9]+ of [0-9]+ segments\)).*/  new class \1/'
    "$cli" agreement check.json "$1" --include-proposals --labels "$old" | grep '^segments:' |
        sed -E 's/.*(F1@0.50 [0-9.]+).*/  old classes \1/'
    "$cli" agreement check.json "$1" --include-proposals | sed -n "1,2s/^/  all: /p"
}
echo "before fine-tuning ($model):"
report before.saccade
echo "after fine-tuning (taught):"
report after.saccade
