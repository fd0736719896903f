#include "trainer/sft_batch.h"

#include "core/error.h"

namespace rlvr::trainer {

SftBatch make_sft_batch(const models::Policy& policy, const std::vector<Task>& tasks) {
  const auto& tok = policy.tokenizer();
  std::vector<std::vector<int64_t>> sequences;
  std::vector<size_t> prompt_lengths;
  size_t longest = 0;
  for (const Task& task : tasks) {
    if (task.solution.empty()) {
      throw Error("task " + task.id + " has no worked solution; SFT needs one (set sft.steps: 0 "
                  "or add \"solution\" to the dataset)");
    }
    auto seq = policy.encode_prompt(task.prompt);
    prompt_lengths.push_back(seq.size());
    const auto solution = tok.encode(task.solution);
    seq.insert(seq.end(), solution.begin(), solution.end());
    seq.push_back(tok.eos_id());
    if (static_cast<int64_t>(seq.size()) > policy.shape().max_seq_len) {
      throw Error("task " + task.id + " needs " + std::to_string(seq.size()) +
                  " tokens, more than model.max_seq_len=" +
                  std::to_string(policy.shape().max_seq_len) + "; raise it");
    }
    longest = std::max(longest, seq.size());
    sequences.push_back(std::move(seq));
  }
  const int64_t B = static_cast<int64_t>(tasks.size());
  const int64_t T = static_cast<int64_t>(longest) - 1;
  auto inputs = torch::full({B, T}, tok.pad_id(), torch::kLong);
  auto targets = torch::full({B, T}, tok.pad_id(), torch::kLong);
  auto valid = torch::zeros({B, T}, torch::kBool);
  auto mask = torch::zeros({B, T}, torch::kFloat);
  auto in_a = inputs.accessor<int64_t, 2>();
  auto tg_a = targets.accessor<int64_t, 2>();
  auto va_a = valid.accessor<bool, 2>();
  auto ma_a = mask.accessor<float, 2>();
  SftBatch batch;
  for (int64_t b = 0; b < B; ++b) {
    const auto& seq = sequences[b];
    for (size_t t = 0; t + 1 < seq.size(); ++t) {
      in_a[b][t] = seq[t];
      tg_a[b][t] = seq[t + 1];
      va_a[b][t] = true;
      // Position t predicts token t+1; train only where that token is part of
      // the solution (or the end token), not the prompt.
      ma_a[b][t] = t + 1 >= prompt_lengths[b] ? 1.0f : 0.0f;
    }
    batch.tokens += static_cast<int64_t>(seq.size()) - 1;
  }
  const auto device = policy.device();
  batch.inputs = inputs.to(device);
  batch.targets = targets.to(device);
  batch.valid = valid.to(device);
  batch.loss_mask = mask.to(device);
  return batch;
}

torch::Tensor sft_loss(const torch::Tensor& logits, const SftBatch& batch) {
  const auto per_token = torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), batch.targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  const auto mask = batch.loss_mask.reshape({-1});
  return (per_token * mask).sum() / mask.sum().clamp_min(1);
}

}  // namespace rlvr::trainer
