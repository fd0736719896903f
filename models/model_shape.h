// Hyper-parameters of the decoder, resolved from ModelConfig (auto values
// filled in), plus the parameter count the FLOP accounting needs. Torch-free.
#pragma once

#include <cstdint>

#include "config.pb.h"

namespace rlvr::models {

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

  static ModelShape from_config(const config::ModelConfig& config, int64_t vocab_size);
  int64_t head_dim() const { return d_model / n_heads; }
  // All parameters, embeddings included.
  int64_t parameter_count() const;
  // Parameters that take part in matrix multiplies per token (embedding lookup
  // excluded, output projection included): the N of the 2·N·tokens FLOP rule.
  int64_t matmul_parameter_count() const;

  // FLOPs of a forward pass over `new_tokens` tokens that follow `past` tokens
  // already in context (KV-cached or in the same pass): 2·N per token for the
  // matrix multiplies, plus 4·n_layers·d_model per attended key (QKᵀ and AV,
  // multiply-add = 2 FLOPs). A backward pass costs twice the forward, so a
  // training step is 3× this (the 6·N rule).
  double forward_flops(int64_t past, int64_t new_tokens) const;
};

}  // namespace rlvr::models
