// Right-padded token batches for training passes, shared by SFT and RL.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "models/model_shape.h"

namespace rlvr::trainer {

// Sequences (each [bos] prompt response) as next-token prediction inputs.
// Shapes [B, T] with T = longest sequence - 1.
struct TokenBatch {
  torch::Tensor inputs;     // [B, T] int64
  torch::Tensor targets;    // [B, T] int64, the next token of each input
  torch::Tensor valid;      // [B, T] bool, false at padding
  torch::Tensor loss_mask;  // [B, T] float, 1 where the target is a response token
  int64_t tokens = 0;       // real (unpadded) input tokens
  std::vector<int64_t> lengths;  // input tokens per sequence (for FLOP accounting)
};

// `prompt_lengths[i]` tokens of sequence i are prompt (never trained on).
TokenBatch make_token_batch(const std::vector<std::vector<int64_t>>& sequences,
                            const std::vector<size_t>& prompt_lengths, int64_t pad_id,
                            torch::Device device);

// Row indices 0 .. rows - 1, in order.
std::vector<int64_t> row_indices(int64_t rows);

// The rows `index` ([K] int64) of a batch, trimmed to their longest sequence.
TokenBatch select_rows(const TokenBatch& batch, const std::vector<int64_t>& index);

// FLOPs of one forward pass over sequences of `lengths` input tokens (the
// nominal 2·N per token of ModelShape, whatever positions the LM head runs at).
double batch_forward_flops(const models::ModelShape& shape, const std::vector<int64_t>& lengths);

// FLOPs of a training pass (forward and backward) over such sequences.
double batch_training_flops(const models::ModelShape& shape, const std::vector<int64_t>& lengths);

}  // namespace rlvr::trainer
