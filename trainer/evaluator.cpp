#include "trainer/evaluator.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "core/error.h"
#include "core/rng.h"
#include "trainer/random_streams.h"

namespace rlvr::trainer {

void EvalResult::add_to(scaling::MetricsRecord& record, const std::string& prefix) const {
  record.add(prefix + "accuracy", accuracy)
      .add(prefix + "accuracy_stderr", accuracy_stderr)
      .add(prefix + "correct", static_cast<double>(correct))
      .add(prefix + "tasks", static_cast<double>(tasks))
      .add(prefix + "unjudged", tasks > 0 ? static_cast<double>(unjudged) / tasks : 0)
      .add(prefix + "mean_reward", mean_reward)
      .add(prefix + "mean_completion_tokens", mean_completion_tokens)
      .add(prefix + "seconds", seconds);
  for (const auto& [status, count] : statuses) {
    record.add(prefix + "status/" + status, tasks > 0 ? static_cast<double>(count) / tasks : 0);
  }
}

double accuracy_stderr(const std::vector<uint8_t>& outcomes, int64_t group_size) {
  if (group_size < 1) {
    throw Error("accuracy_stderr: group_size is " + std::to_string(group_size) + ", must be at least 1");
  }
  const auto n = static_cast<int64_t>(outcomes.size());
  if (n == 0) return 0;
  const int64_t groups = n / group_size;
  std::vector<double> means(groups, 0.0);
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) {
    correct += outcomes[i];
    if (i / group_size < groups) means[i / group_size] += static_cast<double>(outcomes[i]) / group_size;
  }
  const double smoothed = static_cast<double>(correct + 1) / static_cast<double>(n + 2);
  const double floor = std::sqrt(smoothed * (1 - smoothed) / static_cast<double>(n));
  if (groups < 2) return floor;
  double mean = 0;
  for (double m : means) mean += m / static_cast<double>(groups);
  double ss = 0;
  for (double m : means) ss += (m - mean) * (m - mean);
  const double spread = std::sqrt(ss / static_cast<double>(groups - 1) / static_cast<double>(groups));
  return std::max(spread, floor);
}

EvalResult evaluate(models::Policy& policy, const std::vector<Task>& tasks, VerifierSet& verifiers,
                    const models::SamplingParams& sampling, int64_t batch_size) {
  const auto start = std::chrono::steady_clock::now();
  EvalResult result;
  double reward_sum = 0;
  for (size_t first = 0; first < tasks.size(); first += batch_size) {
    const size_t last = std::min(tasks.size(), first + static_cast<size_t>(batch_size));
    std::vector<std::string> prompts;
    for (size_t i = first; i < last; ++i) prompts.push_back(tasks[i].prompt);
    models::SamplingParams params = sampling;
    params.seed = derive_seed(sampling.seed, streams::kEvalBatch, first);
    const auto completions = policy.generate(prompts, params);
    for (size_t i = first; i < last; ++i) {
      const auto& completion = completions[i - first];
      const auto verdict = verifiers.verify(tasks[i], completion.text);
      result.correct += verdict.correct ? 1 : 0;
      result.outcomes.push_back(verdict.correct ? 1 : 0);
      result.unjudged += verdict.status == verifiers::VerdictStatus::kUnjudged ? 1 : 0;
      reward_sum += verdict.reward;
      const auto n = static_cast<int64_t>(completion.tokens.size());
      result.generated_tokens += n;
      const auto prompt = static_cast<int64_t>(policy.encode_prompt(tasks[i].prompt).size());
      result.flops += policy.shape().generation_flops(prompt, n);
      ++result.statuses[verifiers::status_name(verdict.status)];
    }
  }
  result.tasks = static_cast<int64_t>(tasks.size());
  if (result.tasks > 0) {
    const int64_t judged = result.tasks - result.unjudged;
    result.accuracy = judged > 0 ? static_cast<double>(result.correct) / judged : 0;
    result.mean_reward = reward_sum / result.tasks;
    result.mean_completion_tokens = static_cast<double>(result.generated_tokens) / result.tasks;
  }
  result.accuracy_stderr = accuracy_stderr(result.outcomes, 1);
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace rlvr::trainer
