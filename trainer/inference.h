// Evaluation and sampling from a trained run, for `rlvr eval` and `rlvr
// generate`. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trainer/eval_result.h"

namespace rlvr::trainer {

// Accuracy of the checkpoint on the eval split ("eval") or on fresh training
// tasks ("train"). `overrides` ("a.b=value") adjust the run's config, e.g.
// eval.num_tasks or eval.sampling.temperature.
EvalResult evaluate_checkpoint(const std::string& run_dir_or_checkpoint,
                               const std::vector<std::string>& overrides, const std::string& split);

struct Sample {
  std::string prompt;
  std::string completion;
  bool finished = false;  // ended with the end token
  double logprob = 0;     // sum of the completion's token log-probs
};

// `samples_per_prompt` completions for each prompt, sampled with the run's
// eval.sampling settings (after `overrides`).
std::vector<Sample> generate_from_checkpoint(const std::string& run_dir_or_checkpoint,
                                             const std::vector<std::string>& overrides,
                                             const std::vector<std::string>& prompts,
                                             int samples_per_prompt);

// Writes the checkpoint's policy as a Hugging Face checkpoint directory (see
// models/hf_export.h); `dtype` "" keeps the model's.
void export_checkpoint(const std::string& run_dir_or_checkpoint,
                       const std::vector<std::string>& overrides, const std::string& out_dir,
                       const std::string& dtype, size_t max_shard_bytes);

// Test-time compute: accuracy as a function of the number k of samples drawn
// per task, with the inference FLOPs that k samples cost.
struct TestTimePoint {
  int64_t k = 0;
  double pass_at_k = 0;       // unbiased estimator over all n samples
  double maj_at_k = 0;        // majority vote of the first k samples' answers
  double best_of_k = 0;       // the highest-reward sample of the first k is correct
  double flops_per_task = 0;  // generation FLOPs of k samples, averaged over tasks
};

struct TestTimeResult {
  int64_t tasks = 0;
  int64_t samples = 0;  // n per task
  double temperature = 0;
  double seconds = 0;
  std::vector<TestTimePoint> points;  // one per requested k
  // outcomes[t][s]: whether task t's s-th sample (in the order drawn) was
  // judged correct; what the test-time law (scaling/test_time_law.h) fits.
  std::vector<std::vector<bool>> outcomes;
};

// Samples `samples` completions per eval task at `temperature` and evaluates
// every k in `ks` (each 1..samples). Answers vote together when the task's
// verifier says they are the same (Verifier::same_answer), not by string.
TestTimeResult evaluate_test_time(const std::string& run_dir_or_checkpoint,
                                  const std::vector<std::string>& overrides, int64_t samples,
                                  const std::vector<int64_t>& ks, double temperature);

}  // namespace rlvr::trainer
