// Outcome of evaluating a policy on a set of tasks. Torch-free.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "scaling/metrics_sink.h"

namespace rlvr::trainer {

struct EvalResult {
  int64_t tasks = 0;
  int64_t correct = 0;
  int64_t unjudged = 0;  // tasks the verifier could not judge (sandbox error, time-out)
  double accuracy = 0;   // correct / judged tasks
  double mean_reward = 0;
  double mean_completion_tokens = 0;
  int64_t generated_tokens = 0;
  double seconds = 0;
  double flops = 0;  // forward FLOPs of the generation
  std::map<std::string, int64_t> statuses;  // verdict status name -> count

  // Adds accuracy, counts, the unjudged fraction and per-status fractions under `prefix` ("eval/").
  void add_to(scaling::MetricsRecord& record, const std::string& prefix) const;
};

}  // namespace rlvr::trainer
