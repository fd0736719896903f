#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/kv_cache.h"
#include "models/transformer.h"

namespace rlvr::models {
namespace {

ModelShape tiny_shape(int64_t kv_heads = 2) {
  ModelShape s;
  s.vocab_size = 37;
  s.d_model = 32;
  s.n_layers = 2;
  s.n_heads = 4;
  s.n_kv_heads = kv_heads;
  s.d_ff = 64;
  s.max_seq_len = 32;
  s.init_std = 0.2;  // large enough that logits differ meaningfully between positions
  return s;
}

TEST(Transformer, ParameterCountMatchesModule) {
  for (bool tie : {true, false}) {
    ModelShape s = tiny_shape();
    s.tie_embeddings = tie;
    Transformer model(s);
    int64_t n = 0;
    for (const auto& p : model->parameters()) n += p.numel();
    EXPECT_EQ(n, s.parameter_count()) << "tie=" << tie;
  }
}

// Qwen2's q/k/v biases, Llama's MLP biases, Qwen3's q/k norms and a head_dim
// that is not d_model / n_heads: the count, the names and a forward pass.
TEST(Transformer, OptionalTensorsOfTheFamilies) {
  ModelShape s = tiny_shape();
  s.attention_bias = true;
  s.mlp_bias = true;
  s.qk_norm = true;
  s.explicit_head_dim = 16;  // 4 heads x 16 = 64 != d_model 32
  Transformer model(s);
  int64_t n = 0;
  for (const auto& p : model->parameters()) n += p.numel();
  EXPECT_EQ(n, s.parameter_count());
  const auto params = model->named_parameters();
  EXPECT_EQ(params["layers.0.self_attn.q_proj.weight"].sizes(), torch::IntArrayRef({64, 32}));
  EXPECT_EQ(params["layers.0.self_attn.q_norm.weight"].sizes(), torch::IntArrayRef({16}));
  EXPECT_EQ(params["layers.1.self_attn.v_proj.bias"].sizes(), torch::IntArrayRef({32}));
  EXPECT_TRUE(params.contains("layers.0.mlp.down_proj.bias"));
  EXPECT_FALSE(params.contains("layers.0.self_attn.o_proj.bias"));
  EXPECT_EQ(params["layers.0.self_attn.k_proj.bias"].abs().sum().item<float>(), 0);  // as HF inits
  const auto tokens = torch::randint(0, s.vocab_size, {2, 5});
  const auto logits = model->forward(tokens, torch::ones_like(tokens, torch::kBool));
  EXPECT_EQ(logits.sizes(), torch::IntArrayRef({2, 5, s.vocab_size}));
  EXPECT_TRUE(logits.isfinite().all().item<bool>());
}

TEST(Transformer, UsesHuggingFaceParameterNames) {
  Transformer model(tiny_shape());
  const auto params = model->named_parameters();
  EXPECT_TRUE(params.contains("embed_tokens.weight"));
  EXPECT_TRUE(params.contains("layers.1.self_attn.k_proj.weight"));
  EXPECT_TRUE(params.contains("layers.0.mlp.gate_proj.weight"));
  EXPECT_TRUE(params.contains("layers.0.post_attention_layernorm.weight"));
  EXPECT_TRUE(params.contains("norm.weight"));
  EXPECT_EQ(params["layers.0.self_attn.k_proj.weight"].size(0), 2 * 8);  // GQA: 2 kv heads
}

TEST(Transformer, IsCausal) {
  torch::manual_seed(0);
  Transformer model(tiny_shape());
  auto tokens = torch::randint(0, 37, {1, 10}, torch::kLong);
  const auto valid = torch::ones({1, 10}, torch::kBool);
  const auto a = model->forward(tokens, valid);
  tokens[0][9] = (tokens[0][9].item<int64_t>() + 1) % 37;
  const auto b = model->forward(tokens, valid);
  EXPECT_LT((a.narrow(1, 0, 9) - b.narrow(1, 0, 9)).abs().max().item<float>(), 1e-6);
  EXPECT_GT((a.select(1, 9) - b.select(1, 9)).abs().max().item<float>(), 1e-4);
}

TEST(Transformer, LeftPaddingDoesNotChangeLogits) {
  torch::manual_seed(0);
  Transformer model(tiny_shape());
  const auto seq = torch::randint(0, 37, {1, 6}, torch::kLong);
  const auto alone = model->forward(seq, torch::ones({1, 6}, torch::kBool));
  const auto padded = torch::cat({torch::zeros({1, 3}, torch::kLong), seq}, 1);
  auto valid = torch::ones({1, 9}, torch::kBool);
  valid.narrow(1, 0, 3).fill_(false);
  const auto with_pad = model->forward(padded, valid).narrow(1, 3, 6);
  EXPECT_LT((alone - with_pad).abs().max().item<float>(), 1e-5);
}

// Incremental decoding through the KV cache must reproduce the full forward
// pass: prompt in one call, then one token per call.
TEST(Transformer, KvCacheMatchesFullForward) {
  for (int64_t kv_heads : {4, 2, 1}) {
    torch::manual_seed(1);
    const ModelShape s = tiny_shape(kv_heads);
    Transformer model(s);
    torch::NoGradGuard no_grad;
    const int64_t B = 3, T = 12, prompt = 5;
    const auto tokens = torch::randint(0, 37, {B, T}, torch::kLong);
    auto valid = torch::ones({B, T}, torch::kBool);
    valid[1].narrow(0, 0, 2).fill_(false);  // row 1 is left-padded by two
    const auto full = model->forward(tokens, valid);

    KvCache cache(s.n_layers, B, s.n_kv_heads, T, s.head_dim(), torch::TensorOptions());
    std::vector<torch::Tensor> pieces{model->forward(tokens.narrow(1, 0, prompt),
                                                     valid.narrow(1, 0, prompt), &cache)};
    for (int64_t t = prompt; t < T; ++t) {
      pieces.push_back(model->forward(tokens.narrow(1, t, 1), valid.narrow(1, t, 1), &cache));
    }
    const auto incremental = torch::cat(pieces, 1);
    const auto real = valid.unsqueeze(-1).expand_as(full);
    const float diff = (full - incremental).abs().masked_select(real).max().item<float>();
    EXPECT_LT(diff, 1e-4) << "kv_heads=" << kv_heads;
  }
}

}  // namespace
}  // namespace rlvr::models
