// The supervised loop: forward, masked cross-entropy, backward, clipped AdamW
// step; periodic training-accuracy checks, evals and checkpoints. It serves the
// SFT warm-up and the SFT-only control run that RL is compared against.
#pragma once

#include <string>

#include "core/flops.h"
#include "trainer/checkpoint.h"
#include "trainer/run_context.h"

namespace rlvr::trainer {

struct SftSpec {
  Phase phase = Phase::kSft;  // kSft (the warm-up, checkpointed) or kControl
  FlopCategory category = FlopCategory::kSftTrain;
  // Stop after this many steps, or (when > 0) once `category` holds this many
  // FLOPs more than at the start.
  int64_t steps = 0;
  double flop_budget = 0;
  // Warm-up and cosine decay from sft.lr (the warm-up), or a constant
  // sft.lr·sft.min_lr_ratio, where the warm-up ended (the control).
  bool schedule = true;
  bool checkpoints = true;  // periodic and final checkpoints in RUN_DIR/checkpoints
  // Train on exactly the prompts RL trains on (rl.steps x rl.prompts_per_step,
  // drawn with replacement) with their reference answers as targets, instead
  // of the labelled demonstrations: the answer-only control. It sees the
  // prompts the verifier judged, labelled, and no others.
  bool answer_only = false;
  // Metrics kind and progress label; the phase's name when empty.
  std::string label;
};

struct SftOutcome {
  int64_t steps = 0;         // completed steps, resumed ones included
  bool early_stopped = false;
  double last_loss = 0;      // NaN when this process ran no step
};

// Runs (or continues from `resume`, a checkpoint of this phase whose weights
// are already in ctx.policy; null for a fresh start) a supervised phase on
// ctx.policy, updating `state`'s counters.
SftOutcome run_sft(RunContext& ctx, LoopState& state, const SftSpec& spec, const Checkpoint* resume);

}  // namespace rlvr::trainer
