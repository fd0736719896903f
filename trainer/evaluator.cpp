#include "trainer/evaluator.h"

#include "core/clock.h"
#include "core/rng.h"
#include "trainer/random_streams.h"

namespace rlvr::trainer {

void EvalResult::add_to(scaling::MetricsRecord& record, const std::string& prefix) const {
  record.add(prefix + "accuracy", accuracy)
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
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace rlvr::trainer
