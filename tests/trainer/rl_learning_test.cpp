// Tests that RL learns: hand-made rollouts of one prompt where one completion
// is rewarded go through the real batch and update stages (make_rl_batch,
// optimize); that completion's log-probability must rise for every algorithm
// and KL setting. Plus the equalities the stages promise: completion-only
// scoring equals full scoring, micro-batched updates equal one pass, and the
// step's KL metric is reported as measured, negative K1 estimates included.
#include <gtest/gtest.h>

#include <numeric>

#include "tiny_config.h"
#include "trainer/algorithm.h"
#include "trainer/optim_util.h"
#include "trainer/rl_metrics.h"
#include "trainer/rl_update.h"
#include "trainer/scoring.h"

namespace rlvr::trainer {
namespace {

constexpr const char* kPrompt = "3+4=";
const std::vector<std::string> kAnswers = {"7", "8", "6", "9"};  // the first is rewarded

config::RlConfig toy_rl(std::vector<std::string> overrides) {
  overrides.insert(overrides.begin(), {"rl.group_size=4", "rl.lr=1e-3", "rl.warmup_steps=0"});
  return tiny_experiment("unused", overrides).config.rl();
}

models::Policy toy_policy() { return models::Policy(tiny_experiment("unused").config.model(), 11); }

// One group: the four answers, each followed by the end token.
Rollouts toy_rollouts(const models::Policy& policy) {
  Rollouts ro;
  ro.tasks.push_back(Task{});
  ro.tasks.back().prompt = kPrompt;
  ro.group_size = static_cast<int64_t>(kAnswers.size());
  for (size_t i = 0; i < kAnswers.size(); ++i) {
    models::Completion c;
    c.text = kAnswers[i];
    c.tokens = policy.tokenizer().encode(kAnswers[i]);
    c.tokens.push_back(policy.end_id());
    ro.completions.push_back(c);
    ro.prompt_tokens.push_back(policy.encode_prompt(kPrompt));
    ro.rewards.push_back(i == 0 ? 1.0f : 0.0f);
    ro.correct.push_back(i == 0 ? 1 : 0);
    ro.judged.push_back(1);
  }
  return ro;
}

// Summed log-probability of each completion of the rollouts under `policy`.
std::vector<double> sequence_log_probs(models::Policy& policy, const Rollouts& ro) {
  std::vector<std::vector<int64_t>> sequences;
  std::vector<size_t> prompts;
  for (size_t i = 0; i < ro.completions.size(); ++i) {
    auto seq = ro.prompt_tokens[i];
    seq.insert(seq.end(), ro.completions[i].tokens.begin(), ro.completions[i].tokens.end());
    sequences.push_back(seq);
    prompts.push_back(ro.prompt_tokens[i].size());
  }
  const auto batch = make_token_batch(sequences, prompts, policy.pad_id(), policy.device());
  const auto sums = response_log_probs(policy, batch, 0).sum(1).to(torch::kDouble);
  return std::vector<double>(sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel());
}

struct ToyRun {
  std::vector<double> before, after;  // per completion
  double last_kl = 0;
};

// `steps` RL steps on the same rollouts, with a frozen copy of the initial
// policy as the KL reference when rl.kl_coef > 0.
ToyRun run_toy(const config::RlConfig& rl, int steps) {
  models::Policy policy = toy_policy();
  models::Policy reference = toy_policy();
  copy_weights(policy, reference);
  const Rollouts ro = toy_rollouts(policy);
  const auto algorithm = make_algorithm(rl);
  auto optimizer = make_adamw(policy, rl.lr(), rl.beta1(), rl.beta2(), rl.weight_decay());
  const RlModels models{policy, rl.kl_coef() > 0 ? &reference : nullptr};
  FlopCounter flops;
  ToyRun run;
  run.before = sequence_log_probs(policy, ro);
  for (int step = 1; step <= steps; ++step) {
    const RlBatch batch = make_rl_batch(ro, models, *algorithm, rl, flops);
    const UpdateStats update = optimize(models, optimizer, batch, *algorithm, rl, step, flops);
    EXPECT_EQ(update.updates, rl.ppo_epochs() * rl.minibatches());
    run.last_kl = rl_step_record(step, ro, batch, update, rl.lr(), LoopState{}).get("kl");
  }
  run.after = sequence_log_probs(policy, ro);
  return run;
}

struct LearningCase {
  std::string name;
  std::vector<std::string> overrides;
};

void PrintTo(const LearningCase& c, std::ostream* os) { *os << c.name; }

class RlLearns : public ::testing::TestWithParam<LearningCase> {};

TEST_P(RlLearns, TheRewardedCompletionGainsProbability) {
  const ToyRun run = run_toy(toy_rl(GetParam().overrides), 5);
  EXPECT_GT(run.after[0], run.before[0] + 0.05) << "log p of the rewarded completion";
  for (size_t i = 1; i < run.after.size(); ++i) {
    EXPECT_LT(run.after[i] - run.before[i], run.after[0] - run.before[0]) << kAnswers[i];
  }
}

INSTANTIATE_TEST_SUITE_P(
    Algorithms, RlLearns,
    ::testing::Values(
        LearningCase{"Grpo", {"rl.algorithm=GRPO"}},
        LearningCase{"DrGrpo", {"rl.algorithm=GRPO", "rl.normalize_std=false", "rl.loss_aggregation=CONSTANT_SUM"}},
        LearningCase{"GrpoSequenceMean", {"rl.loss_aggregation=SEQUENCE_MEAN"}},
        LearningCase{"Rloo", {"rl.algorithm=RLOO"}},
        LearningCase{"ReinforcePlusPlus", {"rl.algorithm=REINFORCE_PP"}},
        LearningCase{"RejectionSampling", {"rl.algorithm=RFT"}},
        LearningCase{"PpoEpochsAndMinibatches", {"rl.ppo_epochs=2", "rl.minibatches=2"}},
        LearningCase{"MicroBatches", {"rl.micro_batch_size=1"}},
        LearningCase{"KlLossK1", {"rl.kl_coef=0.05", "rl.kl_mode=KL_LOSS", "rl.kl_estimator=K1"}},
        LearningCase{"KlLossK3", {"rl.kl_coef=0.05", "rl.kl_mode=KL_LOSS", "rl.kl_estimator=K3"}},
        LearningCase{"KlRewardK1", {"rl.kl_coef=0.05", "rl.kl_mode=KL_REWARD", "rl.kl_estimator=K1"}},
        LearningCase{"KlRewardK3", {"rl.kl_coef=0.05", "rl.kl_mode=KL_REWARD", "rl.kl_estimator=K3"}}),
    [](const ::testing::TestParamInfo<LearningCase>& info) { return info.param.name; });

TEST(RlLearning, KlGrowsAsThePolicyLeavesTheReference) {
  const ToyRun run = run_toy(toy_rl({"rl.kl_coef=0.05", "rl.kl_estimator=K3"}), 5);
  EXPECT_GT(run.last_kl, 0.0);
}

TEST(RlLearning, NegativeK1KlInTheRewardIsReportedAsMeasured) {
  // The reference is trained towards the sampled completions, so they are more
  // likely under it than under the policy: every K1 estimate is negative.
  const auto rl = toy_rl({"rl.kl_coef=0.1", "rl.kl_mode=KL_REWARD", "rl.kl_estimator=K1"});
  models::Policy policy = toy_policy();
  models::Policy reference = toy_policy();
  copy_weights(policy, reference);
  const Rollouts ro = toy_rollouts(policy);
  const auto algorithm = make_algorithm(rl);
  FlopCounter flops;
  auto ref_optimizer = make_adamw(reference, 1e-2, 0.9, 0.99, 0);
  const RlBatch first = make_rl_batch(ro, RlModels{policy, nullptr}, *algorithm, rl, flops);
  for (int i = 0; i < 3; ++i) {
    ref_optimizer.zero_grad();
    (-score_responses(reference, first.tokens).logp.sum()).backward();
    ref_optimizer.step();
  }
  const RlBatch batch = make_rl_batch(ro, RlModels{policy, &reference}, *algorithm, rl, flops);
  ASSERT_TRUE(batch.reward_kl.has_value());
  ASSERT_LT(*batch.reward_kl, 0.0);
  // The penalty raised every reward (KL < 0 is subtracted).
  for (int64_t i = 0; i < batch.rows(); ++i) EXPECT_GT(batch.rewards[i], ro.rewards[i]);
  const auto record = rl_step_record(1, ro, batch, UpdateStats{}, rl.lr(), LoopState{});
  EXPECT_DOUBLE_EQ(record.get("kl"), *batch.reward_kl);
}

TEST(RlLearning, UnjudgedSamplesAreNeitherTrainedOnNorCountedInAccuracy) {
  const auto rl = toy_rl({});
  models::Policy policy = toy_policy();
  Rollouts ro = toy_rollouts(policy);
  ro.judged[1] = 0;  // e.g. a sandbox error
  const auto algorithm = make_algorithm(rl);
  FlopCounter flops;
  const RlBatch batch = make_rl_batch(ro, RlModels{policy, nullptr}, *algorithm, rl, flops);
  ASSERT_EQ(batch.rows(), 4);
  EXPECT_EQ(batch.tokens.loss_mask[1].sum().item<float>(), 0.0f);
  EXPECT_EQ(batch.advantages[1].abs().sum().item<float>(), 0.0f);
  const auto record = rl_step_record(1, ro, batch, UpdateStats{}, rl.lr(), LoopState{});
  EXPECT_DOUBLE_EQ(record.get("accuracy"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(record.get("verify/unjudged"), 0.25);
}

TEST(RlLearning, AGroupWithOneJudgedSampleIsFlat) {
  const auto rl = toy_rl({});
  models::Policy policy = toy_policy();
  Rollouts ro = toy_rollouts(policy);
  ro.judged = {1, 0, 0, 0};
  const auto algorithm = make_algorithm(rl);
  FlopCounter flops;
  const RlBatch batch = make_rl_batch(ro, RlModels{policy, nullptr}, *algorithm, rl, flops);
  EXPECT_EQ(batch.rows(), 0);
  EXPECT_EQ(batch.flat_groups, 1);
}

TEST(Scoring, CompletionOnlyEqualsFullVocabularyScoring) {
  models::Policy policy = toy_policy();
  const Rollouts ro = toy_rollouts(policy);
  const auto algorithm = make_algorithm(toy_rl({}));
  FlopCounter flops;
  const TokenBatch tokens =
      unshared_token_batch(make_rl_batch(ro, RlModels{policy, nullptr}, *algorithm, toy_rl({}), flops).tokens);
  torch::NoGradGuard no_grad;
  const auto logits = policy.model()->forward(tokens.inputs, tokens.valid);
  const auto full = logits.log_softmax(-1).gather(-1, tokens.targets.unsqueeze(-1)).squeeze(-1) * tokens.loss_mask;
  const auto selective = response_log_probs(policy, tokens, 0);
  EXPECT_LT((selective - full).abs().max().item<double>(), 1e-5);
  const auto micro = response_log_probs(policy, tokens, 3);
  EXPECT_LT((micro - full).abs().max().item<double>(), 1e-5);
  // The entropy of the selected logits is the masked mean of the full entropy.
  const auto logp = logits.log_softmax(-1);
  const double full_entropy = ((-(logp.exp() * logp).sum(-1)) * tokens.loss_mask).sum().item<double>() /
                              tokens.loss_mask.sum().item<double>();
  EXPECT_NEAR(mean_entropy(score_responses(policy, tokens).logits), full_entropy, 1e-5);
}

TEST(RlUpdate, MicroBatchesGiveTheSameUpdateAsOnePass) {
  // Plain SGD with lr 1: the weight change is the (clipped) gradient itself.
  std::vector<std::vector<torch::Tensor>> weights;
  for (const std::string micro : {"0", "1", "3"}) {
    const auto rl = toy_rl({"rl.micro_batch_size=" + micro, "rl.kl_coef=0.1"});
    models::Policy policy = toy_policy();
    models::Policy reference = toy_policy();
    const Rollouts ro = toy_rollouts(policy);
    const auto algorithm = make_algorithm(rl);
    torch::optim::SGD optimizer(policy.model()->parameters(), torch::optim::SGDOptions(1.0));
    FlopCounter flops;
    const RlModels models{policy, &reference};
    optimize(models, optimizer, make_rl_batch(ro, models, *algorithm, rl, flops), *algorithm, rl, 1, flops);
    weights.push_back(policy.model()->parameters());
  }
  for (size_t k = 1; k < weights.size(); ++k) {
    for (size_t i = 0; i < weights[0].size(); ++i) {
      EXPECT_LT((weights[k][i] - weights[0][i]).abs().max().item<double>(), 1e-6) << "param " << i;
    }
  }
}

TEST(RlUpdate, AutomaticMicroBatchesKeepEachPassWithinItsActivationBudget) {
  models::ModelShape shape;
  shape.d_model = 512;
  shape.n_heads = 8;
  const torch::Device cpu(torch::kCPU);
  EXPECT_EQ(rows_per_pass(7, 320, shape, cpu), 7);  // a configured size is kept
  // 2M activation values per pass: 12 rows of 320 positions at d_model 512.
  EXPECT_EQ(rows_per_pass(0, 320, shape, cpu), 12);
  EXPECT_EQ(rows_per_pass(0, 100000, shape, cpu), 1);  // never fewer than one row
  shape.d_model = 64;
  shape.n_heads = 4;
  EXPECT_EQ(rows_per_pass(0, 52, shape, cpu), 630);  // the quickstart's 256 rows: one pass
  // 16M attention scores per pass: 40 rows of 320 positions with 4 heads,
  // where the values budget alone would allow 102.
  EXPECT_EQ(rows_per_pass(0, 320, shape, cpu), 40);
  EXPECT_EQ(rows_per_pass(0, 320, shape, torch::Device(torch::kCUDA)), 0);  // off CPU: one pass
}

}  // namespace
}  // namespace rlvr::trainer
