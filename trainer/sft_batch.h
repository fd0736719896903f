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

// Cross-entropy summed over the loss-masked targets of `batch` and divided by
// `tokens`: the batch's own count, or the whole batch's when `batch` is one
// of its micro-batches (then the micro-batch losses add up to the batch's mean).
torch::Tensor sft_loss(models::Policy& policy, const TokenBatch& batch, double tokens);

}  // namespace rlvr::trainer
