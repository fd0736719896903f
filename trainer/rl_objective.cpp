#include "trainer/rl_objective.h"

#include <cmath>
#include <numeric>

namespace rlvr::trainer {
namespace {

// Keeps a group (or batch) of identical rewards at zero advantage instead of 0/0.
constexpr double kStdEps = 1e-4;

double mean_of(const float* begin, const float* end) {
  return std::accumulate(begin, end, 0.0) / static_cast<double>(end - begin);
}

// Unbiased (n - 1) standard deviation, as torch.std.
double std_of(const float* begin, const float* end, double mean) {
  const auto n = end - begin;
  if (n < 2) return 0;
  double sum = 0;
  for (const float* x = begin; x != end; ++x) sum += (*x - mean) * (*x - mean);
  return std::sqrt(sum / static_cast<double>(n - 1));
}

}  // namespace

std::vector<float> compute_advantages(const std::vector<float>& rewards, int64_t group_size,
                                      config::Algorithm algorithm, bool normalize_std) {
  std::vector<float> adv(rewards.size());
  const float* r = rewards.data();
  if (algorithm == config::REINFORCE_PP) {
    const double mean = mean_of(r, r + rewards.size());
    const double sd = std_of(r, r + rewards.size(), mean);
    for (size_t i = 0; i < rewards.size(); ++i) adv[i] = static_cast<float>((r[i] - mean) / (sd + kStdEps));
    return adv;
  }
  for (size_t start = 0; start < rewards.size(); start += group_size) {
    const float* g = r + start;
    const double mean = mean_of(g, g + group_size);
    const double sum = mean * group_size;
    const double sd = std_of(g, g + group_size, mean);
    for (int64_t i = 0; i < group_size; ++i) {
      double a;
      if (algorithm == config::RLOO) {
        a = g[i] - (sum - g[i]) / static_cast<double>(group_size - 1);
      } else {
        a = g[i] - mean;
        if (normalize_std) a /= sd + kStdEps;
      }
      adv[start + i] = static_cast<float>(a);
    }
  }
  return adv;
}

torch::Tensor kl_estimate(const torch::Tensor& logp, const torch::Tensor& ref_logp,
                          config::KlEstimator estimator) {
  const auto log_ratio = ref_logp - logp;  // log(pi_ref / pi)
  if (estimator == config::K1) return -log_ratio;
  return torch::exp(log_ratio) - log_ratio - 1;
}

PolicyLoss policy_loss(const PolicyLossInputs& in, const config::RlConfig& rl) {
  const auto ratio = torch::exp(in.logp - in.old_logp);
  const auto adv = in.advantages.unsqueeze(1);
  const auto unclipped = -adv * ratio;
  const auto clipped = -adv * ratio.clamp(1.0 - rl.clip_low(), 1.0 + rl.clip_high());
  auto per_token = torch::max(unclipped, clipped);
  PolicyLoss out{};
  const auto mask = in.mask;
  const double tokens = std::max(1.0, mask.sum().item<double>());
  out.clip_fraction = ((clipped > unclipped).to(torch::kFloat) * mask).sum().item<double>() / tokens;
  if (in.ref_logp.defined()) {
    const auto kl = kl_estimate(in.logp, in.ref_logp, rl.kl_estimator());
    out.kl = (kl.detach() * mask).sum().item<double>() / tokens;
    per_token = per_token + rl.kl_coef() * kl;
  }
  const auto masked = per_token * mask;
  switch (rl.loss_aggregation()) {
    case config::SEQUENCE_MEAN:
      out.loss = (masked.sum(1) / mask.sum(1).clamp_min(1)).mean();
      break;
    case config::CONSTANT_SUM:
      out.loss = masked.sum() / static_cast<double>(mask.size(0) * rl.max_new_tokens());
      break;
    default:
      out.loss = masked.sum() / tokens;
  }
  return out;
}

}  // namespace rlvr::trainer
