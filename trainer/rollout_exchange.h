// Rollouts generated and verified by each rank on its share of a step's
// prompts, gathered so that every rank holds the step's whole batch (token
// ids, texts, log-probs, rewards; a few hundred KB): batch-wide statistics,
// metrics and the row split of training then need nothing further.
#pragma once

#include <vector>

#include "trainer/distributed.h"
#include "trainer/rollout.h"

namespace rlvr::trainer {

// The rollouts of `tasks` (all ranks' prompts, in rank order) from each rank's
// `local` ones. Times are the slowest rank's.
Rollouts gather_rollouts(Communicator& comm, const Rollouts& local, const std::vector<Task>& tasks);

}  // namespace rlvr::trainer
