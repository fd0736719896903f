#!/usr/bin/env bash
# Curriculum against training at the target level, on the same FLOPs, from the
# same SFT policy: for each seed, SFT on level 0 of configs/curriculum.pbtxt's
# generator (rl.steps 0), then two copies of that run resume into RL at
# env.level: one with the config's curriculum (start_level 0), one fixed at the
# target (start_level = env.level, so it never moves), for twice the steps
# (FIXED_STEPS): a run starved at the target spends less per step, and the
# report compares the arms at the largest RL compute both reached. Both
# evaluate on the target level's eval split. REWARD=partial (the grid
# verifier's partial credit, the default) or REWARD=binary
# (verifier.binary_reward: 1 for a solved puzzle, else 0). Draws
# docs/results/curriculum/$REWARD/ (README.md, plots, results.json) with
# scripts/curriculum_report.py. SFT_STEPS (default the config's 300) sets how
# strong the shared starting policy is; another value writes to
# docs/results/curriculum/${REWARD}_sft$SFT_STEPS/.
#   [REWARD=binary] [SFT_STEPS=120] scripts/curriculum_experiment.sh [SEEDS...]
# (seeds 1 2 3 4 5 by default; about 5 min per seed on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
RLVR=${RLVR:-build/rlvr}
CONFIG=configs/curriculum.pbtxt
REWARD=${REWARD:-partial}
case "$REWARD" in
  partial) BINARY=false ;;
  binary) BINARY=true ;;
  *) echo "REWARD must be partial or binary, got '$REWARD'" >&2; exit 2 ;;
esac
SFT_STEPS=${SFT_STEPS:-300}
NAME=$REWARD
[ "$SFT_STEPS" != 300 ] && NAME=${REWARD}_sft$SFT_STEPS
OUT=${OUT:-runs/curriculum_experiment/$NAME}
SEEDS=("$@")
[ ${#SEEDS[@]} -eq 0 ] && SEEDS=(1 2 3 4 5)
TARGET=4      # the config's env.level
RL_STEPS=600  # the config's rl.steps (the SFT run sets it to 0)
FIXED_STEPS=${FIXED_STEPS:-$((2 * RL_STEPS))}
mkdir -p "$OUT"
for seed in "${SEEDS[@]}"; do
  sft="$OUT/sft_seed$seed"
  "$RLVR" --log-level warn train "$CONFIG" --overwrite --set env.level=0 --set rl.steps=0 \
    --set verifier.binary_reward="$BINARY" --set sft.steps="$SFT_STEPS" --set runtime.seed="$seed" \
    --set output.run_dir="$sft" >/dev/null
  for arm in curriculum fixed; do
    run="$OUT/${arm}_seed$seed"
    rm -rf "$run"
    cp -r "$sft" "$run"
    start=0 steps=$RL_STEPS
    [ "$arm" = fixed ] && start=$TARGET steps=$FIXED_STEPS
    "$RLVR" --log-level warn train --resume "$run" --set env.level="$TARGET" \
      --set env.curriculum.start_level="$start" --set rl.steps="$steps" >/dev/null
    echo "seed $seed $arm: done"
  done
done
python3 scripts/curriculum_report.py "$OUT" "docs/results/curriculum/$NAME" "$REWARD" "$SFT_STEPS" "$TARGET" \
  "${SEEDS[@]}"
