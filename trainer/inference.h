// Evaluation and sampling from a trained run, for `rlvr eval` and `rlvr
// generate`. Torch-free.
#pragma once

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

}  // namespace rlvr::trainer
