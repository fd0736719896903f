// Preallocated key/value cache for incremental decoding: one [B, kv_heads,
// capacity, head_dim] buffer per layer for keys and values, filled left to right.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace rlvr::models {

struct KvCache {
  KvCache(int64_t layers, int64_t batch, int64_t kv_heads, int64_t capacity, int64_t head_dim,
          torch::TensorOptions options);

  // Writes k/v ([B, kv_heads, T, head_dim]) after the cached part of `layer` and
  // returns views of everything cached so far, new part included.
  std::pair<torch::Tensor, torch::Tensor> append(int64_t layer, const torch::Tensor& k,
                                                 const torch::Tensor& v);

  int64_t capacity() const { return capacity_; }

  // Tokens cached before the current forward pass; the model advances it.
  int64_t length = 0;
  // [B, length] bool: which cached positions are real tokens (not padding).
  torch::Tensor valid;
  // [B] int64: rotary position of the next token of each row.
  torch::Tensor next_position;

 private:
  int64_t capacity_;
  std::vector<torch::Tensor> keys_, values_;
};

}  // namespace rlvr::models
