// RL rows grouped by prompt: each distinct prompt once, each row's completion
// apart. A scoring or training pass then runs a prompt's forward (and backward)
// once for all its samples, the completions attending to its cached keys and
// values (cf. "Prefix Grouper", 2025); with G samples of a long prompt that is
// most of the work of the unshared pass. Response tensors are laid out by
// completion position: column j of row i is completion token j.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "trainer/token_batch.h"

namespace rlvr::trainer {

// The batch on the host, from which tensors are built (and rebuilt for subsets).
struct SharedPromptRows {
  std::vector<std::vector<int64_t>> prompts;      // distinct prompts
  std::vector<int64_t> row_prompt;                // prompt index of each row
  std::vector<std::vector<int64_t>> completions;  // completion ids of each row (at least one)
  std::vector<uint8_t> trained;                   // 0: the row trains on nothing (empty loss mask)
};

struct SharedPromptBatch {
  SharedPromptRows host;
  int64_t pad_id = 0;              // fills padding (masked out everywhere)
  torch::Tensor prompts;           // [P, Tp] int64, left-padded
  torch::Tensor prompt_valid;      // [P, Tp] bool
  torch::Tensor row_prompt;        // [B] int64
  torch::Tensor completions;       // [B, Tc] int64, right-padded: the targets
  torch::Tensor completion_valid;  // [B, Tc] bool
  torch::Tensor loss_mask;         // [B, Tc] float, 1 on trained completion tokens
  // Input tokens of each row as one unshared sequence (prompt + completion - 1):
  // FLOPs are counted as an unshared pass spends them, the usual convention.
  std::vector<int64_t> lengths;

  int64_t rows() const { return static_cast<int64_t>(host.row_prompt.size()); }
  // Positions of the longest row: padded prompt plus padded completion.
  int64_t row_width() const { return prompts.size(1) + completions.size(1); }
};

SharedPromptBatch make_shared_prompt_batch(SharedPromptRows rows, int64_t pad_id, torch::Device device);

// The rows `index` of a batch (their prompts only, trimmed to the longest).
SharedPromptBatch select_rows(const SharedPromptBatch& batch, const std::vector<int64_t>& index);

// The same rows as unshared sequences (prompt + completion, right-padded): the
// reference layout the shared pass is tested against.
TokenBatch unshared_token_batch(const SharedPromptBatch& batch);

// A [B, T] tensor of the unshared layout moved to the completion layout [B, Tc].
torch::Tensor to_completion_layout(const SharedPromptBatch& batch, const torch::Tensor& unshared);

}  // namespace rlvr::trainer
