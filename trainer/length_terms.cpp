#include "trainer/length_terms.h"

#include <algorithm>

namespace rlvr::trainer {

double overlong_penalty(int64_t length, int64_t max_new_tokens, int64_t buffer, double penalty) {
  if (buffer <= 0) return 0;
  const int64_t free_length = max_new_tokens - buffer;
  if (length <= free_length) return 0;
  return -penalty * std::min(1.0, static_cast<double>(length - free_length) / static_cast<double>(buffer));
}

void apply_length_terms(Rollouts& rollouts, const config::RlConfig& rl) {
  if (rl.overlong_buffer() == 0) return;
  rollouts.components.resize(rollouts.completions.size());
  for (size_t i = 0; i < rollouts.completions.size(); ++i) {
    const auto length = static_cast<int64_t>(rollouts.completions[i].tokens.size());
    const double penalty = overlong_penalty(length, rl.max_new_tokens(), rl.overlong_buffer(), rl.overlong_penalty());
    rollouts.components[i].emplace_back("length_penalty", penalty);
    if (rollouts.judged[i] != 0) rollouts.rewards[i] += static_cast<float>(penalty);
  }
}

bool left_out_of_loss(const Rollouts& rollouts, size_t i, const config::RlConfig& rl) {
  return rollouts.judged[i] == 0 || (rl.mask_truncated() && !rollouts.completions[i].finished);
}

}  // namespace rlvr::trainer
