#include "trainer/heldout_loss.h"

#include <algorithm>
#include <cmath>

#include "trainer/sft_batch.h"
#include "trainer/token_batch.h"

namespace rlvr::trainer {
namespace {

// Whether make_sft_batch accepts the task: a solution that fits the context.
bool scorable(const models::Policy& policy, const Task& task) {
  if (task.solution.empty()) return false;
  const auto length = policy.encode_prompt(task.prompt).size() + policy.tokenizer().encode(task.solution).size() + 1;
  return static_cast<int64_t>(length) <= policy.shape().max_seq_len;
}

}  // namespace

HeldoutLoss heldout_sft_loss(models::Policy& policy, const std::vector<Task>& tasks, int64_t batch_size) {
  HeldoutLoss result;
  std::vector<Task> usable;
  for (const Task& task : tasks) {
    if (scorable(policy, task)) {
      usable.push_back(task);
    } else {
      ++result.skipped;
    }
  }
  result.tasks = static_cast<int64_t>(usable.size());
  if (usable.empty()) {
    result.loss = NAN;
    return result;
  }
  torch::NoGradGuard no_grad;
  policy.model()->eval();
  double nats = 0;
  double tokens = 0;
  const auto step = static_cast<size_t>(std::max<int64_t>(1, batch_size));
  for (size_t begin = 0; begin < usable.size(); begin += step) {
    const std::vector<Task> chunk(usable.begin() + begin, usable.begin() + std::min(usable.size(), begin + step));
    const TokenBatch batch = make_sft_batch(policy, chunk);
    const double chunk_tokens = batch.loss_mask.sum().item<double>();
    nats += sft_loss(policy, batch, 1.0).item<double>();
    tokens += chunk_tokens;
    result.flops += batch_forward_flops(policy.shape(), batch.lengths);
  }
  result.loss = nats / std::max(1.0, tokens);
  return result;
}

}  // namespace rlvr::trainer
