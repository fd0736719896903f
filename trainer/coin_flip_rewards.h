// The random-reward control's rewards: each judged reward replaced by a coin
// flip whose heads probability is the batch's true mean reward, so the update
// sees a signal of the same size and sign structure that says nothing about
// which completion was right.
#pragma once

#include <cstdint>

#include "trainer/rollout.h"

namespace rlvr::trainer {

// Replaces every judged reward of `rollouts` by 1 with probability m, else 0,
// where m is the mean judged reward (clamped to [0, 1]); draws come from
// `seed`. Unjudged rows and the verifier's `correct` flags are left as they
// are, so metrics still report true accuracy. Returns m.
double flip_coin_rewards(Rollouts& rollouts, uint64_t seed);

}  // namespace rlvr::trainer
