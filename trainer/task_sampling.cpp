#include "trainer/task_sampling.h"

#include "core/error.h"
#include "core/rng.h"
#include "trainer/random_streams.h"

namespace rlvr::trainer {

std::vector<Task> sample_train_tasks(const envs::Environment& env, uint64_t seed, uint64_t stream,
                                     int64_t step, int64_t count, int64_t limit) {
  Rng rng(derive_seed(seed, stream, static_cast<uint64_t>(step)));
  const auto size = static_cast<int64_t>(env.size(envs::Split::kTrain));
  const int64_t pool = limit > 0 ? std::min(limit, size) : size;
  std::vector<Task> tasks;
  tasks.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    tasks.push_back(env.task(envs::Split::kTrain, uniform_int(rng, 0, pool - 1)));
  }
  return tasks;
}

std::vector<Task> rl_step_prompts(const envs::Environment& env, uint64_t seed, int64_t step, int64_t count) {
  return sample_train_tasks(env, seed, streams::kRlPrompt, step, count);
}

std::vector<Task> all_rl_prompts(const envs::Environment& env, uint64_t seed, int64_t steps, int64_t per_step) {
  std::vector<Task> prompts;
  prompts.reserve(static_cast<size_t>(steps * per_step));
  for (int64_t step = 1; step <= steps; ++step) {
    for (Task& t : rl_step_prompts(env, seed, step, per_step)) prompts.push_back(std::move(t));
  }
  return prompts;
}

std::vector<Task> sample_from_pool(const std::vector<Task>& pool, uint64_t seed, uint64_t stream, int64_t step,
                                   int64_t count) {
  if (pool.empty()) throw Error("sample_from_pool: the pool is empty (rl.steps or rl.prompts_per_step is 0)");
  Rng rng(derive_seed(seed, stream, static_cast<uint64_t>(step)));
  std::vector<Task> tasks;
  tasks.reserve(count);
  const auto last = static_cast<int64_t>(pool.size()) - 1;
  for (int64_t i = 0; i < count; ++i) tasks.push_back(pool[uniform_int(rng, 0, last)]);
  return tasks;
}

}  // namespace rlvr::trainer
