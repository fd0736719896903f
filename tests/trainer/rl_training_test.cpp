#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "tiny_config.h"
#include "trainer/rl_phase.h"
#include "trainer/run_setup.h"
#include "trainer/train.h"

namespace rlvr::trainer {
namespace {

namespace fs = std::filesystem;

// One RL step of the tiny experiment's untrained model, whose rewards are all
// 0 on 2-digit addition: every group is flat.
class RlStepTest : public ::testing::Test {
 protected:
  scaling::MetricsRecord run_one_step(std::vector<std::string> overrides) {
    dir_ = fs::temp_directory_path() / ("rlvr_rl_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    overrides.insert(overrides.end(), {"env.arithmetic.digits=2", "rl.steps=1",
                                       "rl.prompts_per_step=4", "rl.group_size=4"});
    loaded_ = std::make_unique<config::LoadedConfig>(tiny_experiment(dir_.string(), overrides));
    res_ = std::make_unique<RunResources>(*loaded_);
    sink_ = scaling::make_jsonl_sink((dir_ / "metrics.jsonl").string());
    ctx_ = std::make_unique<RunContext>(RunContext{loaded_->config, dir_.string(), res_->policy,
                                                   *res_->env, res_->verifiers, *sink_, {}, {}});
    for (const auto& p : res_->policy.model()->parameters()) before_.push_back(p.clone());
    RlLoop loop(*ctx_, state_, "");
    return loop.step(1);
  }
  bool weights_changed() {
    const auto now = res_->policy.model()->parameters();
    for (size_t i = 0; i < now.size(); ++i) {
      if (!torch::equal(now[i], before_[i])) return true;
    }
    return false;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::unique_ptr<config::LoadedConfig> loaded_;
  std::unique_ptr<RunResources> res_;
  std::unique_ptr<scaling::MetricsSink> sink_;
  std::unique_ptr<RunContext> ctx_;
  LoopState state_;
  std::vector<torch::Tensor> before_;
};

TEST_F(RlStepTest, FlatGroupsAreFilteredAndSkipTheUpdate) {
  const auto r = run_one_step({});
  EXPECT_EQ(r.get("reward/mean"), 0.0);
  EXPECT_EQ(r.get("zero_variance_fraction"), 1.0);
  EXPECT_EQ(r.get("updates"), 0.0);
  EXPECT_EQ(r.get("flops/rl_train"), 0.0);
  EXPECT_GT(r.get("flops/rl_generate"), 0.0);
  EXPECT_EQ(r.get("samples"), 16.0);
  EXPECT_FALSE(weights_changed());
}

TEST_F(RlStepTest, WithoutFilteringFlatGroupsStillUpdateWithZeroAdvantage) {
  const auto r = run_one_step({"rl.filter_zero_variance=false"});
  EXPECT_EQ(r.get("zero_variance_fraction"), 1.0);
  EXPECT_EQ(r.get("updates"), 1.0);
  EXPECT_EQ(r.get("loss"), 0.0);
  // One update over the sampled sequences: training is 3x the generation passes
  // and the old-policy pass is skipped.
  EXPECT_DOUBLE_EQ(r.get("flops/rl_train"), 3 * r.get("flops/rl_generate"));
  EXPECT_EQ(r.get("flops/rl_old_policy"), 0.0);
}

TEST_F(RlStepTest, SeveralPassesRescoreWithTheOldPolicyAndChargeIt) {
  const auto r = run_one_step({"rl.filter_zero_variance=false", "rl.ppo_epochs=2",
                               "rl.minibatches=2", "rl.kl_coef=0.1"});
  EXPECT_EQ(r.get("updates"), 4.0);
  EXPECT_DOUBLE_EQ(r.get("flops/rl_old_policy"), r.get("flops/rl_generate"));
  EXPECT_DOUBLE_EQ(r.get("flops/rl_reference"), r.get("flops/rl_generate"));
  EXPECT_NEAR(r.get("flops/rl_train"), 6 * r.get("flops/rl_generate"), 1e-6 * r.get("flops/rl_train"));
  EXPECT_GE(r.get("kl"), 0.0);  // k3 is non-negative
  EXPECT_GT(r.get("entropy"), 0.0);
}

// A real run of every algorithm and KL mode: SFT gets the tiny model going,
// then a few RL steps sample, verify and update.
class RlEndToEnd : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(RlEndToEnd, TrainsAndReportsFiniteMetrics) {
  const fs::path dir = fs::temp_directory_path() / ("rlvr_rl_e2e_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto overrides = GetParam();
  overrides.insert(overrides.end(), {"sft.steps=150", "rl.steps=4", "rl.prompts_per_step=8",
                                     "rl.group_size=4", "rl.lr=1e-4", "eval.pass_samples=0"});
  const TrainSummary s = train(tiny_experiment(dir.string(), overrides), TrainOptions{});
  ASSERT_EQ(s.phases.size(), 2u);
  int updates = 0;
  for (const auto& r : scaling::read_jsonl_metrics((dir / "metrics.jsonl").string())) {
    if (r.kind != "rl") continue;
    updates += static_cast<int>(r.get("updates"));
    for (const auto& [name, value] : r.values) EXPECT_TRUE(std::isfinite(value)) << name;
  }
  EXPECT_GT(updates, 0) << "no group had a learning signal";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, RlEndToEnd,
                         ::testing::Values(std::vector<std::string>{"rl.algorithm=RLOO"},
                                           std::vector<std::string>{"rl.algorithm=REINFORCE_PP"},
                                           std::vector<std::string>{"rl.kl_coef=0.05", "rl.kl_mode=KL_REWARD",
                                                                    "rl.kl_estimator=K1"},
                                           std::vector<std::string>{"rl.kl_coef=0.05", "rl.kl_mode=KL_LOSS",
                                                                    "rl.ppo_epochs=2", "rl.micro_batch_size=8"}));

}  // namespace
}  // namespace rlvr::trainer
