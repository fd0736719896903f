#include "models/kv_cache.h"

namespace rlvr::models {
namespace {

using torch::indexing::Slice;

// x.index_select(0, index) whose backward first makes the incoming gradient
// contiguous. The gradient of a growable cache's prompt part is a narrow view
// of the whole sequence's; ATen's index_add_ over such a view ran 7-10x slower
// than over a contiguous copy (2 threads, torch 2.13), and this backward runs
// for every layer's keys and values in each shared-prompt training pass.
class GatherRows : public torch::autograd::Function<GatherRows> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& index) {
    ctx->save_for_backward({index});
    ctx->saved_data["rows"] = x.size(0);
    return x.index_select(0, index);
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto index = ctx->get_saved_variables()[0];
    const auto grad = grads[0].contiguous();
    auto sizes = grad.sizes().vec();
    sizes[0] = ctx->saved_data["rows"].toInt();
    return {torch::zeros(sizes, grad.options()).index_add_(0, index, grad), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor gather_rows(const torch::Tensor& x, const torch::Tensor& index) { return GatherRows::apply(x, index); }

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

KvCache::KvCache(int64_t layers, int64_t batch, torch::TensorOptions options)
    : keys_(layers), values_(layers) {
  valid = torch::empty({batch, 0}, options.dtype(torch::kBool));
  next_position = torch::zeros({batch}, options.dtype(torch::kLong));
}

std::pair<torch::Tensor, torch::Tensor> KvCache::append(int64_t layer, const torch::Tensor& k,
                                                        const torch::Tensor& v) {
  if (capacity_ < 0) {
    auto& keys = keys_[layer];
    auto& values = values_[layer];
    keys = keys.defined() ? torch::cat({keys, k}, 2) : k;
    values = values.defined() ? torch::cat({values, v}, 2) : v;
    return {keys, values};
  }
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
    if (capacity_ < 0) return t.defined() ? gather_rows(t, index) : t;
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
