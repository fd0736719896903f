#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "scaling/metrics_sink.h"
#include "tests/scratch_dir.h"
#include "tiny_config.h"
#include "trainer/checkpoint.h"
#include "trainer/train.h"

namespace rlvr::trainer {
namespace {

namespace fs = std::filesystem;

class SftTrainingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test_support::fresh_scratch_dir("rlvr_sft");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

// The acceptance bar of SFT: a tiny model learns 1-digit addition.
TEST_F(SftTrainingTest, TinyModelLearnsOneDigitAddition) {
  const auto loaded = tiny_experiment((root_ / "run").string());
  const TrainSummary s = train(loaded, {});
  EXPECT_EQ(s.sft_steps, 300);
  EXPECT_LT(s.sft_final_loss, 0.1);
  EXPECT_GE(s.eval_accuracy, 0.9) << "eval accuracy " << s.eval_accuracy;
  const auto records = scaling::read_jsonl_metrics((root_ / "run" / "metrics.jsonl").string());
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().kind, "sft");
  EXPECT_GT(records.back().get("flops/sft_train"), 0.0);
  ASSERT_EQ(s.phases.size(), 1u);
  EXPECT_EQ(s.phases[0].name, "sft");
  EXPECT_DOUBLE_EQ(s.phases[0].flops, records.back().get("flops/sft_train"));
  // The held-out loss of a model that learned the task is near its final training loss.
  EXPECT_LT(s.phases[0].heldout_loss, 0.2);
  const std::string summary = read_file((root_ / "run" / "summary.json").string());
  EXPECT_NE(summary.find("\"heldout_loss\""), std::string::npos);
  EXPECT_TRUE(fs::exists(root_ / "run" / "config.pbtxt"));
  EXPECT_TRUE(fs::exists(root_ / "run" / "summary.json"));
}

TEST_F(SftTrainingTest, EarlyStopOnTrainingAccuracy) {
  const auto loaded = tiny_experiment(
      (root_ / "run").string(), {"sft.check_every=25", "sft.check_tasks=50",
                                 "sft.stop_at_train_accuracy=0.5"});
  const TrainSummary s = train(loaded, {});
  EXPECT_TRUE(s.sft_early_stopped);
  EXPECT_LT(s.sft_steps, 300);
  EXPECT_EQ(s.sft_steps % 25, 0);
}

// A run interrupted after a checkpoint and resumed ends with exactly the
// weights and metrics of an uninterrupted run.
TEST_F(SftTrainingTest, ResumeIsExact) {
  const std::vector<std::string> common{"sft.steps=40", "output.checkpoint_every=20",
                                        "output.keep_checkpoints=5"};
  const std::string full_dir = (root_ / "full").string();
  const TrainSummary full = train(tiny_experiment(full_dir, common), {});

  // Rebuild the state of a run killed between steps 20 and 40: its config,
  // the step-20 checkpoint and the metrics lines it had written (one too many).
  const std::string cut_dir = (root_ / "cut").string();
  fs::create_directories(fs::path(cut_dir) / "checkpoints");
  fs::copy_file(fs::path(full_dir) / "config.pbtxt", fs::path(cut_dir) / "config.pbtxt");
  LoopState at20;
  at20.step = 20;
  const std::string ckpt20 = checkpoint_path(full_dir, at20);
  fs::copy_file(ckpt20, fs::path(cut_dir) / "checkpoints" / fs::path(ckpt20).filename());
  const std::string metrics = read_file((fs::path(full_dir) / "metrics.jsonl").string());
  atomic_write((fs::path(cut_dir) / "metrics.jsonl").string(),
               metrics.substr(0, metrics.find("\"step\":30")) + "\n");

  TrainOptions resume;
  resume.resume = true;
  const TrainSummary resumed = train(load_run_config(cut_dir, {"output.run_dir=" + cut_dir}), resume);
  EXPECT_EQ(resumed.sft_steps, 40);
  EXPECT_EQ(resumed.eval_accuracy, full.eval_accuracy);
  EXPECT_EQ(resumed.sft_final_loss, full.sft_final_loss);

  models::Policy a(tiny_experiment(full_dir).config.model(), 0);
  models::Policy b(tiny_experiment(cut_dir).config.model(), 0);
  load_checkpoint(latest_checkpoint(full_dir), a);
  load_checkpoint(latest_checkpoint(cut_dir), b);
  const auto pb = b.model()->named_parameters();
  for (const auto& p : a.model()->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
  }
  // Same metric lines (wall-clock fields aside) in the same order.
  const auto ra = scaling::read_jsonl_metrics((fs::path(full_dir) / "metrics.jsonl").string());
  const auto rb = scaling::read_jsonl_metrics((fs::path(cut_dir) / "metrics.jsonl").string());
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i].step, rb[i].step);
    if (ra[i].kind == "sft") {
      EXPECT_EQ(ra[i].get("loss"), rb[i].get("loss")) << "line " << i;
    }
  }
}

TEST_F(SftTrainingTest, ExistingRunIsNotOverwrittenByAccident) {
  const auto loaded = tiny_experiment((root_ / "run").string(), {"sft.steps=2"});
  train(loaded, {});
  EXPECT_THROW(train(loaded, {}), Error);
  TrainOptions overwrite;
  overwrite.overwrite = true;
  EXPECT_EQ(train(loaded, overwrite).sft_steps, 2);
}

}  // namespace
}  // namespace rlvr::trainer
