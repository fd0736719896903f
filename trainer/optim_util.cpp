#include "trainer/optim_util.h"

#include <cmath>

namespace rlvr::trainer {

torch::optim::AdamW make_adamw(models::Policy& policy, double lr, double beta1, double beta2,
                               double weight_decay) {
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : policy.model()->parameters()) (p.dim() >= 2 ? decay : no_decay).push_back(p);
  torch::optim::AdamWOptions options(lr);
  options.betas({beta1, beta2}).weight_decay(weight_decay);
  auto no_decay_options = options;
  no_decay_options.weight_decay(0);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(options));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(no_decay_options));
  return torch::optim::AdamW(std::move(groups), options);
}

void set_lr(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
}

double gradient_norm(models::Policy& policy, double clip) {
  const auto params = policy.model()->parameters();
  if (clip > 0) return torch::nn::utils::clip_grad_norm_(params, clip);
  double sum = 0;
  for (const auto& p : params) {
    if (p.grad().defined()) sum += p.grad().to(torch::kDouble).pow(2).sum().item<double>();
  }
  return std::sqrt(sum);
}

void copy_weights(models::Policy& from, models::Policy& to) {
  torch::NoGradGuard no_grad;
  const auto source = from.model()->named_parameters();
  for (auto& p : to.model()->named_parameters()) p.value().copy_(source[p.key()]);
  const auto buffers = from.model()->named_buffers();
  for (auto& b : to.model()->named_buffers()) b.value().copy_(buffers[b.key()]);
}

}  // namespace rlvr::trainer
