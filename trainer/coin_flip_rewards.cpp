#include "trainer/coin_flip_rewards.h"

#include <algorithm>

#include "core/rng.h"

namespace rlvr::trainer {

double flip_coin_rewards(Rollouts& rollouts, uint64_t seed) {
  double sum = 0;
  int64_t judged = 0;
  for (size_t i = 0; i < rollouts.rewards.size(); ++i) {
    if (rollouts.judged[i] == 0) continue;
    sum += rollouts.rewards[i];
    ++judged;
  }
  const double heads = judged > 0 ? std::clamp(sum / static_cast<double>(judged), 0.0, 1.0) : 0.0;
  Rng rng(seed);
  for (size_t i = 0; i < rollouts.rewards.size(); ++i) {
    if (rollouts.judged[i] != 0) rollouts.rewards[i] = uniform_unit(rng) < heads ? 1.0f : 0.0f;
  }
  return heads;
}

}  // namespace rlvr::trainer
