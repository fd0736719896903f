// Reads loss inputs as JSON on stdin and prints rlvr's policy loss and its
// gradient with respect to the log-probs, for python/trl_loss_parity_test.py.
// Input: {"logp","old_logp","ref_logp","mask": [[..]] (B x T), "advantages": [..] (B),
//         "aggregation": "TOKEN_MEAN"|..., "clip_low", "clip_high", "kl_coef", "max_new_tokens"}.
#include <torch/torch.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "trainer/rl_objective.h"

namespace {

torch::Tensor matrix(const nlohmann::json& rows) {
  std::vector<float> values;
  for (const auto& row : rows) {
    for (float v : row) values.push_back(v);
  }
  return torch::tensor(values).view({static_cast<int64_t>(rows.size()), -1});
}

}  // namespace

int main() {
  using namespace rlvr;
  const auto in = nlohmann::json::parse(std::cin);
  config::RlConfig rl;
  config::LossAggregation aggregation;
  if (!config::LossAggregation_Parse(in.at("aggregation").get<std::string>(), &aggregation)) {
    std::cerr << "unknown aggregation\n";
    return 2;
  }
  rl.set_loss_aggregation(aggregation);
  rl.set_clip_low(in.at("clip_low"));
  rl.set_clip_high(in.at("clip_high"));
  rl.set_kl_coef(in.at("kl_coef"));
  rl.set_kl_estimator(config::K3);
  rl.set_max_new_tokens(in.at("max_new_tokens"));
  trainer::PolicyLossInputs inputs;
  inputs.logp = matrix(in.at("logp")).requires_grad_(true);
  inputs.old_logp = matrix(in.at("old_logp"));
  inputs.mask = matrix(in.at("mask"));
  if (rl.kl_coef() > 0) inputs.ref_logp = matrix(in.at("ref_logp"));
  inputs.advantages = torch::tensor(in.at("advantages").get<std::vector<float>>()).unsqueeze(1) * inputs.mask;
  const auto loss = trainer::policy_loss(inputs, rl, trainer::loss_scale(inputs.mask));
  loss.loss.backward();
  const auto grad = inputs.logp.grad().contiguous();
  nlohmann::json out;
  out["loss"] = loss.loss.item<double>();
  out["grad"] = std::vector<float>(grad.data_ptr<float>(), grad.data_ptr<float>() + grad.numel());
  std::cout << out.dump() << "\n";
  return 0;
}
