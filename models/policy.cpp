#include "models/policy.h"

#include "core/error.h"

namespace rlvr::models {

torch::Device parse_device(const std::string& name) {
  std::optional<torch::Device> device;
  try {
    device.emplace(name);
  } catch (const std::exception&) {
    throw Error("model.device: cannot parse '" + name + "' (expected cpu, cuda or cuda:N)");
  }
  if (device->is_cuda()) {
    if (!torch::cuda::is_available()) {
      throw Error("model.device: '" + name + "' requested but no CUDA device is available" +
                  " (set model.device: \"cpu\", or install a CUDA build of torch)");
    }
    if (device->has_index() && device->index() >= static_cast<int>(torch::cuda::device_count())) {
      throw Error("model.device: '" + name + "' requested but only " +
                  std::to_string(torch::cuda::device_count()) + " CUDA device(s) exist");
    }
  } else if (!device->is_cpu()) {
    throw Error("model.device: '" + name + "' is not supported (use cpu or cuda[:N])");
  }
  return *device;
}

torch::ScalarType to_scalar_type(config::DType dtype) {
  switch (dtype) {
    case config::BFLOAT16: return torch::kBFloat16;
    case config::FLOAT16: return torch::kHalf;
    default: return torch::kFloat;
  }
}

Policy::Policy(const config::ModelConfig& config, uint64_t seed)
    : tokenizer_(make_tokenizer(config.tokenizer())), device_(parse_device(config.device())) {
  torch::manual_seed(seed);
  model_ = Transformer(ModelShape::from_config(config, tokenizer_->vocab_size()));
  model_->to(device_, to_scalar_type(config.dtype()));
}

std::vector<int64_t> Policy::encode_prompt(const std::string& prompt) const {
  std::vector<int64_t> ids{tokenizer_->bos_id()};
  const auto body = tokenizer_->encode(prompt);
  ids.insert(ids.end(), body.begin(), body.end());
  return ids;
}

std::vector<Completion> Policy::generate(const std::vector<std::string>& prompts,
                                         const SamplingParams& params) {
  std::vector<std::vector<int64_t>> encoded;
  encoded.reserve(prompts.size());
  for (const auto& p : prompts) encoded.push_back(encode_prompt(p));
  const Generation g =
      models::generate(model_, encoded, params, tokenizer_->eos_id(), tokenizer_->pad_id());
  std::vector<Completion> out(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    out[i].text = tokenizer_->decode(g.tokens[i]);
    out[i].tokens = g.tokens[i];
    out[i].logprobs = g.logprobs[i];
    out[i].finished = g.finished[i];
  }
  return out;
}

}  // namespace rlvr::models
