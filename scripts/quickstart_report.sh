#!/usr/bin/env bash
# Regenerates docs/results/quickstart/ (the README's quickstart figures): the
# quickstart on seeds 1-5, the test-time evaluation of seed 1's final and SFT
# policies (200 eval tasks x 256 samples each), and `rlvr report` over the five
# runs. Finished runs and evaluations are kept, so an interrupted run resumes;
# delete RUNS (default runs/quickstart_seeds) to start over. 27 minutes on an
# idle 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh rlvr
runs=${RUNS:-runs/quickstart_seeds}
out=docs/results/quickstart
for seed in 1 2 3 4 5; do
  dir=$runs/seed$seed
  if [ ! -f "$dir/summary.json" ]; then
    ./build/rlvr train configs/quickstart.pbtxt --overwrite --set runtime.seed=$seed \
      --set runtime.threads=2 --set output.run_dir="$dir"
  fi
done
test_time=(--samples 256 --k 1,2,4,8,16,32,64,128,256 --num-tasks 200)
if [ ! -f "$runs/seed1/test_time_tasks.csv" ]; then
  ./build/rlvr eval "$runs/seed1" "${test_time[@]}" --csv "$runs/seed1/test_time.csv"
fi
if [ ! -f "$runs/seed1/test_time_sft_tasks.csv" ]; then
  ./build/rlvr eval "$runs/seed1/sft_final.pt" "${test_time[@]}" --csv "$runs/seed1/test_time_sft.csv"
fi
rm -rf "$out"
./build/rlvr report "$runs"/seed{1..5} -o "$out"
# Keep the report and its plots; the data files and gnuplot script point into RUNS.
rm -f "$out"/*.dat "$out"/report.gp "$out"/gnuplot.log
# Say how the runs were made in place of the list of their directories.
sed -i "s|^Runs: .*|Runs: \`./build/rlvr train configs/quickstart.pbtxt --set runtime.seed=N --set runtime.threads=2\` \
for N = 1-5 (seed1-seed5), made by \`scripts/quickstart_report.sh\`; test-time curves for seed 1's final and SFT \
policies on 200 eval tasks x 256 samples (\`rlvr eval RUN --samples 256 --k 1,2,...,256 --num-tasks 200\`). \
The README's quickstart table has every phase and control of these runs. Parity answers are one bit, so any \
policy that still samples both answers reaches pass@k = 1 by guessing within a few dozen samples: the \
test-time ceilings of 1 and the crossover k measure how fast guessing covers both answers, not reasoning.|" "$out/report.md"
