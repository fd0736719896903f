// Hyper-parameters of the decoder, resolved from ModelConfig (auto values
// filled in), plus the parameter count the FLOP accounting needs. Torch-free.
#pragma once

#include <cstdint>
#include <string>

#include "config.pb.h"

namespace rlvr::models {

// Rescaling of rotary frequencies for contexts longer than pre-training's, as
// Hugging Face's rope_scaling: "linear" divides every frequency by factor;
// "llama3" divides low frequencies, keeps high ones and blends in between.
struct RopeScaling {
  std::string type;  // "" (none), "linear" or "llama3"
  double factor = 1;
  double low_freq_factor = 1;   // llama3 only
  double high_freq_factor = 4;  // llama3 only
  int64_t original_max_position_embeddings = 8192;  // llama3 only
};

struct ModelShape {
  int64_t vocab_size = 0;
  int64_t d_model = 0;
  int64_t n_layers = 0;
  int64_t n_heads = 0;
  int64_t n_kv_heads = 0;
  int64_t d_ff = 0;
  int64_t max_seq_len = 0;
  double rope_theta = 10000;
  double norm_eps = 1e-5;
  bool tie_embeddings = true;
  double init_std = 0.02;
  int64_t explicit_head_dim = 0;  // 0: d_model / n_heads
  bool attention_bias = false;    // q/k/v projections carry a bias
  bool mlp_bias = false;          // gate/up/down projections carry a bias
  bool qk_norm = false;           // per-head RMSNorm of queries and keys
  RopeScaling rope_scaling;

  static ModelShape from_config(const config::ModelConfig& config, int64_t vocab_size);
  int64_t head_dim() const { return explicit_head_dim > 0 ? explicit_head_dim : d_model / n_heads; }
  // All parameters, embeddings included.
  int64_t parameter_count() const;
  // Parameters that take part in matrix multiplies per token (embedding lookup
  // excluded, output projection included): the N of the 2·N·tokens FLOP rule.
  int64_t matmul_parameter_count() const;

  // FLOPs of a forward pass over `new_tokens` tokens that follow `past` tokens
  // already in context (KV-cached or in the same pass): 2·N per token for the
  // matrix multiplies, plus 4·n_layers·n_heads·head_dim per attended key (QKᵀ and AV,
  // multiply-add = 2 FLOPs). A backward pass costs twice the forward, so a
  // training step is 3× this (the 6·N rule).
  double forward_flops(int64_t past, int64_t new_tokens) const;
  // FLOPs of sampling `completion_tokens` tokens after a `prompt_tokens` prompt
  // with a KV cache: the prompt and every sampled token but the last pass
  // through the model once.
  double generation_flops(int64_t prompt_tokens, int64_t completion_tokens) const;
  // FLOPs of a training pass (forward and backward) over `tokens` input tokens.
  double training_flops(int64_t tokens) const { return 3 * forward_flops(0, tokens); }
};

}  // namespace rlvr::models
