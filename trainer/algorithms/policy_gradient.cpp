// The GRPO family: group-relative (GRPO, Dr. GRPO), leave-one-out (RLOO) or
// batch-whitened (REINFORCE++) sequence advantages, spread over the response
// tokens, with the clipped surrogate loss of rl_objective.h.
#include "trainer/algorithm.h"

namespace rlvr::trainer {
namespace {

class PolicyGradient : public Algorithm {
 public:
  explicit PolicyGradient(const config::RlConfig& rl) : rl_(rl) {}

  bool needs_sampling_log_probs() const override { return rl_.ppo_epochs() * rl_.minibatches() > 1; }

  torch::Tensor advantages(const RlBatch& batch) const override {
    const auto per_sequence = sequence_advantages(batch.rewards, batch.judged, batch.group_size,
                                                  rl_.algorithm(), rl_.normalize_std());
    const auto mask = batch.tokens.loss_mask;
    return torch::tensor(per_sequence, torch::kFloat).to(mask.device()).unsqueeze(1) * mask;
  }

  PolicyLoss loss(const PolicyLossInputs& in, const LossScale& scale) const override {
    return policy_loss(in, rl_, scale);
  }

 private:
  config::RlConfig rl_;
};

}  // namespace

std::unique_ptr<Algorithm> make_policy_gradient(const config::RlConfig& rl) {
  return std::make_unique<PolicyGradient>(rl);
}

}  // namespace rlvr::trainer
