#include <gtest/gtest.h>

#include <cmath>

#include "trainer/rl_objective.h"

namespace rlvr::trainer {
namespace {

constexpr float kEps = 1e-4f;  // the std epsilon of rl_objective.cpp

void expect_near(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << "index " << i;
}

TEST(Advantages, GrpoCentresAndScalesByUnbiasedGroupStd) {
  // Group [1,0,0,0]: mean 0.25, unbiased std sqrt((0.5625 + 3·0.0625)/3) = 0.5.
  const std::vector<float> r{1, 0, 0, 0, 1, 1, 0, 0};
  const float s2 = std::sqrt(1.0f / 3.0f);  // second group: mean 0.5, std sqrt(1/3)
  expect_near(compute_advantages(r, 4, config::GRPO, true),
              {0.75f / (0.5f + kEps), -0.25f / (0.5f + kEps), -0.25f / (0.5f + kEps),
               -0.25f / (0.5f + kEps), 0.5f / (s2 + kEps), 0.5f / (s2 + kEps),
               -0.5f / (s2 + kEps), -0.5f / (s2 + kEps)});
}

TEST(Advantages, DrGrpoOnlyCentres) {
  expect_near(compute_advantages({1, 0, 0, 0}, 4, config::GRPO, false), {0.75f, -0.25f, -0.25f, -0.25f});
}

TEST(Advantages, RlooSubtractsTheMeanOfTheOthers) {
  expect_near(compute_advantages({1, 0, 0, 0}, 4, config::RLOO, true),
              {1.0f, -1.0f / 3, -1.0f / 3, -1.0f / 3});
  expect_near(compute_advantages({2, 4}, 2, config::RLOO, true), {-2.0f, 2.0f});
}

TEST(Advantages, ReinforcePlusPlusWhitensOverTheBatch) {
  // Batch [1,0,1,1]: mean 0.75, unbiased std 0.5, groups ignored.
  const float d = 0.5f + kEps;
  expect_near(compute_advantages({1, 0, 1, 1}, 2, config::REINFORCE_PP, true),
              {0.25f / d, -0.75f / d, 0.25f / d, 0.25f / d});
}

TEST(Advantages, EqualRewardsGiveZeroAdvantage) {
  for (auto algo : {config::GRPO, config::RLOO, config::REINFORCE_PP}) {
    expect_near(compute_advantages({1, 1, 1, 1}, 4, algo, true), {0, 0, 0, 0});
  }
}

TEST(KlEstimators, MatchTheirDefinitions) {
  const auto logp = torch::tensor({-1.0f, -0.5f, -2.0f});
  const auto ref = torch::tensor({-2.0f, -0.5f, -1.0f});
  const auto k1 = kl_estimate(logp, ref, config::K1);
  const auto k3 = kl_estimate(logp, ref, config::K3);
  const float expected_k1[] = {1.0f, 0.0f, -1.0f};
  for (int i = 0; i < 3; ++i) {
    const float d = ref[i].item<float>() - logp[i].item<float>();
    EXPECT_NEAR(k1[i].item<float>(), expected_k1[i], 1e-6);
    EXPECT_NEAR(k3[i].item<float>(), std::exp(d) - d - 1, 1e-6);
    EXPECT_GE(k3[i].item<float>(), 0.0f);
  }
}

config::RlConfig rl_config() {
  config::RlConfig rl;
  rl.set_clip_low(0.2);
  rl.set_clip_high(0.28);
  rl.set_max_new_tokens(4);
  return rl;
}

// One token per sequence with the given ratio and advantage.
PolicyLoss one_token_loss(float ratio, float advantage, torch::Tensor* logp_out = nullptr) {
  auto logp = torch::full({1, 1}, std::log(ratio), torch::requires_grad());
  PolicyLossInputs in;
  in.logp = logp;
  in.old_logp = torch::zeros({1, 1});
  in.advantages = torch::full({1}, advantage);
  in.mask = torch::ones({1, 1});
  PolicyLoss out = policy_loss(in, rl_config());
  if (logp_out != nullptr) *logp_out = logp;
  return out;
}

TEST(PolicyLoss, ClipsAboveOnlyForPositiveAdvantage) {
  torch::Tensor logp;
  PolicyLoss l = one_token_loss(1.5f, 1.0f, &logp);
  EXPECT_NEAR(l.loss.item<float>(), -1.28f, 1e-5);  // clipped at 1 + clip_high
  EXPECT_EQ(l.clip_fraction, 1.0);
  l.loss.backward();
  EXPECT_EQ(logp.grad().item<float>(), 0.0f);  // no gradient through the clipped term
  l = one_token_loss(1.5f, -1.0f);
  EXPECT_NEAR(l.loss.item<float>(), 1.5f, 1e-5);  // pessimistic bound keeps the ratio
  EXPECT_EQ(l.clip_fraction, 0.0);
}

TEST(PolicyLoss, ClipsBelowOnlyForNegativeAdvantage) {
  PolicyLoss l = one_token_loss(0.5f, -1.0f);
  EXPECT_NEAR(l.loss.item<float>(), 0.8f, 1e-5);  // clipped at 1 - clip_low
  EXPECT_EQ(l.clip_fraction, 1.0);
  l = one_token_loss(0.5f, 1.0f);
  EXPECT_NEAR(l.loss.item<float>(), -0.5f, 1e-5);
  EXPECT_EQ(l.clip_fraction, 0.0);
  l = one_token_loss(1.1f, 1.0f);  // inside the band: plain ratio
  EXPECT_NEAR(l.loss.item<float>(), -1.1f, 1e-5);
}

TEST(PolicyLoss, AggregationsOverUnequalLengths) {
  // Ratio 1 everywhere: per-token loss is -A. Sequence 0 has 1 token (A=1),
  // sequence 1 has 3 tokens (A=2).
  PolicyLossInputs in;
  in.logp = torch::zeros({2, 3});
  in.old_logp = torch::zeros({2, 3});
  in.advantages = torch::tensor({1.0f, 2.0f});
  in.mask = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f}).view({2, 3});
  auto rl = rl_config();
  rl.set_loss_aggregation(config::TOKEN_MEAN);
  EXPECT_NEAR(policy_loss(in, rl).loss.item<float>(), -7.0f / 4, 1e-6);
  rl.set_loss_aggregation(config::SEQUENCE_MEAN);
  EXPECT_NEAR(policy_loss(in, rl).loss.item<float>(), -1.5f, 1e-6);
  rl.set_loss_aggregation(config::CONSTANT_SUM);  // / (2 sequences · 4 max tokens)
  EXPECT_NEAR(policy_loss(in, rl).loss.item<float>(), -7.0f / 8, 1e-6);
}

TEST(PolicyLoss, KlTermIsAddedPerToken) {
  PolicyLossInputs in;
  in.logp = torch::full({1, 2}, -1.0f);
  in.old_logp = in.logp.clone();
  in.ref_logp = torch::full({1, 2}, -2.0f);
  in.advantages = torch::zeros({1});
  in.mask = torch::ones({1, 2});
  auto rl = rl_config();
  rl.set_kl_coef(0.5);
  rl.set_kl_estimator(config::K3);
  const float k3 = std::exp(-1.0f) + 1.0f - 1.0f;
  const PolicyLoss l = policy_loss(in, rl);
  EXPECT_NEAR(l.kl, k3, 1e-6);
  EXPECT_NEAR(l.loss.item<float>(), 0.5f * k3, 1e-6);
}

}  // namespace
}  // namespace rlvr::trainer
