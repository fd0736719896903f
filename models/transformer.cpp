#include "models/transformer.h"

#include <limits>

#include "core/text_util.h"
#include "models/attention.h"
#include "models/rope.h"

namespace rlvr::models {
namespace {

torch::nn::Linear linear(int64_t in, int64_t out, bool bias = false) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

// x·cos + rotate_half(x)·sin, with rotate_half (x1, x2) -> (-x2, x1) the
// convention of Hugging Face's Llama (not the interleaved one of the paper).
// `signed_sin` is sin with its first half negated, so the rotation is one roll
// of x rather than a split, a negation and a concatenation (the same values).
torch::Tensor rotate(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& signed_sin) {
  return x * cos + x.roll(x.size(-1) / 2, -1) * signed_sin;
}

}  // namespace

RMSNormImpl::RMSNormImpl(int64_t dim, double eps) : eps_(eps) {
  weight_ = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
  // Normalise in float32 whatever the activation dtype, as the reference does.
  const auto x32 = x.to(torch::kFloat);
  const auto normed = x32 * torch::rsqrt(x32.pow(2).mean(-1, true) + eps_);
  return weight_ * normed.to(x.scalar_type());
}

AttentionImpl::AttentionImpl(const ModelShape& s)
    : n_heads_(s.n_heads), n_kv_heads_(s.n_kv_heads), head_dim_(s.head_dim()) {
  q_proj_ = register_module("q_proj", linear(s.d_model, n_heads_ * head_dim_, s.attention_bias));
  k_proj_ = register_module("k_proj", linear(s.d_model, n_kv_heads_ * head_dim_, s.attention_bias));
  v_proj_ = register_module("v_proj", linear(s.d_model, n_kv_heads_ * head_dim_, s.attention_bias));
  o_proj_ = register_module("o_proj", linear(n_heads_ * head_dim_, s.d_model));
  if (s.qk_norm) {
    q_norm_ = register_module("q_norm", RMSNorm(head_dim_, s.norm_eps));
    k_norm_ = register_module("k_norm", RMSNorm(head_dim_, s.norm_eps));
  }
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                     const torch::Tensor& sin, const torch::Tensor& mask,
                                     KvCache* cache, int64_t layer) {
  const int64_t B = x.size(0), T = x.size(1);
  auto q = q_proj_(x).view({B, T, n_heads_, head_dim_});
  auto k = k_proj_(x).view({B, T, n_kv_heads_, head_dim_});
  if (q_norm_) {
    q = q_norm_(q);
    k = k_norm_(k);
  }
  q = q.transpose(1, 2);
  k = k.transpose(1, 2);
  auto v = v_proj_(x).view({B, T, n_kv_heads_, head_dim_}).transpose(1, 2);
  q = rotate(q, cos, sin);
  k = rotate(k, cos, sin);
  if (cache != nullptr) std::tie(k, v) = cache->append(layer, k, v);
  const auto out = attention(q, k, v, mask);
  return o_proj_(out.transpose(1, 2).reshape({B, T, n_heads_ * head_dim_}));
}

MlpImpl::MlpImpl(const ModelShape& s) {
  gate_proj_ = register_module("gate_proj", linear(s.d_model, s.d_ff, s.mlp_bias));
  up_proj_ = register_module("up_proj", linear(s.d_model, s.d_ff, s.mlp_bias));
  down_proj_ = register_module("down_proj", linear(s.d_ff, s.d_model, s.mlp_bias));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  return down_proj_(torch::silu(gate_proj_(x)) * up_proj_(x));
}

DecoderLayerImpl::DecoderLayerImpl(const ModelShape& s) {
  input_layernorm_ = register_module("input_layernorm", RMSNorm(s.d_model, s.norm_eps));
  self_attn_ = register_module("self_attn", Attention(s));
  post_attention_layernorm_ =
      register_module("post_attention_layernorm", RMSNorm(s.d_model, s.norm_eps));
  mlp_ = register_module("mlp", Mlp(s));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                        const torch::Tensor& sin, const torch::Tensor& mask,
                                        KvCache* cache, int64_t layer) {
  const auto h = x + self_attn_(input_layernorm_(x), cos, sin, mask, cache, layer);
  return h + mlp_(post_attention_layernorm_(h));
}

TransformerImpl::TransformerImpl(const ModelShape& s) : shape_(s) {
  embed_tokens_ = register_module("embed_tokens", torch::nn::Embedding(s.vocab_size, s.d_model));
  layers_ = register_module("layers", torch::nn::ModuleList());
  for (int64_t l = 0; l < s.n_layers; ++l) layers_->push_back(DecoderLayer(s));
  norm_ = register_module("norm", RMSNorm(s.d_model, s.norm_eps));
  if (!s.tie_embeddings) lm_head_ = register_module("lm_head", linear(s.d_model, s.vocab_size));
  inv_freq_ = register_buffer("inv_freq", rope_inv_freq(s));
  // As transformers initialises: normal weights, zero biases, unit norms.
  torch::NoGradGuard no_grad;
  for (auto& p : named_parameters()) {
    if (ends_with(p.key(), ".bias")) {
      p.value().zero_();
    } else if (p.key().find("norm") == std::string::npos) {
      p.value().normal_(0, s.init_std);
    }
  }
}

torch::Tensor TransformerImpl::forward(const torch::Tensor& tokens, const torch::Tensor& valid,
                                       KvCache* cache) {
  return project(hidden_states(tokens, valid, cache));
}

torch::Tensor TransformerImpl::project(const torch::Tensor& hidden) {
  const auto logits = lm_head_ ? lm_head_(hidden) : torch::matmul(hidden, embed_tokens_->weight.t());
  return logits.to(torch::kFloat);
}

torch::Tensor TransformerImpl::hidden_states(const torch::Tensor& tokens, const torch::Tensor& valid,
                                             KvCache* cache) {
  const int64_t T = tokens.size(1);
  const int64_t past = cache != nullptr ? cache->length : 0;
  // Rotary positions count real tokens only, so left padding does not shift them.
  const auto valid_long = valid.to(torch::kLong);
  auto positions = (valid_long.cumsum(1) - 1).clamp_min(0);
  if (cache != nullptr) positions = positions + cache->next_position.unsqueeze(1);
  const auto all_valid = past > 0 ? torch::cat({cache->valid, valid}, 1) : valid;

  // mask[b, 0, i, j]: query i (absolute index past+i) may see key j. Every
  // query sees itself so rows of pure padding stay finite.
  const auto opts = torch::TensorOptions().dtype(torch::kLong).device(tokens.device());
  const auto query_index = torch::arange(past, past + T, opts).unsqueeze(1);
  const auto key_index = torch::arange(0, past + T, opts).unsqueeze(0);
  const auto causal = key_index <= query_index;
  const auto mask =
      (causal.unsqueeze(0) & all_valid.unsqueeze(1)) | (key_index == query_index).unsqueeze(0);

  auto h = embed_tokens_(tokens);
  const auto freqs = positions.to(torch::kFloat).unsqueeze(-1) * inv_freq_;
  const auto angles = torch::cat({freqs, freqs}, -1).unsqueeze(1);  // [B, 1, T, head_dim]
  const auto cos = angles.cos().to(h.scalar_type());
  const auto sin_halves = freqs.sin().unsqueeze(1);
  const auto sin = torch::cat({-sin_halves, sin_halves}, -1).to(h.scalar_type());
  // Additive, built once for all layers: attention kernels add it to the scores
  // (a boolean mask is converted to this form by every call that takes one).
  const auto mask4 = torch::zeros(mask.sizes(), h.options())
                         .masked_fill_(mask.logical_not(), -std::numeric_limits<float>::infinity())
                         .unsqueeze(1);
  for (size_t l = 0; l < layers_->size(); ++l) {
    h = layers_[l]->as<DecoderLayer>()->forward(h, cos, sin, mask4, cache, static_cast<int64_t>(l));
  }
  if (cache != nullptr) {
    cache->length = past + T;
    cache->valid = all_valid;
    cache->next_position = cache->next_position + valid_long.sum(1);
  }
  return norm_(h);
}

}  // namespace rlvr::models
