// Key/value cache for incremental decoding: one preallocated
// [B, kv_heads, capacity, head_dim] buffer per layer, filled left to right,
// no allocation per token.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace rlvr::models {

struct KvCache {
  // Preallocated for `capacity` positions.
  KvCache(int64_t layers, int64_t batch, int64_t kv_heads, int64_t capacity, int64_t head_dim,
          torch::TensorOptions options);

  // Writes k/v ([B, kv_heads, T, head_dim]) after the cached part of `layer` and
  // returns everything cached so far, new part included.
  std::pair<torch::Tensor, torch::Tensor> append(int64_t layer, const torch::Tensor& k,
                                                 const torch::Tensor& v);

  // A cache of rows `index` ([B'] int64, repeats allowed) of this one: how a
  // prompt's cache is shared by its samples, and how finished rows leave the
  // decode batch. Only the filled part is copied.
  KvCache select_rows(const torch::Tensor& index) const;

  // Tokens cached before the current forward pass; the model advances it.
  int64_t length = 0;
  // [B, length] bool: which cached positions are real tokens (not padding).
  torch::Tensor valid;
  // [B] int64: rotary position of the next token of each row.
  torch::Tensor next_position;

 private:
  KvCache() = default;
  int64_t capacity_ = 0;
  std::vector<torch::Tensor> keys_, values_;
};

}  // namespace rlvr::models
