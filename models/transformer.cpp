#include "models/transformer.h"

#include <limits>

#include "core/text_util.h"
#include "models/attention.h"
#include "models/rope.h"

namespace rlvr::models {
namespace {

// x.index_select(0, index) whose backward first makes the incoming gradient
// contiguous: how each completion row reads its prompt's keys and values. That
// gradient is a narrow view of the gradient of the row's whole key sequence;
// ATen's index_add_ over such a view ran 7-10x slower than over a contiguous
// copy (2 threads, torch 2.13), and this backward runs for every layer's keys
// and values in each shared-prompt training pass.
class GatherRows : public torch::autograd::Function<GatherRows> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& index) {
    ctx->save_for_backward({index});
    ctx->saved_data["rows"] = x.size(0);
    return x.index_select(0, index);
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto index = ctx->get_saved_variables()[0];
    const auto grad = grads[0].contiguous();
    auto sizes = grad.sizes().vec();
    sizes[0] = ctx->saved_data["rows"].toInt();
    return {torch::zeros(sizes, grad.options()).index_add_(0, index, grad), torch::Tensor()};
  }
};

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

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> AttentionImpl::project_heads(const torch::Tensor& x) {
  auto q = q_proj_(x).unflatten(-1, {n_heads_, head_dim_});
  auto k = k_proj_(x).unflatten(-1, {n_kv_heads_, head_dim_});
  if (q_norm_) {
    q = q_norm_(q);
    k = k_norm_(k);
  }
  return {q, k, v_proj_(x).unflatten(-1, {n_kv_heads_, head_dim_})};
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                     const torch::Tensor& sin, const torch::Tensor& mask,
                                     KvCache* cache, int64_t layer) {
  const int64_t B = x.size(0), T = x.size(1);
  auto [q, k, v] = project_heads(x);
  q = rotate(q.transpose(1, 2), cos, sin);
  k = rotate(k.transpose(1, 2), cos, sin);
  v = v.transpose(1, 2);
  if (cache != nullptr) std::tie(k, v) = cache->append(layer, k, v);
  const auto out = attention(q, k, v, mask);
  return o_proj_(out.transpose(1, 2).reshape({B, T, n_heads_ * head_dim_}));
}

torch::Tensor AttentionImpl::forward_packed(const torch::Tensor& x, const PrefixPacking& p) {
  const auto [q, k, v] = project_heads(x);
  const int64_t prompt_tokens = p.prompts * p.prompt_len;
  // [rows, heads, length, head_dim] views of one block of the packed tokens.
  const auto block = [](const torch::Tensor& t, int64_t offset, int64_t rows, int64_t length) {
    return t.narrow(0, offset, rows * length).view({rows, length, t.size(1), t.size(2)}).transpose(1, 2);
  };
  const auto prompt_k = rotate(block(k, 0, p.prompts, p.prompt_len), p.prompt.cos, p.prompt.sin);
  const auto prompt_v = block(v, 0, p.prompts, p.prompt_len);
  const auto prompt_out = attention(rotate(block(q, 0, p.prompts, p.prompt_len), p.prompt.cos, p.prompt.sin),
                                    prompt_k, prompt_v, p.prompt.mask);
  const auto own_k =
      rotate(block(k, prompt_tokens, p.completions, p.completion_len), p.completion.cos, p.completion.sin);
  const auto keys = torch::cat({GatherRows::apply(prompt_k, p.row_prompt), own_k}, 2);
  const auto values =
      torch::cat({GatherRows::apply(prompt_v, p.row_prompt), block(v, prompt_tokens, p.completions, p.completion_len)}, 2);
  const auto completion_out =
      attention(rotate(block(q, prompt_tokens, p.completions, p.completion_len), p.completion.cos, p.completion.sin),
                keys, values, p.completion.mask);
  const auto tokens = [&](const torch::Tensor& out) { return out.transpose(1, 2).reshape({-1, n_heads_ * head_dim_}); };
  return o_proj_(torch::cat({tokens(prompt_out), tokens(completion_out)}, 0));
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

torch::Tensor DecoderLayerImpl::forward_packed(const torch::Tensor& x, const PrefixPacking& packing) {
  const auto h = x + self_attn_->forward_packed(input_layernorm_(x), packing);
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

RotaryAndMask TransformerImpl::rotary_and_mask(const torch::Tensor& valid, const torch::Tensor& all_valid,
                                               const torch::Tensor& start, torch::Dtype dtype) const {
  const int64_t T = valid.size(1), past = all_valid.size(1) - T;
  // Rotary positions count real tokens only, so left padding does not shift them.
  const auto positions = (valid.to(torch::kLong).cumsum(1) - 1).clamp_min(0) + start.unsqueeze(1);

  // mask[b, 0, i, j]: query i (absolute index past+i) may see key j. Every
  // query sees itself so rows of pure padding stay finite.
  const auto opts = torch::TensorOptions().dtype(torch::kLong).device(valid.device());
  const auto query_index = torch::arange(past, past + T, opts).unsqueeze(1);
  const auto key_index = torch::arange(0, past + T, opts).unsqueeze(0);
  const auto causal = key_index <= query_index;
  const auto mask =
      (causal.unsqueeze(0) & all_valid.unsqueeze(1)) | (key_index == query_index).unsqueeze(0);

  RotaryAndMask out;
  const auto freqs = positions.to(torch::kFloat).unsqueeze(-1) * inv_freq_;
  out.cos = torch::cat({freqs, freqs}, -1).unsqueeze(1).cos().to(dtype);  // [B, 1, T, head_dim]
  const auto sin_halves = freqs.sin().unsqueeze(1);
  out.sin = torch::cat({-sin_halves, sin_halves}, -1).to(dtype);
  // Additive, built once for all layers: attention kernels add it to the scores
  // (a boolean mask is converted to this form by every call that takes one).
  out.mask = torch::zeros(mask.sizes(), valid.options().dtype(dtype))
                 .masked_fill_(mask.logical_not(), -std::numeric_limits<float>::infinity())
                 .unsqueeze(1);
  return out;
}

torch::Tensor TransformerImpl::hidden_states(const torch::Tensor& tokens, const torch::Tensor& valid,
                                             KvCache* cache) {
  auto h = embed_tokens_(tokens);
  const bool past = cache != nullptr && cache->length > 0;
  const auto all_valid = past ? torch::cat({cache->valid, valid}, 1) : valid;
  const auto start = cache != nullptr ? cache->next_position : torch::zeros({tokens.size(0)}, tokens.options());
  const RotaryAndMask rm = rotary_and_mask(valid, all_valid, start, h.scalar_type());
  for (size_t l = 0; l < layers_->size(); ++l) {
    h = layers_[l]->as<DecoderLayer>()->forward(h, rm.cos, rm.sin, rm.mask, cache, static_cast<int64_t>(l));
  }
  if (cache != nullptr) {
    cache->length += tokens.size(1);
    cache->valid = all_valid;
    cache->next_position = cache->next_position + valid.to(torch::kLong).sum(1);
  }
  return norm_(h);
}

std::pair<torch::Tensor, torch::Tensor> TransformerImpl::prefix_shared_hidden_states(
    const torch::Tensor& prompts, const torch::Tensor& prompt_valid, const torch::Tensor& completions,
    const torch::Tensor& completion_valid, const torch::Tensor& row_prompt) {
  const int64_t d = shape_.d_model;
  PrefixPacking p;
  p.prompts = prompts.size(0);
  p.prompt_len = prompts.size(1);
  p.completions = completions.size(0);
  p.completion_len = completions.size(1);
  p.row_prompt = row_prompt;
  auto h = embed_tokens_(torch::cat({prompts.reshape({-1}), completions.reshape({-1})}));
  const auto dtype = h.scalar_type();
  p.prompt = rotary_and_mask(prompt_valid, prompt_valid, torch::zeros({p.prompts}, prompts.options()), dtype);
  // Completions continue their prompt: its tokens are their first keys, and
  // their rotary positions start after its real tokens.
  const auto row_prompt_valid = prompt_valid.index_select(0, row_prompt);
  p.completion = rotary_and_mask(completion_valid, torch::cat({row_prompt_valid, completion_valid}, 1),
                                 row_prompt_valid.to(torch::kLong).sum(1), dtype);
  for (size_t l = 0; l < layers_->size(); ++l) h = layers_[l]->as<DecoderLayer>()->forward_packed(h, p);
  h = norm_(h);
  const int64_t prompt_tokens = p.prompts * p.prompt_len;
  return {h.narrow(0, 0, prompt_tokens).view({p.prompts, p.prompt_len, d}),
          h.narrow(0, prompt_tokens, p.completions * p.completion_len).view({p.completions, p.completion_len, d})};
}

}  // namespace rlvr::models
