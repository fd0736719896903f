#include <gtest/gtest.h>

#include <cmath>

#include "trainer/rl_objective.h"

namespace rlvr::trainer {
namespace {

constexpr float kEps = 1e-4f;  // the std epsilon of rl_objective.cpp

std::vector<uint8_t> all_judged(const std::vector<float>& rewards) {
  return std::vector<uint8_t>(rewards.size(), 1);
}

void expect_near(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << "index " << i;
}

TEST(Advantages, GrpoCentresAndScalesByUnbiasedGroupStd) {
  // Group [1,0,0,0]: mean 0.25, unbiased std sqrt((0.5625 + 3·0.0625)/3) = 0.5.
  const std::vector<float> r{1, 0, 0, 0, 1, 1, 0, 0};
  const float s2 = std::sqrt(1.0f / 3.0f);  // second group: mean 0.5, std sqrt(1/3)
  expect_near(sequence_advantages(r, all_judged(r), 4, config::GRPO, true),
              {0.75f / (0.5f + kEps), -0.25f / (0.5f + kEps), -0.25f / (0.5f + kEps),
               -0.25f / (0.5f + kEps), 0.5f / (s2 + kEps), 0.5f / (s2 + kEps),
               -0.5f / (s2 + kEps), -0.5f / (s2 + kEps)});
}

TEST(Advantages, DrGrpoOnlyCentres) {
  expect_near(sequence_advantages({1, 0, 0, 0}, all_judged({1, 0, 0, 0}), 4, config::GRPO, false), {0.75f, -0.25f, -0.25f, -0.25f});
}

TEST(Advantages, RlooSubtractsTheMeanOfTheOthers) {
  expect_near(sequence_advantages({1, 0, 0, 0}, all_judged({1, 0, 0, 0}), 4, config::RLOO, true),
              {1.0f, -1.0f / 3, -1.0f / 3, -1.0f / 3});
  expect_near(sequence_advantages({2, 4}, all_judged({2, 4}), 2, config::RLOO, true), {-2.0f, 2.0f});
}

TEST(Advantages, ReinforcePlusPlusWhitensOverTheBatch) {
  // Batch [1,0,1,1]: mean 0.75, unbiased std 0.5, groups ignored.
  const float d = 0.5f + kEps;
  expect_near(sequence_advantages({1, 0, 1, 1}, all_judged({1, 0, 1, 1}), 2, config::REINFORCE_PP, true),
              {0.25f / d, -0.75f / d, 0.25f / d, 0.25f / d});
}

TEST(Advantages, EqualRewardsGiveZeroAdvantage) {
  for (auto algo : {config::GRPO, config::RLOO, config::REINFORCE_PP}) {
    expect_near(sequence_advantages({1, 1, 1, 1}, all_judged({1, 1, 1, 1}), 4, algo, true), {0, 0, 0, 0});
  }
}

TEST(Advantages, UnjudgedRewardsStayOutOfTheBaseline) {
  // The third reward was not judged: the group is [1, 0, 0] for the baseline.
  const std::vector<float> r{1, 0, 0.5f, 0};
  const std::vector<uint8_t> judged{1, 1, 0, 1};
  const float sd = std::sqrt(1.0f / 3.0f);  // unbiased std of [1, 0, 0]
  expect_near(sequence_advantages(r, judged, 4, config::GRPO, true),
              {(2.0f / 3) / (sd + kEps), (-1.0f / 3) / (sd + kEps), 0, (-1.0f / 3) / (sd + kEps)});
  expect_near(sequence_advantages(r, judged, 4, config::RLOO, true), {1.0f, -0.5f, 0, -0.5f});
  // A group with a single judged reward has no baseline.
  expect_near(sequence_advantages({1, 0}, {1, 0}, 2, config::GRPO, true), {0, 0});
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
  in.advantages = torch::full({1, 1}, advantage);
  in.mask = torch::ones({1, 1});
  PolicyLoss out = policy_loss(in, rl_config(), loss_scale(in.mask));
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
  in.mask = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f}).view({2, 3});
  in.advantages = torch::tensor({1.0f, 2.0f}).unsqueeze(1) * in.mask;
  auto rl = rl_config();
  rl.set_loss_aggregation(config::TOKEN_MEAN);
  EXPECT_NEAR(policy_loss(in, rl, loss_scale(in.mask)).loss.item<float>(), -7.0f / 4, 1e-6);
  rl.set_loss_aggregation(config::SEQUENCE_MEAN);
  EXPECT_NEAR(policy_loss(in, rl, loss_scale(in.mask)).loss.item<float>(), -1.5f, 1e-6);
  rl.set_loss_aggregation(config::CONSTANT_SUM);  // / (2 sequences · 4 max tokens)
  EXPECT_NEAR(policy_loss(in, rl, loss_scale(in.mask)).loss.item<float>(), -7.0f / 8, 1e-6);
}

TEST(PolicyLoss, KlTermIsAddedPerToken) {
  PolicyLossInputs in;
  in.logp = torch::full({1, 2}, -1.0f);
  in.old_logp = in.logp.clone();
  in.ref_logp = torch::full({1, 2}, -2.0f);
  in.advantages = torch::zeros({1, 2});
  in.mask = torch::ones({1, 2});
  auto rl = rl_config();
  rl.set_kl_coef(0.5);
  rl.set_kl_estimator(config::K3);
  const float k3 = std::exp(-1.0f) + 1.0f - 1.0f;
  const PolicyLoss l = policy_loss(in, rl, loss_scale(in.mask));
  EXPECT_NEAR(l.kl, k3, 1e-6);
  EXPECT_NEAR(l.loss.item<float>(), 0.5f * k3, 1e-6);
}

TEST(PolicyLoss, MicroBatchLossesAddUpToTheMinibatchLoss) {
  // Three sequences of unequal lengths, split into micro-batches {0, 1} and {2}.
  const auto mask = torch::tensor({1.0f, 1.0f, 0.0f, 1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f}).view({3, 3});
  PolicyLossInputs in;
  in.logp = torch::tensor({-1.0f, -0.5f, 0.0f, -2.0f, 0.0f, 0.0f, -0.1f, -0.3f, -0.2f}).view({3, 3});
  in.old_logp = in.logp + 0.1;
  in.ref_logp = in.logp - 0.2;
  in.advantages = torch::tensor({1.0f, -2.0f, 0.5f}).unsqueeze(1) * mask;
  in.mask = mask;
  const auto rows = [&](const PolicyLossInputs& all, int64_t first, int64_t n) {
    PolicyLossInputs part;
    part.logp = all.logp.narrow(0, first, n);
    part.old_logp = all.old_logp.narrow(0, first, n);
    part.ref_logp = all.ref_logp.narrow(0, first, n);
    part.advantages = all.advantages.narrow(0, first, n);
    part.mask = all.mask.narrow(0, first, n);
    return part;
  };
  auto rl = rl_config();
  rl.set_kl_coef(0.1);
  for (auto aggregation : {config::TOKEN_MEAN, config::SEQUENCE_MEAN, config::CONSTANT_SUM}) {
    rl.set_loss_aggregation(aggregation);
    const LossScale scale = loss_scale(mask);
    const PolicyLoss whole = policy_loss(in, rl, scale);
    const PolicyLoss a = policy_loss(rows(in, 0, 2), rl, scale);
    const PolicyLoss b = policy_loss(rows(in, 2, 1), rl, scale);
    EXPECT_NEAR((a.loss + b.loss).item<float>(), whole.loss.item<float>(), 1e-6) << aggregation;
    EXPECT_NEAR(a.kl + b.kl, whole.kl, 1e-6);
    EXPECT_NEAR(a.clip_fraction + b.clip_fraction, whole.clip_fraction, 1e-9);
  }
}

}  // namespace
}  // namespace rlvr::trainer
