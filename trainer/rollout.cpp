#include "trainer/rollout.h"

#include <chrono>
#include <future>

#include "core/clock.h"
#include "core/rng.h"

namespace rlvr::trainer {
namespace {

// Verifies the completions of tasks [first, last) into their slots of `r`.
double verify_tasks(Rollouts& r, VerifierSet& verifiers, size_t first, size_t last) {
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = first; i < last; ++i) {
    for (int64_t g = 0; g < r.group_size; ++g) {
      const size_t k = i * r.group_size + g;
      const auto verdict = verifiers.verify(r.tasks[i], r.completions[k].text);
      r.rewards[k] = static_cast<float>(verdict.reward);
      r.correct[k] = verdict.correct ? 1 : 0;
      r.judged[k] = verdict.status == verifiers::VerdictStatus::kUnjudged ? 0 : 1;
      r.components[k] = verdict.components;
    }
  }
  return seconds_since(start);
}

}  // namespace

Rollouts collect_rollouts(models::Policy& policy, const std::vector<Task>& tasks,
                          int64_t group_size, const models::SamplingParams& params, int chunks,
                          VerifierSet& verifiers, ThreadPool& pool, int first_chunk) {
  Rollouts r;
  r.tasks = tasks;
  r.group_size = group_size;
  const size_t total = tasks.size() * static_cast<size_t>(group_size);
  r.completions.resize(total);
  r.rewards.resize(total);
  r.correct.resize(total);
  r.judged.resize(total);
  r.components.resize(total);
  for (const Task& t : tasks) r.prompt_tokens.insert(r.prompt_tokens.end(), group_size, policy.encode_task(t));

  const size_t per_chunk = (tasks.size() + chunks - 1) / static_cast<size_t>(chunks);
  std::vector<std::future<double>> verifying;
  for (size_t first = 0, chunk = 0; first < tasks.size(); first += per_chunk, ++chunk) {
    const size_t last = std::min(tasks.size(), first + per_chunk);
    const auto begin = r.prompt_tokens.begin();
    const std::vector<std::vector<int64_t>> prompts(begin + static_cast<std::ptrdiff_t>(first * group_size),
                                                    begin + static_cast<std::ptrdiff_t>(last * group_size));
    models::SamplingParams chunk_params = params;
    chunk_params.seed = derive_seed(params.seed, static_cast<uint64_t>(first_chunk) + chunk);
    const auto start = std::chrono::steady_clock::now();
    auto completions = policy.generate_from_ids(prompts, chunk_params);
    r.generate_seconds += seconds_since(start);
    const size_t offset = first * group_size;
    for (size_t j = 0; j < completions.size(); ++j) r.completions[offset + j] = std::move(completions[j]);
    // Each job writes only its own slots of r, which outlives the futures.
    verifying.push_back(pool.submit([&r, &verifiers, first, last] { return verify_tasks(r, verifiers, first, last); }));
  }
  const auto wait_start = std::chrono::steady_clock::now();
  for (auto& f : verifying) r.verify_seconds += f.get();
  r.verify_wait_seconds = seconds_since(wait_start);
  return r;
}

}  // namespace rlvr::trainer
