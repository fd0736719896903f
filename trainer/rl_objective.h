// The formulas of the policy-gradient family in one place: advantages, KL
// estimators and the clipped surrogate loss with its aggregations.
//
// Sources: PPO's clipped objective (Schulman et al. 2017); GRPO's group-relative
// advantages (Shao et al. 2024, DeepSeekMath); clip-higher (Yu et al. 2025,
// DAPO); Dr. GRPO's unnormalised loss (Liu et al. 2025); RLOO's leave-one-out
// baseline (Ahmadian et al. 2024); REINFORCE++'s batch normalisation (Hu 2025);
// the k1/k3 KL estimators (Schulman 2020, "Approximating KL Divergence").
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "config.pb.h"

namespace rlvr::trainer {

// Advantages of B = groups·group_size sequences laid out group by group. Only
// judged rewards (judged[i] != 0) enter a baseline; unjudged sequences get 0.
// GRPO: r - mean(group) [/ (std(group) + eps)], std unbiased;
// RLOO: r - mean(other rewards of the group);
// REINFORCE_PP: (r - mean(batch)) / (std(batch) + eps).
std::vector<float> sequence_advantages(const std::vector<float>& rewards,
                                       const std::vector<uint8_t>& judged, int64_t group_size,
                                       config::Algorithm algorithm, bool normalize_std);

// Per-token KL estimate between the policy and the reference, from log-probs
// of the sampled tokens: k1 = logp - ref_logp; k3 = exp(ref - logp) - (ref - logp) - 1.
torch::Tensor kl_estimate(const torch::Tensor& logp, const torch::Tensor& ref_logp,
                          config::KlEstimator estimator);

struct PolicyLossInputs {
  torch::Tensor logp;        // [B, T] log-probs of the sampled tokens, current policy (grad)
  torch::Tensor old_logp;    // [B, T] the same under the policy that sampled them
  torch::Tensor ref_logp;    // [B, T] under the reference; undefined when KL is off or in the reward
  torch::Tensor advantages;  // [B, T]
  torch::Tensor mask;        // [B, T] float, 1 on response tokens
};

// The size of the minibatch a loss is averaged over. With micro-batches each
// micro-batch's loss is divided by the whole minibatch's size, so the
// gradients accumulated over its micro-batches equal one pass over all of it.
struct LossScale {
  double tokens = 1;     // response tokens (at least 1)
  double sequences = 1;  // sequences with at least one response token (at least 1)
};
LossScale loss_scale(const torch::Tensor& mask);

struct PolicyLoss {
  torch::Tensor loss;         // scalar, to minimise
  double clip_fraction = 0;   // share of the minibatch's response tokens where the clipped term was taken
  double kl = 0;              // mean per-token KL over the minibatch (0 when ref_logp is undefined)
};

// Clipped surrogate per token, max(-A·ratio, -A·clip(ratio, 1-clip_low, 1+clip_high)),
// plus kl_coef·KL when `in.ref_logp` is defined, reduced by rl.loss_aggregation
// over a minibatch of size `scale`.
PolicyLoss policy_loss(const PolicyLossInputs& in, const config::RlConfig& rl, const LossScale& scale);

}  // namespace rlvr::trainer
