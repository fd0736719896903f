#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "trainer/eval_result.h"

namespace rlvr::trainer {
namespace {

TEST(AccuracyStderrTest, NoOutcomesHaveNoError) { EXPECT_EQ(accuracy_stderr({}, 1), 0.0); }

TEST(AccuracyStderrTest, OneSamplePerTaskIsTheBinomialError) {
  // 3 of 10 tasks: the spread of 0/1 values over sqrt(n), sample variance.
  const std::vector<uint8_t> o = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
  const double ss = 3 * (0.7 * 0.7) + 7 * (0.3 * 0.3);
  EXPECT_NEAR(accuracy_stderr(o, 1), std::sqrt(ss / 9 / 10), 1e-12);
}

TEST(AccuracyStderrTest, GroupsOfSamplesCountTasksNotSamples) {
  // Two tasks, one always right and one always wrong, 4 samples each: the
  // per-task means are 1 and 0, so the error is that of 2 tasks (0.5), far
  // above the 8-sample binomial error a per-sample count would give.
  const std::vector<uint8_t> o = {1, 1, 1, 1, 0, 0, 0, 0};
  EXPECT_NEAR(accuracy_stderr(o, 4), 0.5, 1e-12);
  EXPECT_LT(accuracy_stderr(o, 1), 0.2);
}

TEST(AccuracyStderrTest, AllWrongOrAllRightStillGetsAPositiveFloor) {
  const std::vector<uint8_t> wrong(16, 0), right(16, 1);
  const double p = 1.0 / 18;
  EXPECT_NEAR(accuracy_stderr(wrong, 4), std::sqrt(p * (1 - p) / 16), 1e-12);
  EXPECT_NEAR(accuracy_stderr(right, 4), std::sqrt(p * (1 - p) / 16), 1e-12);
}

TEST(AccuracyStderrTest, RejectsAGroupSizeBelowOne) {
  EXPECT_THROW(accuracy_stderr({1, 0}, 0), std::exception);
}

}  // namespace
}  // namespace rlvr::trainer
