// Length terms of the RL reward (DAPO): the overlong penalty, and which
// truncated completions the loss leaves out. Torch-free.
#pragma once

#include <cstdint>

#include "config.pb.h"
#include "trainer/rollout.h"

namespace rlvr::trainer {

// DAPO's soft overlong punishment: 0 up to max_new_tokens - buffer tokens,
// then falling linearly to -penalty at max_new_tokens (and below it beyond).
// 0 when buffer is 0.
double overlong_penalty(int64_t length, int64_t max_new_tokens, int64_t buffer, double penalty);

// Adds rl's overlong penalty to the reward of every judged completion and
// records it as the component "length_penalty" (logged as reward/length_penalty).
// Does nothing when rl.overlong_buffer is 0.
void apply_length_terms(Rollouts& rollouts, const config::RlConfig& rl);

// Whether completion `i` is left out of the loss: unjudged, or truncated
// (no end token) under rl.mask_truncated.
bool left_out_of_loss(const Rollouts& rollouts, size_t i, const config::RlConfig& rl);

}  // namespace rlvr::trainer
