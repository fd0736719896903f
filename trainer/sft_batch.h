// Token batches for supervised fine-tuning on worked solutions.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/task.h"
#include "models/policy.h"

namespace rlvr::trainer {

// Sequences [bos] prompt solution [eos], right-padded. Shapes [B, T] with
// T = longest sequence - 1 (inputs predict the next token).
struct SftBatch {
  torch::Tensor inputs;     // [B, T] int64
  torch::Tensor targets;    // [B, T] int64, the next token of each input
  torch::Tensor valid;      // [B, T] bool, false at padding
  torch::Tensor loss_mask;  // [B, T] float, 1 where the target is a solution or end token
  int64_t tokens = 0;       // real (unpadded) input tokens, for throughput and FLOPs
};

// Throws rlvr::Error naming the task when a sequence exceeds model.max_seq_len
// or the task has no worked solution.
SftBatch make_sft_batch(const models::Policy& policy, const std::vector<Task>& tasks);

// Mean cross-entropy over the loss-masked targets.
torch::Tensor sft_loss(const torch::Tensor& logits, const SftBatch& batch);

}  // namespace rlvr::trainer
