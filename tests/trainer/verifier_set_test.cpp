#include "trainer/verifier_set.h"

#include <gtest/gtest.h>

namespace rlvr::trainer {
namespace {

Task sudoku_task() {
  Task t;
  t.reference = "1243/4312/3421/2134";
  t.meta["puzzle"] = "1243/4312/3421/.1.4";
  t.verifier = "grid";
  return t;
}

TEST(VerifierSet, BinaryRewardDropsPartialCredit) {
  const Task task = sudoku_task();
  const std::string half_right = "1243/4312/3421/2114";  // one of the two blanks right
  VerifierSet partial;
  const auto graded = partial.verify(task, half_right);
  EXPECT_FALSE(graded.correct);
  EXPECT_DOUBLE_EQ(graded.reward, 0.5);
  config::VerifierConfig binary;
  binary.set_binary_reward(true);
  VerifierSet sparse(binary);
  EXPECT_DOUBLE_EQ(sparse.verify(task, half_right).reward, 0);
  EXPECT_DOUBLE_EQ(sparse.verify(task, "1243/4312/3421/2134").reward, 1);
}

}  // namespace
}  // namespace rlvr::trainer
