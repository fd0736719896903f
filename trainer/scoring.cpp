#include "trainer/scoring.h"

namespace rlvr::trainer {

ResponseScores score_responses(models::Policy& policy, const TokenBatch& batch) {
  auto model = policy.model();
  const auto hidden = model->hidden_states(batch.inputs, batch.valid);
  const auto positions = batch.loss_mask.reshape({-1}).nonzero().squeeze(1);
  const auto selected = hidden.reshape({-1, hidden.size(-1)}).index_select(0, positions);
  ResponseScores out;
  out.logits = model->project(selected);
  // log p(t) = logit_t - logsumexp(logits): no [K, V] log-softmax tensor.
  const auto targets = batch.targets.reshape({-1}).index_select(0, positions);
  const auto picked = out.logits.gather(1, targets.unsqueeze(1)).squeeze(1);
  const auto logp = picked - out.logits.logsumexp(1);
  out.logp = torch::zeros({batch.inputs.numel()}, logp.options()).index_put({positions}, logp)
                 .reshape(batch.inputs.sizes());
  return out;
}

torch::Tensor response_log_probs(models::Policy& policy, const TokenBatch& batch,
                                 int64_t micro_batch_size) {
  torch::NoGradGuard no_grad;
  const int64_t rows = batch.inputs.size(0);
  if (micro_batch_size <= 0 || micro_batch_size >= rows) return score_responses(policy, batch).logp;
  const int64_t T = batch.inputs.size(1);
  std::vector<torch::Tensor> parts;
  for (const auto& idx : micro_batches(row_indices(rows), micro_batch_size)) {
    const auto part = score_responses(policy, select_rows(batch, idx)).logp;
    parts.push_back(torch::constant_pad_nd(part, {0, T - part.size(1)}));
  }
  return torch::cat(parts, 0);
}

double mean_entropy(const torch::Tensor& logits) {
  torch::NoGradGuard no_grad;
  if (logits.size(0) == 0) return 0;
  const auto logp = logits.log_softmax(-1);
  return (-(logp.exp() * logp).sum(-1)).mean().item<double>();
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
