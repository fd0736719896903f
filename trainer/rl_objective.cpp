#include "trainer/rl_objective.h"

#include "core/stats.h"

namespace rlvr::trainer {
namespace {

// Keeps a group (or batch) of identical rewards at zero advantage instead of 0/0.
constexpr double kStdEps = 1e-4;

// Advantages of the judged rewards `r` of one baseline set (a group, or the
// whole batch for REINFORCE++), in order.
std::vector<double> baseline_advantages(const std::vector<float>& r, config::Algorithm algorithm,
                                        bool normalize_std) {
  const size_t n = r.size();
  std::vector<double> adv(n, 0.0);
  if (n < 2) return adv;
  const double mean = mean_of(r.data(), n);
  const double sd = sample_std_of(r.data(), n, mean);
  for (size_t i = 0; i < n; ++i) {
    if (algorithm == config::RLOO) {
      adv[i] = r[i] - (mean * static_cast<double>(n) - r[i]) / static_cast<double>(n - 1);
    } else {
      adv[i] = r[i] - mean;
      if (normalize_std || algorithm == config::REINFORCE_PP) adv[i] /= sd + kStdEps;
    }
  }
  return adv;
}

}  // namespace

std::vector<float> sequence_advantages(const std::vector<float>& rewards,
                                       const std::vector<uint8_t>& judged, int64_t group_size,
                                       config::Algorithm algorithm, bool normalize_std) {
  std::vector<float> out(rewards.size(), 0.0f);
  const size_t set_size = algorithm == config::REINFORCE_PP ? rewards.size() : group_size;
  if (set_size == 0) return out;
  for (size_t start = 0; start < rewards.size(); start += set_size) {
    std::vector<size_t> members;
    std::vector<float> values;
    for (size_t i = start; i < std::min(rewards.size(), start + set_size); ++i) {
      if (judged[i] == 0) continue;
      members.push_back(i);
      values.push_back(rewards[i]);
    }
    const auto adv = baseline_advantages(values, algorithm, normalize_std);
    for (size_t k = 0; k < members.size(); ++k) out[members[k]] = static_cast<float>(adv[k]);
  }
  return out;
}

torch::Tensor kl_estimate(const torch::Tensor& logp, const torch::Tensor& ref_logp,
                          config::KlEstimator estimator) {
  const auto log_ratio = ref_logp - logp;  // log(pi_ref / pi)
  if (estimator == config::K1) return -log_ratio;
  return torch::exp(log_ratio) - log_ratio - 1;
}

LossScale loss_scale(const torch::Tensor& mask) {
  LossScale s;
  s.tokens = std::max(1.0, mask.sum().item<double>());
  s.sequences = std::max(1.0, (mask.sum(1) > 0).sum().item<double>());
  return s;
}

PolicyLoss policy_loss(const PolicyLossInputs& in, const config::RlConfig& rl, const LossScale& scale) {
  const auto ratio = torch::exp(in.logp - in.old_logp);
  const auto& adv = in.advantages;
  const auto unclipped = -adv * ratio;
  const auto clipped = -adv * ratio.clamp(1.0 - rl.clip_low(), 1.0 + rl.clip_high());
  auto per_token = torch::max(unclipped, clipped);
  PolicyLoss out;
  const auto& mask = in.mask;
  out.clip_fraction = ((clipped > unclipped).to(torch::kFloat) * mask).sum().item<double>() / scale.tokens;
  if (in.ref_logp.defined()) {
    const auto kl = kl_estimate(in.logp, in.ref_logp, rl.kl_estimator());
    out.kl = (kl.detach() * mask).sum().item<double>() / scale.tokens;
    per_token = per_token + rl.kl_coef() * kl;
  }
  const auto masked = per_token * mask;
  switch (rl.loss_aggregation()) {
    case config::SEQUENCE_MEAN:
      out.loss = (masked.sum(1) / mask.sum(1).clamp_min(1)).sum() / scale.sequences;
      break;
    case config::CONSTANT_SUM:
      out.loss = masked.sum() / (scale.sequences * rl.max_new_tokens());
      break;
    default:
      out.loss = masked.sum() / scale.tokens;
  }
  return out;
}

}  // namespace rlvr::trainer
