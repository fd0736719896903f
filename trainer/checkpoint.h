// Checkpoints: model weights, optimizer state and loop position in one torch
// archive, written atomically (temporary file, then rename) so a crash never
// leaves a torn checkpoint. Layout: RUN_DIR/checkpoints/step_NNNNNNNN.pt.
#pragma once

#include <torch/torch.h>

#include <string>

#include "core/flops.h"
#include "models/policy.h"

namespace rlvr::trainer {

// Where the training loop stands. Everything random (data order, sampling
// seeds, minibatch shuffles) is derived from (runtime.seed, phase, step), so
// this plus the weights and optimizer state is enough for exact resume.
struct LoopState {
  std::string phase = "sft";  // phase of `step`: "sft" or "rl"
  int64_t step = 0;           // optimizer steps completed in that phase
  bool phase_done = false;    // the phase ended (its step budget or an early stop)
  FlopCounter flops;          // cumulative compute of the whole run
  int64_t samples = 0;        // RL completions sampled so far
  int64_t tokens = 0;         // RL completion tokens sampled so far
  double sft_seconds = 0;     // wall-clock spent per phase (informational)
  double rl_seconds = 0;
  // Size of metrics.jsonl when the checkpoint was taken: a resumed run cuts
  // the file back to it, dropping lines it will write again.
  int64_t metrics_bytes = 0;
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
