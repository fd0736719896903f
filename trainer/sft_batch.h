// Token batches for supervised fine-tuning on worked solutions.
#pragma once

#include <vector>

#include "core/task.h"
#include "models/policy.h"
#include "trainer/token_batch.h"

namespace rlvr::trainer {

// Sequences [bos] prompt solution [eos]; the loss covers solution and end token.
// Throws rlvr::Error naming the task when a sequence exceeds model.max_seq_len
// or the task has no worked solution.
TokenBatch make_sft_batch(const models::Policy& policy, const std::vector<Task>& tasks);

// Mean cross-entropy over the loss-masked targets.
torch::Tensor sft_loss(const torch::Tensor& logits, const TokenBatch& batch);

}  // namespace rlvr::trainer
