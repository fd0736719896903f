#include "trainer/sft_batch.h"

#include "core/error.h"

namespace rlvr::trainer {

TokenBatch make_sft_batch(const models::Policy& policy, const std::vector<Task>& tasks) {
  const auto& tok = policy.tokenizer();
  std::vector<std::vector<int64_t>> sequences;
  std::vector<size_t> prompt_lengths;
  for (const Task& task : tasks) {
    if (task.solution.empty()) {
      throw Error("task " + task.id + " has no worked solution; SFT needs one (set sft.steps: 0 "
                  "or add \"solution\" to the dataset)");
    }
    auto seq = policy.encode_prompt(task.prompt);
    prompt_lengths.push_back(seq.size());
    const auto solution = tok.encode(task.solution);
    seq.insert(seq.end(), solution.begin(), solution.end());
    seq.push_back(policy.end_id());
    if (static_cast<int64_t>(seq.size()) > policy.shape().max_seq_len) {
      throw Error("task " + task.id + " needs " + std::to_string(seq.size()) +
                  " tokens, more than model.max_seq_len=" +
                  std::to_string(policy.shape().max_seq_len) + "; raise it");
    }
    sequences.push_back(std::move(seq));
  }
  return make_token_batch(sequences, prompt_lengths, policy.pad_id(), policy.device());
}

torch::Tensor sft_loss(const torch::Tensor& logits, const TokenBatch& batch) {
  const auto mask = batch.loss_mask;
  return -(target_log_probs(logits, batch.targets) * mask).sum() / mask.sum().clamp_min(1);
}

}  // namespace rlvr::trainer
