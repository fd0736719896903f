// Key/value cache for incremental decoding and for shared prompts. Two kinds:
// a preallocated one (generation: one [B, kv_heads, capacity, head_dim] buffer
// per layer, filled left to right, no allocation per token) and a growable one
// (training: each append concatenates, so gradients flow through the cached
// keys and values back to the pass that produced them).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace rlvr::models {

// x.index_select(0, index) whose backward makes the incoming gradient
// contiguous before adding it up per row: how each completion row of a shared
// prompt reads the prompt's keys and values.
torch::Tensor gather_rows(const torch::Tensor& x, const torch::Tensor& index);

struct KvCache {
  // Preallocated for `capacity` positions.
  KvCache(int64_t layers, int64_t batch, int64_t kv_heads, int64_t capacity, int64_t head_dim,
          torch::TensorOptions options);
  // Growable, differentiable.
  KvCache(int64_t layers, int64_t batch, torch::TensorOptions options);

  // Writes k/v ([B, kv_heads, T, head_dim]) after the cached part of `layer` and
  // returns everything cached so far, new part included.
  std::pair<torch::Tensor, torch::Tensor> append(int64_t layer, const torch::Tensor& k,
                                                 const torch::Tensor& v);

  // A cache of rows `index` ([B'] int64, repeats allowed) of this one: how a
  // prompt's cache is shared by its samples, and how finished rows leave the
  // decode batch. Only the filled part is copied; the kind is kept.
  KvCache select_rows(const torch::Tensor& index) const;

  // Positions a preallocated cache holds (-1 for a growable one).
  int64_t capacity() const { return capacity_; }

  // Tokens cached before the current forward pass; the model advances it.
  int64_t length = 0;
  // [B, length] bool: which cached positions are real tokens (not padding).
  torch::Tensor valid;
  // [B] int64: rotary position of the next token of each row.
  torch::Tensor next_position;

 private:
  KvCache() = default;
  int64_t capacity_ = -1;
  std::vector<torch::Tensor> keys_, values_;
};

}  // namespace rlvr::models
