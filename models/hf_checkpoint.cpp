#include "models/hf_checkpoint.h"

#include <filesystem>
#include <set>

#include "core/error.h"
#include "models/hf_family.h"
#include "models/safetensors.h"

namespace rlvr::models {
namespace {

std::optional<torch::ScalarType> float_type(StDtype dtype) {
  switch (dtype) {
    case StDtype::kF32: return torch::kFloat;
    case StDtype::kF16: return torch::kHalf;
    case StDtype::kBF16: return torch::kBFloat16;
    case StDtype::kF64: return torch::kDouble;
    default: return std::nullopt;
  }
}

StDtype st_dtype(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat: return StDtype::kF32;
    case torch::kHalf: return StDtype::kF16;
    case torch::kBFloat16: return StDtype::kBF16;
    case torch::kDouble: return StDtype::kF64;
    default: throw Error(std::string("cannot write tensors of dtype ") + c10::toString(type));
  }
}

// Tensors a checkpoint may carry that the model derives itself: rotary tables
// (older exports) and the head when it is tied to the embedding.
bool derived_tensor(const std::string& name, bool tied) {
  return name.find("rotary_emb.inv_freq") != std::string::npos || (tied && name == "lm_head.weight");
}

}  // namespace

void load_hf_weights(TransformerImpl& model, const std::string& dir) {
  const SafetensorsCheckpoint checkpoint(dir);
  std::set<std::string> unused;
  for (const auto& name : checkpoint.names()) unused.insert(name);
  torch::NoGradGuard no_grad;
  for (auto& p : model.named_parameters()) {
    const std::string name = hf_tensor_name(p.key());
    const StTensor* t = checkpoint.find(name);
    if (t == nullptr) {
      throw Error(dir + ": tensor '" + name + "' is missing (config.json describes a model that has it)");
    }
    unused.erase(name);
    const auto type = float_type(t->dtype);
    if (!type) {
      throw Error(dir + ": tensor '" + name + "' has dtype " + std::string(st_dtype_name(t->dtype)) +
                  ", expected a floating-point one (F32, BF16, F16, F64)");
    }
    if (t->shape != p.value().sizes().vec()) {
      throw Error(dir + ": tensor '" + name + "' has shape " + c10::str(c10::IntArrayRef(t->shape)) +
                  ", config.json implies " + c10::str(p.value().sizes()));
    }
    // Tensors in the mapped file need not be aligned for their dtype: copy the
    // bytes to an aligned buffer first, then reinterpret; copy_ converts dtype
    // and device.
    const auto bytes = torch::from_blob(const_cast<void*>(t->data),
                                        {static_cast<int64_t>(t->nbytes)}, torch::kByte);
    p.value().copy_(bytes.clone().view(*type).view(t->shape));
  }
  for (auto it = unused.begin(); it != unused.end();) {
    it = derived_tensor(*it, model.shape().tie_embeddings) ? unused.erase(it) : std::next(it);
  }
  if (!unused.empty()) {
    throw Error(dir + ": " + std::to_string(unused.size()) + " tensor(s) have no place in the model, e.g. '" +
                *unused.begin() + "' (does config.json match the weights?)");
  }
}

void save_hf_weights(TransformerImpl& model, const std::string& dir, torch::ScalarType type,
                     size_t max_shard_bytes) {
  std::vector<torch::Tensor> host;  // keeps the bytes alive while writing
  std::vector<StTensor> tensors;
  for (const auto& p : model.named_parameters()) {
    host.push_back(p.value().detach().to(torch::kCPU, type).contiguous());
    const auto& t = host.back();
    tensors.push_back(StTensor{hf_tensor_name(p.key()), st_dtype(type), t.sizes().vec(), t.data_ptr(),
                               static_cast<size_t>(t.nbytes())});
  }
  std::filesystem::create_directories(dir);
  write_safetensors_checkpoint(dir, tensors, {{"format", "pt"}}, max_shard_bytes);
}

}  // namespace rlvr::models
