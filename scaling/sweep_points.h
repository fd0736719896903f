// Reads back what a sweep left in its output directory, point by point, for
// the sweep summary. The layout (written by `rlvr sweep`):
//   SWEEP_DIR/sweep.json          {"name", "compare_along" (optional),
//                                  "points": [{"index", "name", "overrides", "run_dir"}]}
//   RUN_DIR/sweep_status.json     {"status": done|failed|running, "error", "wall_seconds", "attempts"}
//   RUN_DIR/summary.json, metrics.jsonl   an ordinary `rlvr train` run
//   RUN_DIR/test_time.csv         optional, `rlvr eval --samples N --csv`
//   RUN_DIR/test_time_tasks.csv   optional, its per-task outcomes (the test-time law)
//   RUN_DIR/test_time_sft{,_tasks}.csv   optional, the same for RUN_DIR/sft_final.pt
// Torch-free; reads files only.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scaling/rl_eval_curve.h"
#include "scaling/test_time_summary.h"

namespace rlvr::scaling {

struct TestTimeRow {
  int64_t k = 0;
  double pass_at_k = 0, maj_at_k = 0;
};

struct SweepPointResult {
  int index = 0;
  std::string name;
  std::vector<std::string> overrides;  // "field.path=value", as the sweep applied them
  std::string run_dir;
  // "done", "failed", "running", or "pending" when the point has no
  // sweep_status.json yet (never started).
  std::string status = "pending";
  std::string error;          // failed points: why
  double wall_seconds = NAN;  // across attempts, as the runner measured it
  int attempts = 0;

  // A done point with a summary.json; only then are the fields below read.
  bool finished = false;
  int64_t parameters = 0;
  int64_t sft_steps = 0;
  double sft_final_loss = NAN;             // loss of the last "sft" record in metrics.jsonl
  double sft_heldout_loss = NAN;           // summary.json's phases.sft.heldout_loss, where the run has it
  std::string rl_algorithm;                // "GRPO", "RFT", ...; "" without RL (or from an older summary.json)
  std::map<std::string, double> accuracy;  // greedy eval accuracy by phase: sft, rl, sft-control
  std::map<std::string, double> harder_accuracy;  // the same on eval.extrapolation's split, where a phase has one
  double training_flops = 0;               // summed over the phases (evaluation excluded)
  RlEvalCurve rl_eval;                     // with its sigmoid fit when there are enough points
  std::vector<TestTimeRow> test_time;      // ascending k; empty without test_time.csv
  RunTestTime test_time_law;               // the laws of the final and SFT policies, where evaluated
};

// The pre-training law's loss of a point: the SFT policy's held-out loss, or
// the last SFT step's training loss for runs from before it was measured.
double pre_training_loss(const SweepPointResult& p);

struct SweepResults {
  std::string name;
  std::string compare_along;  // analysis.compare_along; "" when the sweep has none
  std::vector<SweepPointResult> points;  // in sweep.json's order
};

// Throws rlvr::Error naming the file (and the field) when sweep.json is
// missing or malformed, or when a file a point has is not valid JSON/CSV.
// A done point without summary.json is logged and left unfinished.
SweepResults load_sweep_results(const std::string& sweep_dir);

}  // namespace rlvr::scaling
