// Rollouts: G sampled completions for each of P prompts, verified. Generation
// runs in chunks on the calling thread while a thread pool verifies the chunks
// already generated.
#pragma once

#include <vector>

#include "core/task.h"
#include "core/thread_pool.h"
#include "models/policy.h"
#include "trainer/verifier_set.h"

namespace rlvr::trainer {

struct Rollouts {
  std::vector<Task> tasks;  // the P prompts' tasks
  int64_t group_size = 0;   // G
  // P·G entries, group by group (completions of task i at [i·G, (i+1)·G)).
  std::vector<std::vector<int64_t>> prompt_tokens;
  std::vector<models::Completion> completions;
  std::vector<float> rewards;
  std::vector<uint8_t> correct;
  std::vector<uint8_t> judged;  // 0 where the verifier could not judge (unjudged verdicts)
  // Named reward terms of each completion: a composite verifier's components
  // and the length penalty (logged as reward/<name>); empty when there are none.
  std::vector<verifiers::RewardComponents> components;
  double generate_seconds = 0;  // wall-clock spent generating
  double verify_seconds = 0;    // summed wall-clock of the verification jobs
  double verify_wait_seconds = 0;  // time generation waited for verification at the end
};

// `params.seed` seeds chunk c's sampling as derive_seed(params.seed, first_chunk + c):
// a rank that generates chunks [first_chunk, first_chunk + chunks) of a step
// draws what one process generating all of them draws.
Rollouts collect_rollouts(models::Policy& policy, const std::vector<Task>& tasks,
                          int64_t group_size, const models::SamplingParams& params, int chunks,
                          VerifierSet& verifiers, ThreadPool& pool, int first_chunk = 0);

}  // namespace rlvr::trainer
