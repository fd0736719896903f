#include <gtest/gtest.h>

#include <cmath>

#include "trainer/heldout_loss.h"
#include "trainer/sft_batch.h"

namespace rlvr::trainer {
namespace {

config::ModelConfig small_model() {
  config::ModelConfig c;
  c.set_d_model(16);
  c.set_n_layers(1);
  c.set_n_heads(2);
  c.set_max_seq_len(12);
  return c;
}

std::vector<Task> tasks() {
  return {Task{"a", "1+2=", "3", "3", "", {}}, Task{"b", "10+20=", "30", "30", "", {}},
          Task{"c", "4+4=", "8", "8", "", {}}};
}

// The mean over every solution token, whatever the batching: batches of one
// and of all give the same figure, equal to scoring all tasks as one SFT batch.
TEST(HeldoutLoss, IsTheTokenMeanOfTheSftLossInAnyBatching) {
  models::Policy policy(small_model(), 7);
  const HeldoutLoss one = heldout_sft_loss(policy, tasks(), 1);
  const HeldoutLoss all = heldout_sft_loss(policy, tasks(), 64);
  const TokenBatch batch = make_sft_batch(policy, tasks());
  double expected = 0;
  {
    torch::NoGradGuard no_grad;
    expected = sft_loss(policy, batch, batch.loss_mask.sum().item<double>()).item<double>();
  }
  EXPECT_NEAR(one.loss, expected, 1e-6);
  EXPECT_NEAR(all.loss, expected, 1e-6);
  EXPECT_EQ(all.tasks, 3);
  EXPECT_EQ(all.skipped, 0);
  EXPECT_GT(all.flops, 0);
}

TEST(HeldoutLoss, LeavesOutTasksSftCouldNotScore) {
  models::Policy policy(small_model(), 7);
  std::vector<Task> mixed = tasks();
  mixed.push_back(Task{"long", "123456789+1=", "x", "123456790", "", {}});
  mixed.push_back(Task{"unsolved", "1+1=", "2", "", "", {}});
  const HeldoutLoss with = heldout_sft_loss(policy, mixed, 2);
  const HeldoutLoss without = heldout_sft_loss(policy, tasks(), 2);
  EXPECT_EQ(with.tasks, 3);
  EXPECT_EQ(with.skipped, 2);
  EXPECT_NEAR(with.loss, without.loss, 1e-9);
  const HeldoutLoss none = heldout_sft_loss(policy, {mixed[3], mixed[4]}, 2);
  EXPECT_TRUE(std::isnan(none.loss));
  EXPECT_EQ(none.flops, 0);
}

}  // namespace
}  // namespace rlvr::trainer
