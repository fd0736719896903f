// Log-probs of a batch's response tokens. The LM head and the log-softmax run
// at response positions only (a selective log-softmax): prompt positions need
// neither, and with a large vocabulary the [B, T, V] logits would be most of
// the memory of a training pass.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "models/policy.h"
#include "trainer/shared_prompt_batch.h"
#include "trainer/token_batch.h"

namespace rlvr::trainer {

struct ResponseScores {
  torch::Tensor logp;    // [B, T] log p(target) where the batch's loss_mask is set, 0 elsewhere
  torch::Tensor logits;  // [K, V] float32 logits of those K positions, in row-major order
};

// One forward pass of `policy` (with gradients when enabled) over whole sequences.
ResponseScores score_responses(models::Policy& policy, const TokenBatch& batch);
// The same for a shared-prompt batch: each prompt's forward once, the
// completions after it; in the completion layout [B, Tc].
ResponseScores score_responses(models::Policy& policy, const SharedPromptBatch& batch);

// Log-probs without gradients, `micro_batch_size` rows per forward pass (0: all
// rows in one pass).
torch::Tensor response_log_probs(models::Policy& policy, const TokenBatch& batch,
                                 int64_t micro_batch_size);
torch::Tensor response_log_probs(models::Policy& policy, const SharedPromptBatch& batch,
                                 int64_t micro_batch_size);

// Mean entropy (nats) of the distributions of a ResponseScores' logits.
double mean_entropy(const torch::Tensor& logits);

// Rows per forward/backward pass for a configured micro_batch_size: the
// setting when positive. 0 is automatic: on CPU, as many rows of `row_tokens`
// positions as keep one layer's activations (rows x row_tokens x d_model
// values) within about 8 MB of fp32 and its attention scores (rows x n_heads x
// row_tokens^2) within 16M, at least one row; on other devices all rows in
// one pass.
int64_t rows_per_pass(int64_t micro_batch_size, int64_t row_tokens, const models::ModelShape& shape,
                      const torch::Device& device);

// `rows` split, in order, into micro-batches of `micro_batch_size` rows (0: one batch).
std::vector<std::vector<int64_t>> micro_batches(const std::vector<int64_t>& rows,
                                                int64_t micro_batch_size);

}  // namespace rlvr::trainer
