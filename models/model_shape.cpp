#include "models/model_shape.h"

#include <algorithm>

namespace rlvr::models {

ModelShape ModelShape::from_config(const config::ModelConfig& config, int64_t vocab_size) {
  ModelShape s;
  s.vocab_size = vocab_size;
  s.d_model = config.d_model();
  s.n_layers = config.n_layers();
  s.n_heads = config.n_heads();
  s.n_kv_heads = config.n_kv_heads() > 0 ? config.n_kv_heads() : config.n_heads();
  // Llama's rule: 2/3 of 4·d, rounded up to a multiple of 32 for aligned matmuls.
  s.d_ff = config.d_ff() > 0 ? config.d_ff() : (8 * s.d_model / 3 + 31) / 32 * 32;
  s.max_seq_len = config.max_seq_len();
  s.rope_theta = config.rope_theta();
  s.norm_eps = config.norm_eps();
  s.tie_embeddings = config.tie_embeddings();
  s.init_std = config.init_std();
  s.explicit_head_dim = config.head_dim();
  s.attention_bias = config.attention_bias();
  s.qk_norm = config.qk_norm();
  return s;
}

int64_t ModelShape::matmul_parameter_count() const {
  const int64_t q_dim = n_heads * head_dim();
  const int64_t kv_dim = n_kv_heads * head_dim();
  const int64_t attention = d_model * q_dim * 2 + d_model * kv_dim * 2;  // q, o, k, v
  const int64_t mlp = 3 * d_model * d_ff;                                  // gate, up, down
  return n_layers * (attention + mlp) + d_model * vocab_size;              // + lm_head
}

int64_t ModelShape::parameter_count() const {
  const int64_t norms = (2 * n_layers + 1) * d_model + (qk_norm ? 2 * n_layers * head_dim() : 0);
  const int64_t attention_biases =
      attention_bias ? n_layers * (n_heads + 2 * n_kv_heads) * head_dim() : 0;
  const int64_t mlp_biases = mlp_bias ? n_layers * (2 * d_ff + d_model) : 0;
  const int64_t embedding = vocab_size * d_model;
  const int64_t untied_head = tie_embeddings ? 0 : vocab_size * d_model;
  return matmul_parameter_count() - d_model * vocab_size + embedding + untied_head + norms +
         attention_biases + mlp_biases;
}

double ModelShape::forward_flops(int64_t past, int64_t new_tokens) const {
  const double n = static_cast<double>(new_tokens);
  // Token i of the new ones attends to past + i + 1 keys.
  const double keys = n * static_cast<double>(past) + n * (n + 1) / 2;
  return 2.0 * static_cast<double>(matmul_parameter_count()) * n +
         4.0 * static_cast<double>(n_layers * n_heads * head_dim()) * keys;
}

double ModelShape::generation_flops(int64_t prompt_tokens, int64_t completion_tokens) const {
  return forward_flops(0, prompt_tokens + std::max<int64_t>(completion_tokens - 1, 0));
}

}  // namespace rlvr::models
