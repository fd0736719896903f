#include "models/kv_cache.h"

namespace rlvr::models {

KvCache::KvCache(int64_t layers, int64_t batch, int64_t kv_heads, int64_t capacity,
                 int64_t head_dim, torch::TensorOptions options)
    : capacity_(capacity) {
  for (int64_t l = 0; l < layers; ++l) {
    keys_.push_back(torch::empty({batch, kv_heads, capacity, head_dim}, options));
    values_.push_back(torch::empty({batch, kv_heads, capacity, head_dim}, options));
  }
  valid = torch::empty({batch, 0}, options.dtype(torch::kBool));
  next_position = torch::zeros({batch}, options.dtype(torch::kLong));
}

std::pair<torch::Tensor, torch::Tensor> KvCache::append(int64_t layer, const torch::Tensor& k,
                                                        const torch::Tensor& v) {
  const int64_t end = length + k.size(2);
  TORCH_CHECK(end <= capacity_, "KV cache overflow: ", end, " tokens > capacity ", capacity_,
              " (raise model.max_seq_len)");
  using torch::indexing::Slice;
  keys_[layer].index_put_({Slice(), Slice(), Slice(length, end)}, k);
  values_[layer].index_put_({Slice(), Slice(), Slice(length, end)}, v);
  return {keys_[layer].index({Slice(), Slice(), Slice(0, end)}),
          values_[layer].index({Slice(), Slice(), Slice(0, end)})};
}

}  // namespace rlvr::models
