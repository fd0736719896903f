// The pieces of the verification controls: RFT trains on exactly the verified
// completions with SFT's loss, coin-flip rewards keep the batch's mean, the
// guard against RL learning rates that undo SFT fires where it should.
#include <gtest/gtest.h>

#include "core/config.h"
#include "tiny_config.h"
#include "trainer/algorithm.h"
#include "trainer/coin_flip_rewards.h"
#include "trainer/lr_schedule.h"
#include "trainer/rl_batch.h"
#include "trainer/scoring.h"
#include "trainer/sft_batch.h"

namespace rlvr::trainer {
namespace {

// Two groups of three completions of "3+4=" and "2+2="; `correct` marks the verified ones.
Rollouts two_groups(const models::Policy& policy, const std::vector<uint8_t>& correct) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
      {"3+4=", {"7", "8", "17"}}, {"2+2=", {"4", "4", "5"}}};
  Rollouts ro;
  ro.group_size = 3;
  size_t row = 0;
  for (const auto& [prompt, answers] : groups) {
    ro.tasks.push_back(Task{});
    ro.tasks.back().prompt = prompt;
    for (const std::string& answer : answers) {
      models::Completion c;
      c.text = answer;
      c.tokens = policy.tokenizer().encode(answer);
      c.tokens.push_back(policy.end_id());
      ro.completions.push_back(c);
      ro.prompt_tokens.push_back(policy.encode_prompt(prompt));
      ro.rewards.push_back(correct[row] ? 1.0f : 0.0f);
      ro.correct.push_back(correct[row]);
      ro.judged.push_back(1);
      ++row;
    }
  }
  return ro;
}

config::RlConfig rft_config() {
  return tiny_experiment("unused", {"rl.algorithm=RFT", "rl.group_size=3"}).config.rl();
}

TEST(RejectionSampling, KeepsOnlyVerifiedCompletionsEvenFromAllCorrectGroups) {
  models::Policy policy(tiny_experiment("unused").config.model(), 3);
  // The second group is all correct: GRPO would drop it as zero-variance, RFT keeps it.
  const Rollouts ro = two_groups(policy, {1, 0, 0, 1, 1, 1});
  const auto rl = rft_config();
  ASSERT_TRUE(rl.filter_zero_variance());
  const auto rft = make_algorithm(rl);
  FlopCounter flops;
  const RlBatch batch = make_rl_batch(ro, RlModels{policy}, *rft, rl, flops);
  ASSERT_EQ(batch.rows(), 4);
  for (const float r : batch.rewards) EXPECT_EQ(r, 1.0f);
  // Each kept row's response is "7" or "4" and the end token: two tokens.
  EXPECT_EQ(batch.tokens.loss_mask.sum().item<double>(), 8.0);

  const Rollouts none = two_groups(policy, {0, 0, 0, 0, 0, 0});
  EXPECT_EQ(make_rl_batch(none, RlModels{policy}, *rft, rl, flops).rows(), 0);
}

TEST(RejectionSampling, LossEqualsSftLossOnTheVerifiedCompletions) {
  models::Policy policy(tiny_experiment("unused").config.model(), 3);
  const Rollouts ro = two_groups(policy, {1, 0, 1, 0, 1, 0});
  const auto rl = rft_config();
  const auto rft = make_algorithm(rl);
  FlopCounter flops;
  const RlBatch batch = make_rl_batch(ro, RlModels{policy}, *rft, rl, flops);
  const ResponseScores scores = score_responses(policy, batch.tokens);
  PolicyLossInputs in;
  in.logp = scores.logp;
  in.old_logp = scores.logp.detach();
  in.advantages = batch.advantages;
  in.mask = batch.tokens.loss_mask;
  const double rft_loss = rft->loss(in, loss_scale(in.mask)).loss.item<double>();

  std::vector<Task> demonstrations;
  for (const auto& [prompt, solution] : std::vector<std::pair<std::string, std::string>>{
           {"3+4=", "7"}, {"3+4=", "17"}, {"2+2=", "4"}}) {
    Task t;
    t.prompt = prompt;
    t.solution = solution;
    demonstrations.push_back(t);
  }
  const TokenBatch sft = make_sft_batch(policy, demonstrations);
  const double sft_value = sft_loss(policy, sft, sft.loss_mask.sum().item<double>()).item<double>();
  EXPECT_NEAR(rft_loss, sft_value, 1e-5);
  EXPECT_GT(rft_loss, 0.0);
}

TEST(RejectionSampling, RejectsAKlTerm) {
  EXPECT_THROW(make_algorithm(tiny_experiment("unused", {"rl.algorithm=RFT", "rl.kl_coef=0.1"}).config.rl()),
               ConfigError);
}

Rollouts judged_rewards(size_t n, double mean) {
  Rollouts ro;
  for (size_t i = 0; i < n; ++i) {
    ro.rewards.push_back(static_cast<double>(i % 1000) < 1000 * mean ? 1.0f : 0.0f);
    ro.correct.push_back(ro.rewards.back() > 0 ? 1 : 0);
    ro.judged.push_back(1);
  }
  return ro;
}

TEST(CoinFlipRewards, HaveTheBatchMeanAndIgnoreCorrectness) {
  for (const double mean : {0.0, 0.3, 0.9}) {
    Rollouts ro = judged_rewards(40000, mean);
    const auto correct = ro.correct;
    EXPECT_NEAR(flip_coin_rewards(ro, 7), mean, 1e-9);
    double sum = 0, agree = 0;
    for (size_t i = 0; i < ro.rewards.size(); ++i) {
      sum += ro.rewards[i];
      agree += (ro.rewards[i] > 0) == (correct[i] != 0) ? 1 : 0;
      ASSERT_TRUE(ro.rewards[i] == 0.0f || ro.rewards[i] == 1.0f);
    }
    // Binomial spread: sd = sqrt(m(1-m)/n) <= 0.0025; five of them.
    EXPECT_NEAR(sum / 40000, mean, 0.0125) << "mean " << mean;
    // Independent of the verdict: agreement m^2 + (1-m)^2, not 1.
    EXPECT_NEAR(agree / 40000, mean * mean + (1 - mean) * (1 - mean), 0.0125) << "mean " << mean;
    EXPECT_EQ(ro.correct, correct) << "the verifier's verdicts stay for the metrics";
  }
}

TEST(CoinFlipRewards, LeaveUnjudgedRowsAlone) {
  Rollouts ro = judged_rewards(4, 0.5);
  ro.judged[3] = 0;
  ro.rewards[3] = 0.25f;
  flip_coin_rewards(ro, 1);
  EXPECT_EQ(ro.rewards[3], 0.25f);
}

config::ExperimentConfig three_laws(const std::vector<std::string>& overrides) {
  return config::load(std::string(RLVR_SOURCE_DIR) + "/configs/sweeps/three_laws_base.pbtxt", overrides).config;
}

TEST(RlLrJumpWarning, FiresOnTheThreeLawsCollapseConfiguration) {
  // rl.lr 5e-4 after an SFT that ended at 1e-3 x 0.1: the setting that took a
  // 342K model from 76% to 0% in one step (on the sweep's earlier addition task).
  const std::string warning = rl_lr_jump_warning(three_laws({"sft.lr=1e-3", "rl.lr=5e-4"}));
  EXPECT_NE(warning.find("rl.lr 0.0005 is 5.0x"), std::string::npos) << warning;
  EXPECT_NE(warning.find("Lower rl.lr to at most 0.0003"), std::string::npos) << warning;
}

TEST(RlLrJumpWarning, QuietWithinTheFactorOrWhenOff) {
  // The sweep's own pairs: RL at twice the rate SFT's cosine ends at.
  EXPECT_EQ(rl_lr_jump_warning(three_laws({})), "");
  EXPECT_EQ(rl_lr_jump_warning(three_laws({"sft.lr=6e-4", "rl.lr=1.2e-4"})), "");
  EXPECT_EQ(rl_lr_jump_warning(three_laws({"sft.lr=1e-3", "rl.lr=5e-4", "rl.lr_jump_warning=0"})), "");
  EXPECT_EQ(rl_lr_jump_warning(three_laws({"sft.lr=1e-3", "rl.lr=5e-4", "rl.lr_jump_warning=6"})), "");
  EXPECT_EQ(rl_lr_jump_warning(three_laws({"sft.lr=1e-3", "rl.lr=5e-4", "sft.steps=0"})), "");
}

}  // namespace
}  // namespace rlvr::trainer
