#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "models/attention.h"

namespace rlvr::models {
namespace {

struct Case {
  int64_t batch, heads, kv_heads, queries, keys, head_dim;
};

// Causal over the last `queries` keys, with some keys of some rows masked as
// padding; every query still sees itself. Boolean: true where a query may see a key.
torch::Tensor padded_causal_mask(const Case& c) {
  const auto query_index = torch::arange(c.keys - c.queries, c.keys).unsqueeze(1);
  const auto key_index = torch::arange(c.keys).unsqueeze(0);
  auto valid = torch::rand({c.batch, 1, 1, c.keys}) > 0.3;
  return ((key_index <= query_index) & valid) | (key_index == query_index);
}

// The small-size path (CPU matrix products) must equal ATen's fused kernel,
// forward and backward, with grouped-query heads, a decode step and padding.
TEST(Attention, SmallShapesEqualScaledDotProductAttention) {
  torch::manual_seed(0);
  for (const Case& c : {Case{3, 4, 2, 5, 9, 16}, Case{2, 4, 4, 1, 7, 8}, Case{2, 8, 2, 6, 6, 32}}) {
    SCOPED_TRACE("heads " + std::to_string(c.heads) + " kv " + std::to_string(c.kv_heads) + " Tq " +
                 std::to_string(c.queries));
    const auto mask = padded_causal_mask(c);
    const auto additive = torch::zeros(mask.sizes()).masked_fill(mask.logical_not(), -INFINITY);
    const auto q = torch::randn({c.batch, c.heads, c.queries, c.head_dim}, torch::requires_grad());
    const auto k = torch::randn({c.batch, c.kv_heads, c.keys, c.head_dim}, torch::requires_grad());
    const auto v = torch::randn({c.batch, c.kv_heads, c.keys, c.head_dim}, torch::requires_grad());
    const auto grad_out = torch::randn({c.batch, c.heads, c.queries, c.head_dim});

    const auto out = attention(q, k, v, additive);
    const auto grads = torch::autograd::grad({out}, {q, k, v}, {grad_out});
    const auto ref = at::scaled_dot_product_attention(q, k, v, mask, 0.0, false, std::nullopt,
                                                      /*enable_gqa=*/c.heads != c.kv_heads);
    const auto ref_grads = torch::autograd::grad({ref}, {q, k, v}, {grad_out});

    EXPECT_LT((out - ref).abs().max().item<float>(), 1e-5);
    for (size_t i = 0; i < grads.size(); ++i) {
      EXPECT_LT((grads[i] - ref_grads[i]).abs().max().item<float>(), 1e-5) << "gradient " << i;
    }
  }
}

TEST(Attention, RejectsQueryHeadsThatAreNotAMultipleOfKeyHeads) {
  EXPECT_THROW(attention(torch::randn({1, 3, 1, 8}), torch::randn({1, 2, 4, 8}), torch::randn({1, 2, 4, 8}),
                         torch::zeros({1, 1, 1, 4})),
               c10::Error);
}

}  // namespace
}  // namespace rlvr::models
