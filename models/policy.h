// Policy: a tokenizer and a transformer on a device, with text-level generation.
// This is what trainers, evaluators and the CLI hold. Not thread-safe.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config.pb.h"
#include "core/task.h"
#include "models/chat_template.h"
#include "models/generation.h"
#include "models/hf_config.h"
#include "models/tokenizer.h"
#include "models/transformer.h"

namespace rlvr::models {

struct Completion {
  std::string text;               // decoded completion, special tokens dropped
  std::vector<int64_t> tokens;    // completion token ids (end token included if produced)
  std::vector<float> logprobs;    // per-token log-probs, see Generation
  bool finished = false;          // ended with the end token
};

class Policy {
 public:
  // Builds the model of config.hf_path (weights, shape and tokenizer of the
  // checkpoint), or a freshly initialised one (weights seeded by `seed`), on
  // config.device() in config.dtype(). Throws rlvr::Error for an unusable device
  // or checkpoint.
  Policy(const config::ModelConfig& config, uint64_t seed);

  // What generation and training condition on: the prompt in the chat template,
  // or [bos] + the prompt's tokens without one (no bos when the tokenizer has
  // none).
  std::vector<int64_t> encode_prompt(const std::string& prompt) const;
  // The task's prompt_ids when set, else encode_prompt(task.prompt).
  std::vector<int64_t> encode_task(const Task& task) const;
  // The token that ends a completion: the template's end of turn, else eos.
  int64_t end_id() const { return tokenizer_->eos_id(); }
  // Fills padding positions (masked out everywhere): pad, else eos.
  int64_t pad_id() const;
  std::vector<Completion> generate(const std::vector<std::string>& prompts,
                                   const SamplingParams& params);
  // The same from encoded prompts (see encode_prompt).
  std::vector<Completion> generate_from_ids(const std::vector<std::vector<int64_t>>& prompts,
                                            const SamplingParams& params);

  Transformer& model() { return model_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  const ModelShape& shape() const { return model_->shape(); }
  torch::Device device() const { return device_; }
  const ChatTemplate& chat_template() const { return chat_template_; }
  // Where the policy came from, for exports: the checkpoint's config.json
  // (nullopt for a fresh model), its directory, the tokenizer.json in use ("" for char).
  const std::optional<HfModelConfig>& hf_config() const { return hf_config_; }
  const std::string& hf_path() const { return hf_path_; }
  const std::string& tokenizer_json() const { return tokenizer_json_; }

 private:
  std::unique_ptr<Tokenizer> tokenizer_;
  ChatTemplate chat_template_;
  std::optional<HfModelConfig> hf_config_;
  std::string hf_path_;
  std::string tokenizer_json_;
  torch::Device device_;
  Transformer model_{nullptr};
};

// Parses "cpu", "cuda", "cuda:N"; throws rlvr::Error when the device is malformed
// or CUDA is asked for but not available.
torch::Device parse_device(const std::string& name);
torch::ScalarType to_scalar_type(config::DType dtype);

}  // namespace rlvr::models
