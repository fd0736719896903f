#include "models/policy.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "core/error.h"
#include "models/hf_checkpoint.h"
#include "models/hf_tokenizer.h"

namespace rlvr::models {

torch::Device parse_device(const std::string& name) {
  std::optional<torch::Device> device;
  try {
    device.emplace(name);
  } catch (const std::exception&) {
    throw Error("cannot parse device '" + name + "' (expected cpu, cuda or cuda:N)");
  }
  if (device->is_cuda()) {
    if (!torch::cuda::is_available()) {
      throw Error("device '" + name + "' requested but no CUDA device is available" +
                  " (set model.device: \"cpu\", or install a CUDA build of torch)");
    }
    if (device->has_index() && device->index() >= static_cast<int>(torch::cuda::device_count())) {
      throw Error("device '" + name + "' requested but only " +
                  std::to_string(torch::cuda::device_count()) + " CUDA device(s) exist");
    }
  } else if (!device->is_cpu()) {
    throw Error("device '" + name + "' is not supported (use cpu or cuda[:N])");
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
    : device_(parse_device(config.device())) {
  ModelShape shape;
  if (!config.hf_path().empty()) {
    hf_path_ = config.hf_path();
    hf_config_ = read_hf_config((std::filesystem::path(hf_path_) / "config.json").string());
    HfTokenizer loaded = load_hf_tokenizer(hf_path_, config.chat_template());
    tokenizer_ = std::move(loaded.tokenizer);
    chat_template_ = loaded.chat_template;
    tokenizer_json_ = (std::filesystem::path(hf_path_) / "tokenizer.json").string();
    shape = hf_config_->shape;
    shape.max_seq_len = config.max_seq_len();
    if (shape.max_seq_len > hf_config_->max_position_embeddings) {
      spdlog::warn("model.max_seq_len {} exceeds the checkpoint's max_position_embeddings {}; "
                   "positions past it were never trained",
                   shape.max_seq_len, hf_config_->max_position_embeddings);
    }
    if (tokenizer_->vocab_size() > shape.vocab_size) {
      throw Error(hf_path_ + ": tokenizer.json has " + std::to_string(tokenizer_->vocab_size()) +
                  " tokens but config.json's vocab_size is " + std::to_string(shape.vocab_size));
    }
  } else if (config.tokenizer() == "char") {
    tokenizer_ = make_tokenizer(config.tokenizer());
    shape = ModelShape::from_config(config, tokenizer_->vocab_size());
  } else {
    tokenizer_json_ = config.tokenizer();
    HfTokenizer loaded = load_bpe_tokenizer(tokenizer_json_, config.chat_template());
    tokenizer_ = std::move(loaded.tokenizer);
    chat_template_ = loaded.chat_template;
    shape = ModelShape::from_config(config, tokenizer_->vocab_size());
  }
  if (tokenizer_->eos_id() < 0) {
    throw Error("model: the tokenizer '" + tokenizer_->name() +
                "' has no end token, so completions could not end (give tokenizer_config.json an "
                "eos_token, or use a chat template)");
  }
  torch::manual_seed(seed);
  model_ = Transformer(shape);
  if (hf_config_) load_hf_weights(*model_, hf_path_);
  model_->to(device_, to_scalar_type(config.dtype()));
}

int64_t Policy::pad_id() const {
  return tokenizer_->pad_id() >= 0 ? tokenizer_->pad_id() : tokenizer_->eos_id();
}

std::vector<int64_t> Policy::encode_prompt(const std::string& prompt) const {
  if (chat_template_.format() != ChatFormat::kNone) {
    return tokenizer_->encode(chat_template_.render(prompt));
  }
  std::vector<int64_t> ids;
  if (tokenizer_->bos_id() >= 0) ids.push_back(tokenizer_->bos_id());
  const auto body = tokenizer_->encode(prompt);
  ids.insert(ids.end(), body.begin(), body.end());
  return ids;
}

std::vector<int64_t> Policy::encode_task(const Task& task) const {
  return task.prompt_ids.empty() ? encode_prompt(task.prompt) : task.prompt_ids;
}

std::vector<Completion> Policy::generate(const std::vector<std::string>& prompts,
                                         const SamplingParams& params) {
  std::vector<std::vector<int64_t>> encoded;
  encoded.reserve(prompts.size());
  for (const auto& p : prompts) encoded.push_back(encode_prompt(p));
  return generate_from_ids(encoded, params);
}

std::vector<Completion> Policy::generate_from_ids(const std::vector<std::vector<int64_t>>& prompts,
                                                  const SamplingParams& params) {
  const Generation g = models::generate(model_, prompts, params, end_id(), pad_id());
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
