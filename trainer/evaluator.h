// Accuracy of a policy on a list of tasks: generate, verify, count.
#pragma once

#include <vector>

#include "core/task.h"
#include "models/policy.h"
#include "trainer/distributed.h"
#include "trainer/eval_result.h"
#include "trainer/verifier_set.h"

namespace rlvr::trainer {

// Distributed, each rank generates and verifies a contiguous share of the
// batches and every rank gets the whole result (the one a single process gets).
EvalResult evaluate(models::Policy& policy, const std::vector<Task>& tasks, VerifierSet& verifiers,
                    const models::SamplingParams& sampling, int64_t batch_size,
                    Communicator& comm = single_process_communicator());

}  // namespace rlvr::trainer
