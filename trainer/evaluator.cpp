#include "trainer/evaluator.h"

#include <algorithm>
#include <cmath>
#include <map>

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
  for (const auto& [env, env_accuracy] : accuracy_by_env) record.add(prefix + "accuracy/" + env, env_accuracy);
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

namespace {

// One task's evaluation, as ranks exchange it (plain bytes: every rank runs
// the same build).
struct TaskOutcome {
  uint8_t correct = 0, unjudged = 0;
  int32_t status = 0;
  double reward = 0;
  int64_t tokens = 0;
  double flops = 0;
};

// The outcomes of tasks [first, last), generated in batches of batch_size
// seeded by where each batch starts (so any split of whole batches over ranks
// draws what one process draws).
std::vector<TaskOutcome> evaluate_range(models::Policy& policy, const std::vector<Task>& tasks,
                                        VerifierSet& verifiers, const models::SamplingParams& sampling,
                                        size_t batch_size, size_t begin, size_t end) {
  std::vector<TaskOutcome> out;
  for (size_t first = begin; first < end; first += batch_size) {
    const size_t last = std::min(end, first + batch_size);
    std::vector<std::string> prompts;
    for (size_t i = first; i < last; ++i) prompts.push_back(tasks[i].prompt);
    models::SamplingParams params = sampling;
    params.seed = derive_seed(sampling.seed, streams::kEvalBatch, first);
    const auto completions = policy.generate(prompts, params);
    for (size_t i = first; i < last; ++i) {
      const auto& completion = completions[i - first];
      const auto verdict = verifiers.verify(tasks[i], completion.text);
      TaskOutcome o;
      o.correct = verdict.correct ? 1 : 0;
      o.unjudged = verdict.status == verifiers::VerdictStatus::kUnjudged ? 1 : 0;
      o.status = static_cast<int32_t>(verdict.status);
      o.reward = verdict.reward;
      o.tokens = static_cast<int64_t>(completion.tokens.size());
      const auto prompt = static_cast<int64_t>(policy.encode_prompt(tasks[i].prompt).size());
      o.flops = policy.shape().generation_flops(prompt, o.tokens);
      out.push_back(o);
    }
  }
  return out;
}

// Every rank's outcomes, in rank order.
std::vector<TaskOutcome> gather_outcomes(Communicator& comm, const std::vector<TaskOutcome>& mine) {
  if (!comm.distributed()) return mine;
  std::vector<TaskOutcome> all;
  const std::string bytes(reinterpret_cast<const char*>(mine.data()), mine.size() * sizeof(TaskOutcome));
  for (const std::string& part : comm.all_gather_bytes(bytes)) {
    const auto* first = reinterpret_cast<const TaskOutcome*>(part.data());
    all.insert(all.end(), first, first + part.size() / sizeof(TaskOutcome));
  }
  return all;
}

}  // namespace

EvalResult evaluate(models::Policy& policy, const std::vector<Task>& tasks, VerifierSet& verifiers,
                    const models::SamplingParams& sampling, int64_t batch_size, Communicator& comm) {
  const auto start = std::chrono::steady_clock::now();
  const auto batch = static_cast<size_t>(batch_size);
  // Each rank takes a contiguous run of whole batches.
  const auto batches = static_cast<int64_t>((tasks.size() + batch - 1) / batch);
  const auto [first_batch, last_batch] = rank_share(batches, comm.rank(), comm.world_size());
  const auto outcomes = gather_outcomes(
      comm, evaluate_range(policy, tasks, verifiers, sampling, batch, static_cast<size_t>(first_batch) * batch,
                           std::min(tasks.size(), static_cast<size_t>(last_batch) * batch)));
  if (outcomes.size() != tasks.size()) {
    throw Error("distributed: the ranks evaluated " + std::to_string(outcomes.size()) + " of " +
                std::to_string(tasks.size()) + " tasks");
  }
  EvalResult result;
  double reward_sum = 0;
  std::map<std::string, std::pair<int64_t, int64_t>> by_env;  // correct, judged
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const TaskOutcome& o = outcomes[i];
    const auto env = tasks[i].meta.find("env");
    if (env != tasks[i].meta.end()) {
      by_env[env->second].first += o.correct;
      by_env[env->second].second += o.unjudged ? 0 : 1;
    }
    result.correct += o.correct;
    result.outcomes.push_back(o.correct);
    result.unjudged += o.unjudged;
    reward_sum += o.reward;
    result.generated_tokens += o.tokens;
    result.flops += o.flops;
    ++result.statuses[verifiers::status_name(static_cast<verifiers::VerdictStatus>(o.status))];
  }
  result.tasks = static_cast<int64_t>(tasks.size());
  if (result.tasks > 0) {
    const int64_t judged = result.tasks - result.unjudged;
    result.accuracy = judged > 0 ? static_cast<double>(result.correct) / judged : 0;
    result.mean_reward = reward_sum / result.tasks;
    result.mean_completion_tokens = static_cast<double>(result.generated_tokens) / result.tasks;
  }
  for (const auto& [env, counts] : by_env) {
    result.accuracy_by_env[env] = counts.second > 0 ? static_cast<double>(counts.first) / counts.second : 0;
  }
  result.accuracy_stderr = accuracy_stderr(result.outcomes, 1);
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace rlvr::trainer
