// Batched autoregressive generation with a preallocated KV cache.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "models/sampling.h"
#include "models/transformer.h"

namespace rlvr::models {

struct Generation {
  // Completion token ids per prompt; the end token is included when produced.
  std::vector<std::vector<int64_t>> tokens;
  // log p(token | prefix) of each completion token under the model at
  // temperature 1 (the distribution training scores), float32.
  std::vector<std::vector<float>> logprobs;
  // Whether each completion ended with the end token (rather than the length cap).
  std::vector<bool> finished;
};

// Prompts left-padded into one batch: ids [N, T] (pad_id at padding) and
// validity [N, T] bool, T the longest prompt, on the CPU.
std::pair<torch::Tensor, torch::Tensor> left_pad(const std::vector<std::vector<int64_t>>& prompts, int64_t pad_id);

// Picks the next token of each row from logits [B, vocab] (float32).
torch::Tensor sample_next(const torch::Tensor& logits, const SamplingParams& params,
                          torch::Generator& generator);

// How generation saves work. Both are on by default; off, generation is the
// plain reference path the fast one is tested against (same tokens greedily,
// and the same random draws when sampling: every row of the original batch is
// sampled at every step, finished or not).
struct GenerationOptions {
  // Consecutive identical prompts (a prompt's G samples) are prefilled once and
  // their KV cache copied for each sample.
  bool share_prompts = true;
  // Rows that produced the end token leave the decode batch (once a quarter of
  // it has finished, so the cache is not copied every step).
  bool drop_finished = true;
};

// Continues each prompt (token ids, unpadded) until the end token or the length
// cap (params.max_new_tokens, and the model's max_seq_len). Prompts are left-padded
// into one batch on the model's device.
Generation generate(Transformer& model, const std::vector<std::vector<int64_t>>& prompts,
                    const SamplingParams& params, int64_t eos_id, int64_t pad_id,
                    const GenerationOptions& options = {});

}  // namespace rlvr::models
