// Scaled dot-product attention for the decoder: the one place that picks how
// attention is computed for a given device and size.
#pragma once

#include <torch/torch.h>

namespace rlvr::models {

// q [B, heads, Tq, D]; k, v [B, kv_heads, Tk, D] with heads a multiple of
// kv_heads (query head h reads key/value head h / (heads / kv_heads), as in
// Llama and Qwen); mask [B, 1, Tq, Tk] additive, in q's dtype: 0 where a query
// may see a key, -inf where not. Every query must see at least one key.
// Returns [B, heads, Tq, D].
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask);

}  // namespace rlvr::models
