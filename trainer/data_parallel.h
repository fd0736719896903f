// Data parallelism over a Communicator: every rank keeps the same weights,
// trains on its share of each batch's rows, and the summed gradients make the
// update one process would make on the whole batch.
#pragma once

#include <vector>

#include "models/policy.h"
#include "trainer/distributed.h"

namespace rlvr::trainer {

// Every rank takes rank 0's parameters and buffers.
void broadcast_weights(models::Policy& policy, Communicator& comm);

// Sums every parameter's gradient over the ranks, in buckets of about 16 MB
// (one collective per bucket, not per tensor). A rank that trained on no rows
// contributes zeros. Each rank's loss must already be scaled by the global
// batch (LossScale of all rows), so the sum is the one-process gradient.
void all_reduce_gradients(models::Policy& policy, Communicator& comm);

// Throws rlvr::Error when the ranks' weights differ (bitwise), naming the
// first parameter that does: runtime.distributed.check_replicas.
void check_replicas(models::Policy& policy, Communicator& comm);

// The entries of `rows` (row numbers of a batch of `total` rows) that this
// rank trains: those in its contiguous share rank_share(total).
std::vector<int64_t> owned_rows(const std::vector<int64_t>& rows, int64_t total, const Communicator& comm);

}  // namespace rlvr::trainer
