// Accuracy of a policy on a list of tasks: generate, verify, count.
#pragma once

#include <vector>

#include "core/task.h"
#include "models/policy.h"
#include "trainer/eval_result.h"
#include "trainer/verifier_set.h"

namespace rlvr::trainer {

EvalResult evaluate(models::Policy& policy, const std::vector<Task>& tasks, VerifierSet& verifiers,
                    const models::SamplingParams& sampling, int64_t batch_size);

}  // namespace rlvr::trainer
