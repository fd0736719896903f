// The RL phase: each step samples rollouts, makes the batch (rl_batch.h),
// updates the policy (rl_update.h) and writes its metrics (rl_metrics.h),
// with every forward and backward pass charged to the FLOP counter.
#pragma once

#include <optional>

#include "trainer/curriculum.h"
#include <memory>
#include <string>
#include <vector>

#include "trainer/checkpoint.h"
#include "trainer/run_context.h"

namespace rlvr::trainer {

// Where a step's rewards come from: the verifier, or coin flips of the same
// mean (the random-reward control, coin_flip_rewards.h).
enum class RewardSource { kVerifier, kCoinFlips };

class RlLoop {
 public:
  // `reference_checkpoint`: weights of the frozen reference policy of the KL
  // term ("" copies the current policy); unused when rl.kl_coef is 0.
  RlLoop(RunContext& ctx, LoopState& state, const std::string& reference_checkpoint,
         RewardSource rewards = RewardSource::kVerifier);
  ~RlLoop();

  // Runs RL step `step` (1-based): returns its metrics (kind "rl") and updates
  // the counters of the loop state.
  scaling::MetricsRecord step(int64_t step);
  // The same on the given prompts instead of the step's own (a benchmark's fixed workload).
  scaling::MetricsRecord step(int64_t step, const std::vector<Task>& tasks);
  torch::optim::Optimizer& optimizer();
  // The curriculum's level change at the last step(step), if it made one.
  std::optional<LevelChange> last_level_change() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs the RL phase to rl.steps, continuing from `resume` (a checkpoint of
// this phase whose weights are already in ctx.policy, or null to start),
// evaluating at log-spaced RL compute and checkpointing every
// output.checkpoint_every steps.
void run_rl(RunContext& ctx, LoopState& state, const Checkpoint* resume,
            const std::string& reference_checkpoint);

}  // namespace rlvr::trainer
