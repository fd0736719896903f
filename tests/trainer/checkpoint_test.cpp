#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "trainer/checkpoint.h"

namespace rlvr::trainer {
namespace {

namespace fs = std::filesystem;

config::ModelConfig small_model() {
  config::ModelConfig c;
  c.set_d_model(16);
  c.set_n_layers(1);
  c.set_n_heads(2);
  return c;
}

LoopState at(Phase phase, int64_t step, bool done = false) {
  LoopState s;
  s.phase = phase;
  s.step = step;
  s.phase_done = done;
  return s;
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rlvr_ckpt_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CheckpointTest, RoundTripsWeightsOptimizerAndState) {
  models::Policy a(small_model(), 1), b(small_model(), 2);
  torch::optim::AdamW opt_a(a.model()->parameters(), torch::optim::AdamWOptions(1e-3));
  const auto loss = a.model()->forward(torch::ones({1, 3}, torch::kLong),
                                       torch::ones({1, 3}, torch::kBool)).sum();
  loss.backward();
  opt_a.step();
  LoopState state = at(Phase::kSft, 17, true);
  state.flops.add(FlopCategory::kRlGenerate, 1.5e12);
  state.flops.add(FlopCategory::kEval, 3e9);
  state.samples = 4096;
  state.tokens = 20000;
  state.metrics_bytes = 12345;
  const std::string path = checkpoint_path(dir_.string(), state);
  save_checkpoint(path, a, &opt_a, state);

  torch::optim::AdamW opt_b(b.model()->parameters(), torch::optim::AdamWOptions(1e-3));
  const Checkpoint checkpoint = Checkpoint::read(path, b.device());
  checkpoint.restore_weights(b);
  checkpoint.restore_optimizer(opt_b);
  const LoopState& loaded = checkpoint.state();
  EXPECT_EQ(loaded.step, 17);
  EXPECT_EQ(loaded.phase, Phase::kSft);
  EXPECT_TRUE(loaded.phase_done);
  // The counters resume too: FLOPs per category, samples, tokens, metrics length.
  EXPECT_EQ(loaded.flops.get(FlopCategory::kRlGenerate), 1.5e12);
  EXPECT_EQ(loaded.flops.get(FlopCategory::kEval), 3e9);
  EXPECT_EQ(loaded.samples, 4096);
  EXPECT_EQ(loaded.tokens, 20000);
  EXPECT_EQ(loaded.metrics_bytes, 12345);
  const auto pa = a.model()->named_parameters(), pb = b.model()->named_parameters();
  for (const auto& p : pa) EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
  EXPECT_EQ(opt_b.state().size(), opt_a.state().size());
  EXPECT_EQ(latest_checkpoint(dir_.string()), path);
}

TEST_F(CheckpointTest, NewestWinsAndPruningKeepsTheNewest) {
  models::Policy p(small_model(), 1);
  for (int64_t step : {5, 10, 100}) {
    save_checkpoint(checkpoint_path(dir_.string(), at(Phase::kSft, step)), p, nullptr,
                    at(Phase::kSft, step));
  }
  EXPECT_EQ(latest_checkpoint(dir_.string()), checkpoint_path(dir_.string(), at(Phase::kSft, 100)));
  prune_checkpoints(dir_.string(), 2);
  EXPECT_FALSE(fs::exists(checkpoint_path(dir_.string(), at(Phase::kSft, 5))));
  EXPECT_TRUE(fs::exists(checkpoint_path(dir_.string(), at(Phase::kSft, 10))));
  // No temporary files are left behind by the atomic writes.
  for (const auto& e : fs::directory_iterator(dir_ / "checkpoints")) {
    EXPECT_EQ(e.path().extension(), ".pt") << e.path();
  }
}

TEST_F(CheckpointTest, PhaseIsNamedAndRankedInTheFileName) {
  EXPECT_EQ(fs::path(checkpoint_path(dir_.string(), at(Phase::kRl, 12))).filename(), "1_rl_00000012.pt");
  models::Policy p(small_model(), 1);
  const std::string path = checkpoint_path(dir_.string(), at(Phase::kRl, 12, true));
  save_checkpoint(path, p, nullptr, at(Phase::kRl, 12, true));
  const LoopState loaded = load_checkpoint(path, p);
  EXPECT_EQ(loaded.phase, Phase::kRl);
  EXPECT_TRUE(loaded.phase_done);
}

TEST_F(CheckpointTest, TruncatedOrMismatchedCheckpointGivesAClearError) {
  models::Policy p(small_model(), 1);
  const std::string path = checkpoint_path(dir_.string(), at(Phase::kSft, 1));
  save_checkpoint(path, p, nullptr, at(Phase::kSft, 1));
  auto other = small_model();
  other.set_d_model(32);
  models::Policy bigger(other, 1);
  EXPECT_THROW(load_checkpoint(path, bigger), Error);
  fs::resize_file(path, fs::file_size(path) / 2);
  try {
    load_checkpoint(path, p);
    FAIL() << "a truncated checkpoint must not load";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rlvr::trainer
