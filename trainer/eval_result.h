// Outcome of evaluating a policy on a set of tasks. Torch-free.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scaling/metrics_sink.h"

namespace rlvr::trainer {

struct EvalResult {
  int64_t tasks = 0;
  int64_t correct = 0;
  int64_t unjudged = 0;  // tasks the verifier could not judge (sandbox error, time-out)
  double accuracy = 0;   // correct / judged tasks
  // Standard error of accuracy as an estimate over tasks (see accuracy_stderr).
  double accuracy_stderr = 0;
  std::vector<uint8_t> outcomes;  // 1 per correct task, in task order
  double mean_reward = 0;
  double mean_completion_tokens = 0;
  int64_t generated_tokens = 0;
  double seconds = 0;
  double flops = 0;  // forward FLOPs of the generation
  std::map<std::string, int64_t> statuses;  // verdict status name -> count
  // Accuracy per environment of a mixture (tasks' meta "env"); empty otherwise.
  std::map<std::string, double> accuracy_by_env;

  // Adds accuracy, its standard error, counts, the unjudged fraction, per-status
  // fractions and per-environment accuracy (accuracy/<env>) under `prefix` ("eval/").
  void add_to(scaling::MetricsRecord& record, const std::string& prefix) const;
};

// Standard error of the mean of `outcomes` (0/1) when consecutive groups of
// `group_size` outcomes belong to one task (samples of the same prompt are
// correlated, so the task, not the sample, is the unit): the spread of the
// per-task means over the number of tasks. Never below the binomial error of
// all outcomes with a Laplace-smoothed rate, (c + 1) / (n + 2), so a run at 0%
// or 100% still gets a positive error that a weighted fit can use. 0 for no
// outcomes.
double accuracy_stderr(const std::vector<uint8_t>& outcomes, int64_t group_size);

}  // namespace rlvr::trainer
