// RFT, rejection-sampling fine-tuning (expert iteration; STaR, Zelikman et al.
// 2022; RAFT, Dong et al. 2023): the batch holds only the completions the
// verifier accepted (BatchRows::kVerified) and the loss is SFT's on them, the
// token-mean negative log-likelihood. Each step trains on the policy's own
// fresh samples, so no importance ratio is needed.
#include "core/error.h"
#include "trainer/algorithm.h"

namespace rlvr::trainer {
namespace {

class RejectionSampling : public Algorithm {
 public:
  BatchRows batch_rows() const override { return BatchRows::kVerified; }
  bool needs_sampling_log_probs() const override { return false; }

  // Every kept response token weighs 1: imitation, not a baseline-relative signal.
  torch::Tensor advantages(const RlBatch& batch) const override { return batch.tokens.loss_mask.clone(); }

  PolicyLoss loss(const PolicyLossInputs& in, const LossScale& scale) const override {
    return PolicyLoss{-(in.advantages * in.logp).sum() / scale.tokens, 0, 0};
  }
};

}  // namespace

std::unique_ptr<Algorithm> make_rejection_sampling(const config::RlConfig& rl) {
  if (rl.kl_coef() > 0) throw ConfigError("rl.algorithm RFT has no KL term; set rl.kl_coef: 0");
  return std::make_unique<RejectionSampling>();
}

}  // namespace rlvr::trainer
