#include "trainer/rl_metrics.h"

#include <map>
#include <string>

#include "core/stats.h"
#include "trainer/run_context.h"

namespace rlvr::trainer {
namespace {

// The step's KL to the reference: of the sampling policy when the penalty is
// in the reward, of the loss term otherwise; 0 without a KL term. (Either
// estimate may be negative with K1.)
double step_kl(const RlBatch& batch, const UpdateStats& update) {
  if (batch.reward_kl) return *batch.reward_kl;
  return update.kl.value_or(0);
}

// The mean of each named reward term over the completions that carry it, as reward/<name>.
void add_reward_components(scaling::MetricsRecord& record, const Rollouts& ro) {
  std::map<std::string, std::pair<double, int64_t>> sums;
  for (const auto& terms : ro.components) {
    for (const auto& [name, value] : terms) {
      auto& [sum, count] = sums[name];
      sum += value;
      ++count;
    }
  }
  for (const auto& [name, sum_count] : sums) {
    record.add("reward/" + name, sum_count.first / static_cast<double>(sum_count.second));
  }
}

// Accuracy of the judged samples of each environment of a mixture (tasks
// carrying meta "env"), as accuracy/<env>.
void add_accuracy_by_env(scaling::MetricsRecord& record, const Rollouts& ro) {
  std::map<std::string, std::pair<double, double>> by_env;  // correct, judged
  for (size_t i = 0; i < ro.correct.size(); ++i) {
    const auto& meta = ro.tasks[i / static_cast<size_t>(ro.group_size)].meta;
    const auto env = meta.find("env");
    if (env == meta.end()) continue;
    auto& [correct, judged] = by_env[env->second];
    correct += ro.correct[i];
    judged += ro.judged[i];
  }
  for (const auto& [env, counts] : by_env) {
    record.add("accuracy/" + env, counts.second > 0 ? counts.first / counts.second : 0);
  }
}

}  // namespace

scaling::MetricsRecord rl_step_record(int64_t step, const Rollouts& ro, const RlBatch& batch,
                                      const UpdateStats& update, double lr, const LoopState& state) {
  const size_t n = ro.rewards.size();
  double correct = 0, judged = 0, response_tokens = 0, truncated = 0;
  for (size_t i = 0; i < n; ++i) {
    correct += ro.correct[i];
    judged += ro.judged[i];
    truncated += ro.completions[i].finished ? 0 : 1;
    response_tokens += static_cast<double>(ro.completions[i].tokens.size());
  }
  const double mean_reward = mean_of(ro.rewards.data(), n);
  const double groups = static_cast<double>(ro.tasks.size());
  scaling::MetricsRecord record{"rl", step, {}};
  add_counters(record, state);
  record.add("reward/mean", mean_reward)
      .add("reward/std", sample_std_of(ro.rewards.data(), n, mean_reward))
      .add("accuracy", judged > 0 ? correct / judged : 0)
      .add("verify/unjudged", n > 0 ? (static_cast<double>(n) - judged) / static_cast<double>(n) : 0)
      .add("zero_variance_fraction", groups > 0 ? static_cast<double>(batch.flat_groups) / groups : 0)
      .add("kl", step_kl(batch, update))
      .add("entropy", update.entropy)
      .add("response_length/mean", n > 0 ? response_tokens / static_cast<double>(n) : 0)
      .add("truncated_fraction", n > 0 ? truncated / static_cast<double>(n) : 0)
      .add("clip_fraction", update.clip_fraction)
      .add("grad_norm", update.grad_norm)
      .add("loss", update.loss)
      .add("lr", lr)
      .add("updates", update.updates)
      .add("time/generate", ro.generate_seconds)
      .add("time/verify", ro.verify_seconds)
      .add("time/verify_wait", ro.verify_wait_seconds)
      .add("time/train", update.seconds);
  add_reward_components(record, ro);
  add_accuracy_by_env(record, ro);
  return record;
}

}  // namespace rlvr::trainer
