// The Algorithm seam of the RL step: what the batch must carry, how rewards
// become per-token advantages, and the loss of a micro-batch. The step itself
// (rollouts, batch, update loop, metrics) is the same for every algorithm.
//
// Adding one: a file in trainer/algorithms/ that defines a factory, and one
// line in the list of algorithm_registry.cpp (plus its value in
// config.proto's Algorithm enum). Variants that differ by one formula (Dr.
// GRPO's aggregation, clip-higher, the KL estimator) are config values.
#pragma once

#include <torch/torch.h>

#include <memory>

#include "config.pb.h"
#include "trainer/rl_batch.h"
#include "trainer/rl_objective.h"

namespace rlvr::trainer {

// Which sampled sequences a step's batch keeps.
enum class BatchRows {
  // Whole groups (their baselines need every member), less those whose
  // rewards are all equal when rl.filter_zero_variance is set.
  kInformativeGroups,
  // Every sequence the verifier accepted, whatever its group.
  kVerified,
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  virtual BatchRows batch_rows() const { return BatchRows::kInformativeGroups; }
  // Whether updates need log-probs under the policy that sampled the batch
  // (an extra forward pass). Without them the ratio is taken against the
  // current policy, detached: exact while it has not moved yet.
  virtual bool needs_sampling_log_probs() const = 0;
  // Per-token advantages [B, T] of the batch (0 outside the response).
  virtual torch::Tensor advantages(const RlBatch& batch) const = 0;
  // Loss of one micro-batch, averaged over its minibatch of size `scale`.
  virtual PolicyLoss loss(const PolicyLossInputs& in, const LossScale& scale) const = 0;
};

// The algorithm rl.algorithm names; throws rlvr::Error for one not in the list.
std::unique_ptr<Algorithm> make_algorithm(const config::RlConfig& rl);

}  // namespace rlvr::trainer
