#include "models/kv_cache.h"

namespace rlvr::models {

using torch::indexing::Slice;

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
  keys_[layer].index_put_({Slice(), Slice(), Slice(length, end)}, k);
  values_[layer].index_put_({Slice(), Slice(), Slice(length, end)}, v);
  return {keys_[layer].index({Slice(), Slice(), Slice(0, end)}),
          values_[layer].index({Slice(), Slice(), Slice(0, end)})};
}

KvCache KvCache::select_rows(const torch::Tensor& index) const {
  KvCache out;
  out.capacity_ = capacity_;
  out.length = length;
  out.valid = valid.index_select(0, index);
  out.next_position = next_position.index_select(0, index);
  const auto take = [&](const torch::Tensor& t) {
    auto sizes = t.sizes().vec();
    sizes[0] = index.size(0);
    auto copy = torch::empty(sizes, t.options());
    copy.narrow(2, 0, length).copy_(t.narrow(2, 0, length).index_select(0, index));
    return copy;
  };
  for (size_t l = 0; l < keys_.size(); ++l) {
    out.keys_.push_back(take(keys_[l]));
    out.values_.push_back(take(values_[l]));
  }
  return out;
}

}  // namespace rlvr::models
