// Policy: a tokenizer and a transformer on a device, with text-level generation.
// This is what trainers, evaluators and the CLI hold. Not thread-safe.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "config.pb.h"
#include "models/generation.h"
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
  // Builds a freshly initialised model (weights seeded by `seed`) on
  // config.device() in config.dtype(). Throws rlvr::Error for an unusable device.
  Policy(const config::ModelConfig& config, uint64_t seed);

  // [bos] + the prompt's tokens: what generation and training condition on.
  std::vector<int64_t> encode_prompt(const std::string& prompt) const;
  std::vector<Completion> generate(const std::vector<std::string>& prompts,
                                   const SamplingParams& params);

  Transformer& model() { return model_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  const ModelShape& shape() const { return model_->shape(); }
  torch::Device device() const { return device_; }

 private:
  std::unique_ptr<Tokenizer> tokenizer_;
  torch::Device device_;
  Transformer model_{nullptr};
};

// Parses "cpu", "cuda", "cuda:N"; throws rlvr::Error when the device is malformed
// or CUDA is asked for but not available.
torch::Device parse_device(const std::string& name);
torch::ScalarType to_scalar_type(config::DType dtype);

}  // namespace rlvr::models
