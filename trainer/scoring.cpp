#include "trainer/scoring.h"

#include <algorithm>

namespace rlvr::trainer {
namespace {

// Scores `hidden` ([B, T, d], position t predicting targets[b, t]) where `mask` is set.
ResponseScores score_hidden(models::Transformer& model, const torch::Tensor& hidden,
                            const torch::Tensor& targets, const torch::Tensor& mask) {
  const auto positions = mask.reshape({-1}).nonzero().squeeze(1);
  const auto selected = hidden.reshape({-1, hidden.size(-1)}).index_select(0, positions);
  ResponseScores out;
  out.logits = model->project(selected);
  // log p(t) = logit_t - logsumexp(logits): no [K, V] log-softmax tensor.
  const auto picked = out.logits.gather(1, targets.reshape({-1}).index_select(0, positions).unsqueeze(1)).squeeze(1);
  const auto logp = picked - out.logits.logsumexp(1);
  out.logp = torch::zeros({mask.numel()}, logp.options()).index_put({positions}, logp).reshape(mask.sizes());
  return out;
}

// Log-probs of `batch` without gradients, in micro-batches of rows.
template <typename Batch>
torch::Tensor log_probs_in_parts(models::Policy& policy, const Batch& batch, int64_t micro_batch_size) {
  torch::NoGradGuard no_grad;
  const int64_t rows = batch.loss_mask.size(0);
  if (micro_batch_size <= 0 || micro_batch_size >= rows) return score_responses(policy, batch).logp;
  const int64_t T = batch.loss_mask.size(1);
  std::vector<torch::Tensor> parts;
  for (const auto& idx : micro_batches(row_indices(rows), micro_batch_size)) {
    const auto part = score_responses(policy, select_rows(batch, idx)).logp;
    parts.push_back(torch::constant_pad_nd(part, {0, T - part.size(1)}));
  }
  return torch::cat(parts, 0);
}

}  // namespace

ResponseScores score_responses(models::Policy& policy, const TokenBatch& batch) {
  auto& model = policy.model();
  return score_hidden(model, model->hidden_states(batch.inputs, batch.valid), batch.targets, batch.loss_mask);
}

ResponseScores score_responses(models::Policy& policy, const SharedPromptBatch& batch) {
  auto& model = policy.model();
  const int64_t Tc = batch.completions.size(1);
  torch::Tensor prompt_hidden, completion_hidden;
  if (Tc == 1) {
    prompt_hidden = model->hidden_states(batch.prompts, batch.prompt_valid);
  } else {
    // Prompts and completions in one packed pass: each weight multiplies all
    // their tokens at once, and its gradient is one product rather than a sum
    // of a prompt pass's and a completion pass's (a 100M model's 64 rows of
    // 64+16 tokens spent 1 s of a 9.4 s step adding those up).
    std::tie(prompt_hidden, completion_hidden) = model->prefix_shared_hidden_states(
        batch.prompts, batch.prompt_valid, batch.completions.narrow(1, 0, Tc - 1),
        batch.completion_valid.narrow(1, 0, Tc - 1), batch.row_prompt);
  }
  // Completion token 0 is predicted at the prompt's last position (prompts are left-padded).
  auto hidden = prompt_hidden.select(1, -1).index_select(0, batch.row_prompt).unsqueeze(1);
  if (completion_hidden.defined()) hidden = torch::cat({hidden, completion_hidden}, 1);
  return score_hidden(model, hidden, batch.completions, batch.loss_mask);
}

torch::Tensor response_log_probs(models::Policy& policy, const TokenBatch& batch,
                                 int64_t micro_batch_size) {
  return log_probs_in_parts(policy, batch, micro_batch_size);
}

torch::Tensor response_log_probs(models::Policy& policy, const SharedPromptBatch& batch,
                                 int64_t micro_batch_size) {
  return log_probs_in_parts(policy, batch, micro_batch_size);
}

double mean_entropy(const torch::Tensor& logits) {
  torch::NoGradGuard no_grad;
  if (logits.size(0) == 0) return 0;
  const auto logp = logits.log_softmax(-1);
  return (-(logp.exp() * logp).sum(-1)).mean().item<double>();
}

int64_t rows_per_pass(int64_t micro_batch_size, int64_t row_tokens, const models::ModelShape& shape,
                      const torch::Device& device) {
  if (micro_batch_size > 0 || !device.is_cpu()) return micro_batch_size;
  // Passes whose activations stay in the last-level cache: on a 2-core EPYC
  // (32 MB L3) a 128-row, 320-token RL batch of a 25M model (d_model 512)
  // trained in 44-47 s in passes of 8, 16 or 32 rows (25: 52 s) and in 75 s
  // in one pass, peaking at 2.3-6.2 GB instead of 14.4 GB.
  constexpr int64_t kActivationValuesPerPass = int64_t{1} << 21;
  // The attention scores of a pass (rows x heads x tokens^2) are bounded too:
  // they are the largest activation of long rows in a narrow model. The
  // quickstart model's 256 RL rows of 320 tokens (d_model 64, 4 heads) peaked
  // at 875-890 MB in passes of 102 rows (the values budget alone) and at
  // 446-455 MB in passes of 40, training in 1.07-1.23 s and 1.07-1.15 s.
  constexpr int64_t kAttentionScoresPerPass = int64_t{1} << 24;
  const int64_t tokens = std::max<int64_t>(1, row_tokens);
  const int64_t by_values = kActivationValuesPerPass / (tokens * std::max<int64_t>(1, shape.d_model));
  const int64_t by_scores = kAttentionScoresPerPass / (tokens * tokens * std::max<int64_t>(1, shape.n_heads));
  return std::max<int64_t>(1, std::min(by_values, by_scores));
}

std::vector<std::vector<int64_t>> micro_batches(const std::vector<int64_t>& rows,
                                                int64_t micro_batch_size) {
  const auto n = static_cast<int64_t>(rows.size());
  const int64_t per = micro_batch_size > 0 ? micro_batch_size : std::max<int64_t>(1, n);
  std::vector<std::vector<int64_t>> out;
  for (int64_t first = 0; first < n; first += per) {
    out.emplace_back(rows.begin() + first, rows.begin() + std::min(n, first + per));
  }
  return out;
}

}  // namespace rlvr::trainer
