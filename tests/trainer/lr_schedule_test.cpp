#include <gtest/gtest.h>

#include "trainer/lr_schedule.h"

namespace rlvr::trainer {
namespace {

TEST(LrSchedule, WarmsUpLinearlyThenDecaysToTheFloor) {
  EXPECT_DOUBLE_EQ(warmup_cosine_lr(5, 100, 10, 1.0, 0.1), 0.5);
  EXPECT_DOUBLE_EQ(warmup_cosine_lr(10, 100, 10, 1.0, 0.1), 1.0);
  EXPECT_NEAR(warmup_cosine_lr(55, 100, 10, 1.0, 0.1), 0.55, 1e-12);  // half-way: mid value
  EXPECT_NEAR(warmup_cosine_lr(100, 100, 10, 1.0, 0.1), 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(warmup_cosine_lr(1, 10, 0, 2.0, 0.0), 2.0 * 0.5 * (1 + std::cos(M_PI * 0.1)));
}

}  // namespace
}  // namespace rlvr::trainer
