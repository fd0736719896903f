// Where the training loop stands: the one record of a run's position that
// checkpoints carry. Torch-free, so the CLI and reports can read it.
#pragma once

#include <cstdint>
#include <vector>

#include "core/flops.h"

namespace rlvr::trainer {

// The phases of a run, in training order (the order is the checkpoint rank).
enum class Phase { kSft = 0, kRl = 1, kControl = 2 };

// "sft", "rl" or "control": the metrics kind and the checkpoint name part.
const char* phase_name(Phase phase);

// Everything random (data order, sampling seeds, minibatch shuffles) is derived
// from (runtime.seed, phase, step), so this plus the weights and optimizer
// state is enough for exact resume.
struct LoopState {
  Phase phase = Phase::kSft;  // phase of `step`: kSft or kRl (the control is not checkpointed)
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
  // env.curriculum's position: the level RL trains at (-1 before RL starts)
  // and the outcomes (1 correct, 0 not) of its rolling window, oldest first.
  int64_t curriculum_level = -1;
  std::vector<uint8_t> curriculum_window;

  // Compute spent by the RL phase: generation, old-policy and reference scoring, updates.
  double rl_flops() const;
};

}  // namespace rlvr::trainer
