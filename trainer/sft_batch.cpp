#include "trainer/sft_batch.h"

#include "core/error.h"
#include "trainer/scoring.h"

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

torch::Tensor sft_loss(models::Policy& policy, const TokenBatch& batch, double tokens) {
  return -score_responses(policy, batch).logp.sum() / std::max(1.0, tokens);
}

}  // namespace rlvr::trainer
