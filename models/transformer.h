// Decoder-only transformer with the Llama/Qwen2/Qwen3 layout (RMSNorm, rotary
// embeddings, SwiGLU MLP, grouped-query attention, optional tied embeddings,
// q/k/v biases and per-head q/k norms). Module and parameter names follow
// Hugging Face's LlamaForCausalLM ("layers.0.self_attn.q_proj.weight") so
// checkpoints map one to one (see hf_family.h).
#pragma once

#include <torch/torch.h>

#include "models/kv_cache.h"
#include "models/model_shape.h"

namespace rlvr::models {

class RMSNormImpl : public torch::nn::Module {
 public:
  RMSNormImpl(int64_t dim, double eps);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::Tensor weight_;
  double eps_;
};
TORCH_MODULE(RMSNorm);

// Rotary tables and additive attention mask of a block of sequences.
struct RotaryAndMask {
  torch::Tensor cos, sin;  // [B, 1, T, head_dim], sin with its first half negated
  torch::Tensor mask;      // [B, 1, T, keys] additive: 0 where a query may attend, -inf where not
};

// A forward pass over prompts and the completions that continue them, packed
// into one [N, d] block of tokens (the prompts' P x Tp first, then the
// completions' B x Tc, row-major), so every weight multiplies all of them in
// one product; completion row b attends to prompt row_prompt[b], then to itself.
struct PrefixPacking {
  int64_t prompts = 0, prompt_len = 0, completions = 0, completion_len = 0;
  RotaryAndMask prompt, completion;  // completion masks cover prompt_len + completion_len keys
  torch::Tensor row_prompt;          // [B] int64
};

class AttentionImpl : public torch::nn::Module {
 public:
  explicit AttentionImpl(const ModelShape& shape);
  // x: [B, T, d]; cos/sin: [B, 1, T, head_dim] rotary cos and sin, sin with its first half
  // negated (see rotate() in transformer.cpp); mask: [B, 1, T, S] additive, in x's dtype
  // (0 where a query may attend, -inf where not).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KvCache* cache, int64_t layer);
  // x: [N, d] packed as `packing` says; returns [N, d].
  torch::Tensor forward_packed(const torch::Tensor& x, const PrefixPacking& packing);

 private:
  // Queries, keys and values [..., heads, head_dim] of x [..., d], q/k-normed.
  std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> project_heads(const torch::Tensor& x);

  int64_t n_heads_, n_kv_heads_, head_dim_;
  torch::nn::Linear q_proj_{nullptr}, k_proj_{nullptr}, v_proj_{nullptr}, o_proj_{nullptr};
  RMSNorm q_norm_{nullptr}, k_norm_{nullptr};  // only with shape.qk_norm
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
 public:
  explicit MlpImpl(const ModelShape& shape);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear gate_proj_{nullptr}, up_proj_{nullptr}, down_proj_{nullptr};
};
TORCH_MODULE(Mlp);

class DecoderLayerImpl : public torch::nn::Module {
 public:
  explicit DecoderLayerImpl(const ModelShape& shape);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KvCache* cache, int64_t layer);
  torch::Tensor forward_packed(const torch::Tensor& x, const PrefixPacking& packing);

 private:
  RMSNorm input_layernorm_{nullptr}, post_attention_layernorm_{nullptr};
  Attention self_attn_{nullptr};
  Mlp mlp_{nullptr};
};
TORCH_MODULE(DecoderLayer);

class TransformerImpl : public torch::nn::Module {
 public:
  explicit TransformerImpl(const ModelShape& shape);

  // tokens: [B, T] ids; valid: [B, T] bool, false at padding. With a cache the
  // tokens continue the cached sequence (cache->valid holds the earlier part)
  // and the cache is extended. Returns logits [B, T, vocab] in float32.
  torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& valid,
                        KvCache* cache = nullptr);
  // forward() in two halves, so callers that need logits at a few positions
  // only (training scores completion tokens) skip the LM head elsewhere:
  // the final-norm hidden states [B, T, d_model], and logits of any [..., d_model]
  // hidden states in float32.
  torch::Tensor hidden_states(const torch::Tensor& tokens, const torch::Tensor& valid,
                              KvCache* cache = nullptr);
  torch::Tensor project(const torch::Tensor& hidden);
  // Prompts [P, Tp] (left-padded) and completions [B, Tc] continuing prompt
  // row_prompt[b], in one packed pass (PrefixPacking): the final-norm hidden
  // states of both, [P, Tp, d] and [B, Tc, d]: the values hidden_states()
  // gives each prompt followed by each of its completions.
  std::pair<torch::Tensor, torch::Tensor> prefix_shared_hidden_states(const torch::Tensor& prompts,
                                                                      const torch::Tensor& prompt_valid,
                                                                      const torch::Tensor& completions,
                                                                      const torch::Tensor& completion_valid,
                                                                      const torch::Tensor& row_prompt);

  const ModelShape& shape() const { return shape_; }

 private:
  // Rotary tables and mask of tokens (`valid` [B, T]) that end the sequence
  // `all_valid` [B, past + T] (earlier tokens first), numbered from rotary
  // positions `start` [B].
  RotaryAndMask rotary_and_mask(const torch::Tensor& valid, const torch::Tensor& all_valid,
                                const torch::Tensor& start, torch::Dtype dtype) const;

  ModelShape shape_;
  torch::nn::Embedding embed_tokens_{nullptr};
  torch::nn::ModuleList layers_;
  RMSNorm norm_{nullptr};
  torch::nn::Linear lm_head_{nullptr};
  torch::Tensor inv_freq_;  // [head_dim / 2] rotary frequencies
};
TORCH_MODULE(Transformer);

}  // namespace rlvr::models
