#!/usr/bin/env bash
# The peer benchmark in one command: rlvr against transformers `generate` and
# TRL's GRPOTrainer on the same weights, the same prompt token ids, the same
# batch (P prompts x G=8 completions), the same generation length and 2
# threads; prints one Markdown table of ratios (also written to
# CACHE/results.md). Builds nothing: build/rlvr must exist.
#
# For each model (quickstart, 25m, 100m; bench/peers/make_models.sh) and
# workload (short, prompt_heavy, decode_heavy; make_workload.py) it runs
#   hf_generate.py       transformers generate, sampled      -> hf_gen.json
#   trl_step.py          TRL GRPO steps                      -> trl_step.json
#   gemm_rate.py         fp32 GEMM rate at the work's shapes -> gemm.json
#   rlvr bench generate  (--workload)                        -> rlvr_gen.json
#   rlvr bench rl-step   (--workload)                        -> rlvr_step.json
#   greedy check         rlvr and transformers greedy on the first 8 prompts
#                        (2 for decode_heavy), token for token -> greedy.json
# in CACHE/results/<model>/<workload>/, with each command's log beside it.
# A failed command is reported and skipped; the exit status is 1 if any failed.
set -uo pipefail

usage() {
  cat <<'EOF'
Usage: bench/peers/run.sh [--models quickstart,25m,100m] [--workloads short,prompt_heavy,decode_heavy]
                          [--quick] [--iterations N] [--steps N] [--all-steps] [--cache DIR] [--resume]

  --models LIST      models to run (default: quickstart,25m,100m)
  --workloads LIST   workloads to run (default: short,prompt_heavy,decode_heavy)
  --quick            smoke test: the quickstart model only, 1 measured run each (~3 min)
  --iterations N     measured generation runs after a warm-up (default 3; the quickstart's
                     sub-second short and prompt_heavy cells measure 10x as many)
  --steps N          measured RL steps after a warm-up step (default 2; those cells 5x)
  --all-steps        also time the RL steps of 100m/decode_heavy (skipped by default: TRL
                     takes ~7 min per step there)
  --cache DIR        models, workloads and results (default bench/peers/.cache)
  --resume           keep result files that already exist instead of measuring again

Prompts per step P: quickstart 32; 25m 16; 100m 8 (short, prompt_heavy) and
16 (decode_heavy, so P*G >= 128). decode_heavy times 1 RL step on 25m; on
100m it measures generation once (after a warm-up) and skips the RL step unless
--all-steps. The full run takes about 40 minutes on an idle 2-core machine.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEERS="$ROOT/bench/peers"
CACHE="$PEERS/.cache"
MODELS="quickstart,25m,100m"
WORKLOADS="short,prompt_heavy,decode_heavy"
QUICK=0; ITERATIONS=3; STEPS=2; RESUME=0; MODELS_SET=0; ALL_STEPS=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) MODELS="$2"; MODELS_SET=1; shift 2 ;;
    --workloads) WORKLOADS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --cache) CACHE="$2"; shift 2 ;;
    --resume) RESUME=1; shift ;;
    --all-steps) ALL_STEPS=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ $QUICK == 1 ]]; then
  [[ $MODELS_SET == 1 && $MODELS != quickstart ]] && echo "run.sh: --quick runs the quickstart model only" >&2
  MODELS=quickstart; ITERATIONS=1; STEPS=1
fi
cd "$ROOT"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
export OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 PEER_THREADS=2 TOKENIZERS_PARALLELISM=false

# Two runs on one cache would delete each other's result files and share the CPU.
exec 9> "$CACHE/.run.lock"
if ! flock -n 9; then
  echo "run.sh: error: another bench/peers/run.sh is using $CACHE" >&2
  echo "  fix: wait for it to finish, or pass --cache OTHER_DIR (timings of two runs at once are meaningless)" >&2
  exit 1
fi

if [[ ! -x build/rlvr ]]; then
  echo "run.sh: error: build/rlvr does not exist" >&2
  echo "  fix: build rlvr first with ./scripts/setup.sh (run.sh builds nothing)" >&2
  exit 1
fi
python3 -c "import torch, transformers, trl, datasets" 2>/dev/null || {
  echo "run.sh: error: python3 cannot import torch, transformers, trl and datasets" >&2
  echo "  fix: python3 -m pip install torch transformers trl datasets accelerate" >&2; exit 1; }

NOTES=()
# Percent of all CPUs busy over 2 s (from /proc/stat), sampled while nothing of ours runs:
# other processes' load, which makes every timing here low and noisy.
cpu_busy() {
  local a b i total=0 idle
  read -r -a a < /proc/stat; sleep 2; read -r -a b < /proc/stat
  idle=$(( b[4] + b[5] - a[4] - a[5] ))
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
BUSY_LIMIT=15

"$PEERS/make_models.sh" --cache "$CACHE" --models "$MODELS" || exit 1

RLVR_OK=1
if ! build/rlvr bench --help 2>/dev/null | grep -q -- '--workload'; then
  RLVR_OK=0
  echo "run.sh: warning: build/rlvr bench has no --workload option yet: rlvr's columns stay empty" >&2
  echo "  fix: rebuild rlvr with the workload support (cli/bench_command.cpp), then rerun with --resume" >&2
  NOTES+=("rlvr columns empty: build/rlvr bench had no --workload option.")
fi

model_dir() {
  case "$1" in
    quickstart) echo "$CACHE/quickstart_hf" ;;
    *) echo "$CACHE/qwen2_$1" ;;
  esac
}
# The plan of one cell, into P (prompts per step), GEN_IT (measured generation runs),
# STEP_N (measured RL steps; 0 skips them, SKIP_WHY says why), GREEDY_P (prompts checked greedily)
# and TRL_MICRO (TRL's rows per forward/backward pass; 0: the whole batch at once).
plan() {  # model workload
  GEN_IT=$ITERATIONS; STEP_N=$STEPS; SKIP_WHY=""
  # rlvr splits a decode-heavy batch into cache-sized passes on its own (micro_batch_size 0 is
  # automatic); TRL is given the same help: in 16-row passes its 25m step took 94-106 s and 4.0 GB
  # instead of 130 s and 16.8 GB in one pass.
  if [[ $2 == decode_heavy ]]; then TRL_MICRO=16; else TRL_MICRO=0; fi
  case "$1:$2" in
    # A quickstart generation or step takes 0.05-0.5 s, where one scheduler hiccup moves a median of
    # three: the same binary measured 64,000-100,000 tokens/s over 30 runs of prompt_heavy.
    quickstart:decode_heavy) P=32 ;;
    quickstart:*) P=32; GEN_IT=$(( ITERATIONS * 10 )); STEP_N=$(( STEPS * 5 )) ;;
    25m:decode_heavy) P=16; STEP_N=$(( STEPS < 1 ? STEPS : 1 )) ;;  # ~2 min per TRL step
    25m:*) P=16 ;;
    100m:decode_heavy)
      P=16; GEN_IT=1
      if [[ $ALL_STEPS == 1 ]]; then STEP_N=1; else
        STEP_N=0; SKIP_WHY="TRL takes ~4x its 25m time here (~7 min per step, a warm-up step first); run.sh --all-steps times it"; fi ;;
    100m:*) P=8 ;;
    *) P=16 ;;
  esac
  if [[ $2 == decode_heavy ]]; then GREEDY_P=2; else GREEDY_P=$(( P < 8 ? P : 8 )); fi
}
seq_len() {  # prompt + max_new_tokens of a workload kind (make_workload.py)
  case "$1" in short) echo 32 ;; prompt_heavy) echo 80 ;; decode_heavy) echo 320 ;; esac
}
# rlvr's config and overrides for a model, into the array CFG: the same work as trl_step.py asks of TRL.
set_rlvr_config() {  # model workload P
  if [[ $1 == quickstart ]]; then
    CFG=(configs/quickstart.pbtxt --init "$CACHE/quickstart_run" --set sft.steps=0)
  else
    CFG=(bench/peers/hf_bench.pbtxt --set "model.hf_path=$(model_dir "$1")")
  fi
  CFG+=(--set "model.max_seq_len=$(seq_len "$2")" --set runtime.threads=2 --set "rl.prompts_per_step=$3"
        --set rl.group_size=8 --set rl.kl_coef=0 --set rl.filter_zero_variance=false --set rl.lr=1e-6
        --set rl.warmup_steps=0 --set rl.ppo_epochs=1 --set rl.minibatches=1 --set rl.generation_chunks=1
        --set rl.temperature=1 --set "eval.batch_size=$(( $3 * 8 ))")
}

FAILED=0
# measure NAME OUT_JSON LOG -- command...: runs it unless --resume finds OUT_JSON; prints its last line.
measure() {
  local name="$1" out="$2" log="$3"; shift 4
  if [[ $RESUME == 1 && -s $out ]]; then
    echo "  $name: kept $(basename "$out")"; return 0
  fi
  rm -f "$out"
  local start=$SECONDS
  if "$@" > "$log" 2>&1 && [[ -s $out ]]; then
    local line
    line="$(grep -E '^(bench |transformers |TRL |GEMM |greedy )' "$log" | tail -1)"
    [[ -n $line ]] || line="$(grep -v '^\s*$' "$log" | tail -1)"
    echo "  $name ($(( SECONDS - start )) s): $line"
  else
    FAILED=1
    echo "  $name: FAILED after $(( SECONDS - start )) s; log $log:" >&2
    tail -4 "$log" | sed 's/^/    /' >&2
  fi
}

IFS=',' read -r -a MODEL_LIST <<< "$MODELS"
IFS=',' read -r -a WORKLOAD_LIST <<< "$WORKLOADS"
T0=$SECONDS
for model in "${MODEL_LIST[@]}"; do
  dir="$(model_dir "$model")"
  for wl in "${WORKLOAD_LIST[@]}"; do
    case "$wl" in short|prompt_heavy|decode_heavy) ;; *)
      echo "run.sh: error: unknown workload '$wl' (known: short, prompt_heavy, decode_heavy)" >&2; exit 2 ;;
    esac
    plan "$model" "$wl"
    out="$CACHE/results/$model/$wl"
    mkdir -p "$out"
    busy="$(cpu_busy)"
    echo "== $model / $wl: P=$P, G=8 (at $(( SECONDS - T0 )) s; other processes used ${busy}% of the CPUs)"
    printf '{"busy_percent": %s}\n' "$busy" > "$out/cpu_busy.json"
    if (( busy > BUSY_LIMIT )); then
      echo "run.sh: warning: other processes use ${busy}% of the CPUs: the timings of $model/$wl will be low" \
           "and noisy; rerun it on an idle machine (run.sh --models $model --workloads $wl)" >&2
    fi
    W="$out/workload.json"; WG="$out/workload_greedy.json"
    # The greedy slice is the first GREEDY_P prompts: make_workload.py draws prompts in order from the seed.
    python3 "$PEERS/make_workload.py" "$dir" --kind "$wl" --prompts "$P" --out "$W" --seed 0 > "$out/workload.log" 2>&1 &&
      python3 "$PEERS/make_workload.py" "$dir" --kind "$wl" --prompts "$GREEDY_P" --out "$WG" --seed 0 \
        >> "$out/workload.log" 2>&1 || { echo "run.sh: error: make_workload.py failed; log $out/workload.log" >&2;
                                         tail -3 "$out/workload.log" >&2; FAILED=1; continue; }
    set_rlvr_config "$model" "$wl" "$P"
    measure "transformers generate" "$out/hf_gen.json" "$out/hf_gen.log" -- \
      python3 "$PEERS/hf_generate.py" "$dir" "$W" --json-out "$out/hf_gen.json" --iterations "$GEN_IT"
    if [[ $RLVR_OK == 1 ]]; then
      measure "rlvr generate" "$out/rlvr_gen.json" "$out/rlvr_gen.log" -- \
        build/rlvr bench generate "${CFG[@]}" --workload "$W" --json-out "$out/rlvr_gen.json" --iterations "$GEN_IT"
    fi
    if [[ $STEP_N == 0 ]]; then
      echo "  RL steps: skipped ($SKIP_WHY)"
      printf '{"reason": "%s"}\n' "$SKIP_WHY" > "$out/steps_skipped.json"
    else
      rm -f "$out/steps_skipped.json"
      measure "TRL GRPO step" "$out/trl_step.json" "$out/trl_step.log" -- \
        python3 "$PEERS/trl_step.py" "$dir" "$W" --json-out "$out/trl_step.json" --steps "$STEP_N" \
          --micro-batch "$TRL_MICRO"
      if [[ $RLVR_OK == 1 ]]; then
        measure "rlvr rl-step" "$out/rlvr_step.json" "$out/rlvr_step.log" -- \
          build/rlvr bench rl-step "${CFG[@]}" --workload "$W" --json-out "$out/rlvr_step.json" --iterations "$STEP_N"
      fi
    fi
    measure "GEMM rate" "$out/gemm.json" "$out/gemm.log" -- \
      python3 "$PEERS/gemm_rate.py" "$dir" "$W" --json-out "$out/gemm.json"
    if [[ $RLVR_OK == 1 ]]; then
      measure "greedy, transformers" "$out/hf_greedy.json" "$out/hf_greedy.log" -- \
        python3 "$PEERS/hf_generate.py" "$dir" "$WG" --greedy --no-warmup --iterations 1 \
          --tokens-out "$out/hf_greedy_tokens.json" --json-out "$out/hf_greedy.json"
      measure "greedy, rlvr" "$out/rlvr_greedy.json" "$out/rlvr_greedy.log" -- \
        build/rlvr bench generate "${CFG[@]}" --workload "$WG" --greedy --iterations 1 \
          --tokens-out "$out/rlvr_greedy_tokens.json" --json-out "$out/rlvr_greedy.json"
      if [[ -s $out/hf_greedy_tokens.json && -s $out/rlvr_greedy_tokens.json ]]; then
        measure "greedy check" "$out/greedy.json" "$out/greedy.log" -- \
          python3 "$PEERS/compare_tokens.py" "$out/rlvr_greedy_tokens.json" "$out/hf_greedy_tokens.json" \
            --json-out "$out/greedy.json"
      fi
    fi
  done
done

echo "== done in $(( SECONDS - T0 )) s"
echo
NOTE_ARGS=()
for n in "${NOTES[@]+"${NOTES[@]}"}"; do NOTE_ARGS+=(--note "$n"); done
python3 "$PEERS/table.py" "$CACHE/results" --models "$MODELS" --workloads "$WORKLOADS" --out "$CACHE/results.md" "${NOTE_ARGS[@]+"${NOTE_ARGS[@]}"}" || FAILED=1
exit $FAILED
