// Entry points of training, evaluation and generation for the CLI. Torch-free
// on purpose: the CLI compiles without LibTorch's headers.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"

namespace rlvr::trainer {

struct TrainOptions {
  // Continue the newest checkpoint of the run directory.
  bool resume = false;
  // Delete an existing run directory first (otherwise an existing run is an error).
  bool overwrite = false;
};

// One phase's result, evaluated on the run's eval tasks.
struct PhaseSummary {
  std::string name;          // "sft", "rl", or a control ("sft-control", ...: trainer/controls.h)
  int64_t steps = 0;
  double flops = 0;          // training FLOPs spent in the phase
  double seconds = 0;        // wall-clock of the phase (across resumes)
  double accuracy = 0;       // greedy
  int64_t correct = 0;
  int64_t tasks = 0;
  double pass_at_1 = -1;     // sampled pass@1, -1 when eval.pass_samples is 0
  double harder_accuracy = -1;  // greedy, on eval.extrapolation's split; -1 without one
  int64_t harder_correct = 0;
  int64_t harder_tasks = 0;
  double heldout_loss = NAN;  // "sft" only: SFT loss on the eval tasks' solutions (trainer/heldout_loss.h)
};

struct TrainSummary {
  std::string run_dir;
  int64_t parameters = 0;
  int64_t sft_steps = 0;          // SFT steps completed (across resumes)
  bool sft_early_stopped = false;
  std::string rl_algorithm;       // rl.algorithm's name ("GRPO", "RFT"); "" when RL did not run
  double sft_final_loss = 0;      // loss of the last SFT step this process ran (NaN if none)
  double eval_accuracy = 0;       // of the final policy (after RL when RL ran)
  int64_t eval_correct = 0;
  int64_t eval_tasks = 0;
  double seconds = 0;             // wall-clock of this process
  std::vector<PhaseSummary> phases;  // sft, then rl and the controls when they ran
};

// Runs the experiment: SFT warm-up, RL (rl.steps > 0), the controls the config
// asks for (trainer/controls.h), and evaluates each phase's policy on the same
// eval tasks.
// Writes RUN_DIR/config.pbtxt (resolved), metrics.jsonl, checkpoints/,
// sft_final.pt and summary.json.
TrainSummary train(const config::LoadedConfig& loaded, const TrainOptions& options);

// RUN_DIR/config.pbtxt with `overrides` applied.
config::LoadedConfig load_run_config(const std::string& run_dir,
                                     const std::vector<std::string>& overrides = {});

// A run directory or a checkpoint file resolved to both.
struct CheckpointRef {
  std::string run_dir;
  std::string checkpoint;
};
// Throws rlvr::Error when `path` is neither a run directory with a checkpoint
// nor a checkpoint inside RUN_DIR/checkpoints/.
CheckpointRef resolve_checkpoint(const std::string& path);

}  // namespace rlvr::trainer
