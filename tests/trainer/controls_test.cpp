// The controls end to end on a tiny run: each is a summary row evaluated on
// both splits, spends the FLOPs it reports (its own metrics say so), and the
// SFT-based ones spend RL's compute to within 1%.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "scaling/metrics_sink.h"
#include "tests/scratch_dir.h"
#include "tiny_config.h"
#include "trainer/run_setup.h"
#include "trainer/train.h"

namespace rlvr::trainer {
namespace {

namespace fs = std::filesystem;

class ControlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test_support::fresh_scratch_dir("rlvr_controls");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

const PhaseSummary& row(const TrainSummary& s, const std::string& name) {
  for (const auto& p : s.phases) {
    if (p.name == name) return p;
  }
  throw Error("no summary row " + name);
}

// The last metrics record of `kind`.
scaling::MetricsRecord last_record(const fs::path& run, const std::string& kind) {
  scaling::MetricsRecord last;
  for (const auto& r : scaling::read_jsonl_metrics((run / "metrics.jsonl").string())) {
    if (r.kind == kind) last = r;
  }
  if (last.kind != kind) throw Error("no metrics record of kind " + kind);
  return last;
}

TEST_F(ControlsTest, EachControlSpendsTheFlopsItReports) {
  // One-sequence SFT steps make a control's last step a small part of RL's
  // compute (the last step overshoots the budget); every RL row trains.
  const auto loaded = tiny_experiment(
      (root_ / "run").string(),
      {"sft.steps=20", "sft.batch_size=1", "rl.steps=4", "rl.prompts_per_step=8", "rl.group_size=4",
       "rl.filter_zero_variance=false",
       "rl.max_new_tokens=4", "rl.sft_control=true", "rl.answer_only_control=true",
       "rl.random_reward_control=true", "eval.pass_samples=0", "eval.extrapolation.arithmetic.digits=2",
       "model.max_seq_len=24"});
  const TrainSummary s = train(loaded, {});
  ASSERT_EQ(s.phases.size(), 5u);
  const double rl_flops = row(s, "rl").flops;
  ASSERT_GT(rl_flops, 0.0);
  const fs::path run = root_ / "run";
  EXPECT_EQ(s.rl_algorithm, "GRPO");
  EXPECT_EQ(nlohmann::json::parse(read_file((run / "summary.json").string())).value("rl_algorithm", ""), "GRPO");
  for (const std::string name : {"sft-control", "answer-only-control"}) {
    const PhaseSummary& p = row(s, name);
    EXPECT_NEAR(p.flops / rl_flops, 1.0, 0.01) << name;
    EXPECT_DOUBLE_EQ(p.flops, last_record(run, name).get("flops/control_train")) << name;
    EXPECT_GT(p.steps, 100) << name;
  }
  const PhaseSummary& coin = row(s, "random-reward-control");
  EXPECT_EQ(coin.steps, 4);
  EXPECT_DOUBLE_EQ(coin.flops, last_record(run, "random-reward-control").get("flops/total"));
  // The same RL run but for its rewards: the same order of compute.
  EXPECT_NEAR(coin.flops / rl_flops, 1.0, 0.5);
  for (const auto& p : s.phases) {
    EXPECT_EQ(p.tasks, s.phases[0].tasks) << p.name;
    EXPECT_EQ(p.harder_tasks, 20) << p.name;
    EXPECT_GE(p.harder_accuracy, 0.0) << p.name;
  }
}

TEST_F(ControlsTest, HarderSplitIsAnotherSetOfHeldOutTasks) {
  const auto loaded = tiny_experiment((root_ / "run").string(), {"eval.extrapolation.arithmetic.digits=2"});
  const RunResources res(loaded);
  ASSERT_EQ(res.harder_tasks.size(), 20u);
  EXPECT_EQ(res.harder_tasks[0].prompt.size(), 6u) << res.harder_tasks[0].prompt;  // "12+34="
  EXPECT_EQ(res.eval_tasks[0].prompt.size(), 4u) << res.eval_tasks[0].prompt;
  EXPECT_TRUE(RunResources(tiny_experiment((root_ / "run").string())).harder_tasks.empty());
}

TEST_F(ControlsTest, HarderSplitMayNotMoveTheSplitBoundary) {
  for (const std::string field : {"eval.extrapolation.seed=9", "eval.extrapolation.eval_fraction=0.5",
                                  "eval.extrapolation.name=sort"}) {
    EXPECT_THROW(RunResources(tiny_experiment((root_ / "run").string(), {field})), ConfigError) << field;
  }
}

}  // namespace
}  // namespace rlvr::trainer
