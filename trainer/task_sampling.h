// Training tasks drawn for a step: the SFT batches, the SFT check set, the
// control's batches and RL's prompts all draw this way.
#pragma once

#include <cstdint>
#include <vector>

#include "core/task.h"
#include "envs/environment.h"

namespace rlvr::trainer {

// `count` training tasks drawn reproducibly from (seed, stream, step); with
// `limit` > 0 only among the first `limit` training tasks.
std::vector<Task> sample_train_tasks(const envs::Environment& env, uint64_t seed, uint64_t stream,
                                     int64_t step, int64_t count, int64_t limit = 0);

// RL step `step`'s prompts (rl.prompts_per_step of them).
std::vector<Task> rl_step_prompts(const envs::Environment& env, uint64_t seed, int64_t step, int64_t count);

// Every prompt RL trains on over `steps` steps of `per_step` prompts, in order.
std::vector<Task> all_rl_prompts(const envs::Environment& env, uint64_t seed, int64_t steps, int64_t per_step);

// `count` tasks drawn reproducibly from (seed, stream, step) among `pool`, with replacement.
std::vector<Task> sample_from_pool(const std::vector<Task>& pool, uint64_t seed, uint64_t stream, int64_t step,
                                   int64_t count);

}  // namespace rlvr::trainer
