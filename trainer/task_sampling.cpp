#include "trainer/task_sampling.h"

#include "core/rng.h"

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

}  // namespace rlvr::trainer
