#include "trainer/length_terms.h"

#include <gtest/gtest.h>

namespace rlvr::trainer {
namespace {

TEST(OverlongPenalty, ZeroUntilTheBufferThenLinearToThePenaltyAtTheMaximum) {
  // max 100, buffer 20: free up to 80 tokens.
  EXPECT_DOUBLE_EQ(overlong_penalty(50, 100, 20, 1.0), 0);
  EXPECT_DOUBLE_EQ(overlong_penalty(80, 100, 20, 1.0), 0);
  EXPECT_DOUBLE_EQ(overlong_penalty(85, 100, 20, 1.0), -0.25);
  EXPECT_DOUBLE_EQ(overlong_penalty(90, 100, 20, 0.5), -0.25);
  EXPECT_DOUBLE_EQ(overlong_penalty(100, 100, 20, 1.0), -1);
  EXPECT_DOUBLE_EQ(overlong_penalty(120, 100, 20, 1.0), -1);
  EXPECT_DOUBLE_EQ(overlong_penalty(100, 100, 0, 1.0), 0);  // disabled
}

Rollouts two_completions(int64_t short_length, int64_t long_length, bool long_finished) {
  Rollouts ro;
  ro.group_size = 2;
  ro.tasks.resize(1);
  ro.completions.resize(2);
  ro.completions[0].tokens.assign(static_cast<size_t>(short_length), 5);
  ro.completions[0].finished = true;
  ro.completions[1].tokens.assign(static_cast<size_t>(long_length), 5);
  ro.completions[1].finished = long_finished;
  ro.rewards = {1, 1};
  ro.correct = {1, 1};
  ro.judged = {1, 1};
  return ro;
}

TEST(LengthTerms, ThePenaltyIsAddedToTheRewardAndLoggedAsAComponent) {
  config::RlConfig rl;
  rl.set_max_new_tokens(16);
  rl.set_overlong_buffer(8);
  Rollouts ro = two_completions(4, 12, true);
  apply_length_terms(ro, rl);
  EXPECT_FLOAT_EQ(ro.rewards[0], 1);
  EXPECT_FLOAT_EQ(ro.rewards[1], 0.5);  // 4 tokens into an 8-token buffer
  ASSERT_EQ(ro.components[1].size(), 1u);
  EXPECT_EQ(ro.components[1][0].first, "length_penalty");
  EXPECT_DOUBLE_EQ(ro.components[1][0].second, -0.5);
  // Disabled: rewards untouched, nothing logged.
  Rollouts untouched = two_completions(4, 16, false);
  apply_length_terms(untouched, config::RlConfig());
  EXPECT_FLOAT_EQ(untouched.rewards[1], 1);
  EXPECT_TRUE(untouched.components.empty());
}

TEST(LengthTerms, TruncatedCompletionsLeaveTheLossOnlyWhenMasked) {
  const Rollouts ro = two_completions(4, 16, false);
  config::RlConfig rl;
  EXPECT_FALSE(left_out_of_loss(ro, 1, rl));
  rl.set_mask_truncated(true);
  EXPECT_FALSE(left_out_of_loss(ro, 0, rl));
  EXPECT_TRUE(left_out_of_loss(ro, 1, rl));
  Rollouts unjudged = ro;
  unjudged.judged[0] = 0;
  EXPECT_TRUE(left_out_of_loss(unjudged, 0, config::RlConfig()));
}

}  // namespace
}  // namespace rlvr::trainer
