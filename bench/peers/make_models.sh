#!/usr/bin/env bash
# Makes the models of the peer benchmark (bench/peers/run.sh) in a cache
# directory, skipping each one whose files are already there:
#   quickstart     rlvr's quickstart policy after 20 SFT steps (quickstart_run/),
#                  exported for transformers (quickstart_hf/; char tokenizer, so
#                  no tokenizer files: peer_tokenizer.py rebuilds it)
#   25m            Qwen2 layout, random init: hidden 512, 11 layers, 8 heads,
#                  2 KV heads (qwen2_25m/, 24.9M parameters)
#   100m           Qwen2 layout, random init: hidden 1024, 11 layers, 16 heads,
#                  4 KV heads (qwen2_100m/, 98.9M parameters)
# head_dim is 64 in both Qwen2 models; intermediate size is 2 x hidden
# (scripts/make_tiny_hf_checkpoint.py fixes it).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/peers/make_models.sh [--cache DIR] [--models quickstart,25m,100m]

Makes the peer-benchmark models in DIR (default bench/peers/.cache), skipping
those already made. Needs build/rlvr (for quickstart) and python3 with
transformers and tokenizers (for 25m and 100m).
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/bench/peers/.cache"
MODELS="quickstart,25m,100m"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cache) CACHE="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make_models.sh: error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
cd "$ROOT"
mkdir -p "$CACHE"
[[ -f "$CACHE/.gitignore" ]] || printf '*\n' > "$CACHE/.gitignore"

make_quickstart() {
  local run="$CACHE/quickstart_run" hf="$CACHE/quickstart_hf"
  if [[ ! -x build/rlvr ]]; then
    echo "make_models.sh: error: build/rlvr does not exist (needed to train the quickstart model)" >&2
    echo "  fix: build it with ./scripts/setup.sh" >&2
    exit 1
  fi
  if [[ -f "$run/summary.json" ]]; then
    echo "quickstart: $run exists, skipped"
  else
    echo "quickstart: 20 SFT steps into $run"
    build/rlvr train configs/quickstart.pbtxt --overwrite \
      --set sft.steps=20 --set rl.steps=0 --set rl.sft_control=false \
      --set rl.answer_only_control=false --set rl.random_reward_control=false \
      --set eval.num_tasks=8 --set eval.pass_samples=0 --set output.tensorboard=false \
      --set "output.run_dir=$run" > "$CACHE/quickstart_train.log" 2>&1 || {
        echo "make_models.sh: error: rlvr train of the quickstart model failed; log: $CACHE/quickstart_train.log" >&2
        tail -5 "$CACHE/quickstart_train.log" >&2; exit 1; }
  fi
  if [[ -f "$hf/model.safetensors" ]]; then
    echo "quickstart: $hf exists, skipped"
  else
    build/rlvr export "$run" -o "$hf" > "$CACHE/quickstart_export.log" 2>&1 || {
      echo "make_models.sh: error: rlvr export failed; log: $CACHE/quickstart_export.log" >&2
      tail -5 "$CACHE/quickstart_export.log" >&2; exit 1; }
    echo "quickstart: exported to $hf"
  fi
}

make_qwen2() {  # name hidden layers heads kv_heads
  local out="$CACHE/qwen2_$1"
  if [[ -f "$out/model.safetensors" ]]; then
    echo "$1: $out exists, skipped"
    return
  fi
  python3 scripts/make_tiny_hf_checkpoint.py --family qwen2 --out "$out" --hidden "$2" --layers "$3" \
    --heads "$4" --kv-heads "$5" --seed 0 2>&1 | grep -v "Writing model shards" || {
      echo "make_models.sh: error: making $out failed (see above)" >&2
      echo "  fix: python3 -m pip install transformers tokenizers torch" >&2; exit 1; }
  [[ -f "$out/model.safetensors" ]] || { echo "make_models.sh: error: $out/model.safetensors was not written" >&2; exit 1; }
}

IFS=',' read -r -a LIST <<< "$MODELS"
for m in "${LIST[@]}"; do
  case "$m" in
    quickstart) make_quickstart ;;
    25m) make_qwen2 25m 512 11 8 2 ;;
    100m) make_qwen2 100m 1024 11 16 4 ;;
    *) echo "make_models.sh: error: unknown model '$m' (known: quickstart, 25m, 100m)" >&2; exit 2 ;;
  esac
done
