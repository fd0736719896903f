// Entry points of training, evaluation and generation for the CLI. Torch-free
// on purpose: the CLI compiles without LibTorch's headers.
#pragma once

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

struct TrainSummary {
  std::string run_dir;
  int64_t parameters = 0;
  int64_t sft_steps = 0;          // SFT steps completed (across resumes)
  bool sft_early_stopped = false;
  double sft_final_loss = 0;      // loss of the last step this process ran (NaN if none)
  double eval_accuracy = 0;
  int64_t eval_correct = 0;
  int64_t eval_tasks = 0;
  double seconds = 0;             // wall-clock of this process
};

// Runs the experiment: SFT warm-up, then evaluation on the eval split. Writes
// RUN_DIR/config.pbtxt (resolved), metrics.jsonl, checkpoints/ and summary.json.
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
