#include <gtest/gtest.h>

#include "core/flops.h"
#include "models/model_shape.h"

namespace rlvr::models {
namespace {

// The counter against the formula written out by hand for two shapes:
// forward FLOPs = 2·N·T + 4·L·d·(keys attended, summed over tokens).
TEST(Flops, ForwardMatchesTheFormulaForTwoShapes) {
  ModelShape a;  // MHA, tied: N = L·(4d² + 3·d·d_ff) + d·V
  a.vocab_size = 101, a.d_model = 128, a.n_layers = 4, a.n_heads = 4, a.n_kv_heads = 4, a.d_ff = 352;
  const double n_a = 4 * (4.0 * 128 * 128 + 3.0 * 128 * 352) + 128.0 * 101;
  EXPECT_EQ(a.matmul_parameter_count(), static_cast<int64_t>(n_a));
  EXPECT_DOUBLE_EQ(a.forward_flops(0, 10), 2 * n_a * 10 + 4.0 * 4 * 128 * 55);
  EXPECT_DOUBLE_EQ(a.forward_flops(7, 1), 2 * n_a + 4.0 * 4 * 128 * 8);

  ModelShape b;  // GQA: k and v project to 2 heads of 16
  b.vocab_size = 1000, b.d_model = 64, b.n_layers = 2, b.n_heads = 4, b.n_kv_heads = 2, b.d_ff = 192;
  const double n_b = 2 * (2.0 * 64 * 64 + 2.0 * 64 * 32 + 3.0 * 64 * 192) + 64.0 * 1000;
  EXPECT_EQ(b.matmul_parameter_count(), static_cast<int64_t>(n_b));
  EXPECT_DOUBLE_EQ(b.forward_flops(3, 4), 2 * n_b * 4 + 4.0 * 2 * 64 * (4 * 3 + 10));
  // Incremental decoding costs what one pass over the same tokens costs.
  EXPECT_DOUBLE_EQ(b.forward_flops(0, 3) + b.forward_flops(3, 1) + b.forward_flops(4, 1),
                   b.forward_flops(0, 5));
}

TEST(Flops, CounterKeepsCategoriesAndExcludesEvalFromTraining) {
  FlopCounter c;
  c.add(FlopCategory::kSftTrain, 10);
  c.add(FlopCategory::kRlGenerate, 5);
  c.add(FlopCategory::kRlTrain, 7);
  c.add(FlopCategory::kEval, 100);
  c.add(FlopCategory::kControlTrain, 50);
  EXPECT_EQ(c.get(FlopCategory::kRlGenerate), 5);
  EXPECT_EQ(c.training_total(), 22);
  EXPECT_STREQ(flop_category_name(FlopCategory::kRlReference), "rl_reference");
}

}  // namespace
}  // namespace rlvr::models
