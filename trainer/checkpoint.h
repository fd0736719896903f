// Checkpoints: model weights, optimizer state and loop position in one torch
// archive, written atomically (temporary file, then rename) so a crash never
// leaves a torn checkpoint. Layout: RUN_DIR/checkpoints/step_NNNNNNNN.pt.
#pragma once

#include <torch/torch.h>

#include <string>

#include "models/policy.h"

namespace rlvr::trainer {

// Where the training loop stands; everything else (data order, sampling seeds)
// is derived from the config and the step, so this is enough for exact resume.
struct LoopState {
  std::string phase = "sft";  // phase of `step`: "sft" (later "rl")
  int64_t step = 0;           // optimizer steps completed in that phase
  bool phase_done = false;    // the phase ended (its step budget or an early stop)
};

std::string checkpoint_path(const std::string& run_dir, const LoopState& state);

void save_checkpoint(const std::string& path, models::Policy& policy,
                     torch::optim::Optimizer* optimizer, const LoopState& state);

// Loads weights (and optimizer state when `optimizer` is given) into the
// existing objects; returns the loop state. Throws rlvr::Error naming the file.
LoopState load_checkpoint(const std::string& path, models::Policy& policy,
                          torch::optim::Optimizer* optimizer);

// Newest checkpoint of a run directory, or "" when there is none.
std::string latest_checkpoint(const std::string& run_dir);

// Deletes all but the newest `keep` checkpoints.
void prune_checkpoints(const std::string& run_dir, int keep);

}  // namespace rlvr::trainer
