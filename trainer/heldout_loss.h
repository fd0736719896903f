// The SFT loss on tasks the policy never trained on: the pre-training law's
// measure of a model size. The last training step's loss is one batch of the
// training stream, noisy enough to blur a power law in parameters; the mean
// over every held-out solution token is not.
#pragma once

#include <cstdint>
#include <vector>

#include "core/task.h"
#include "models/policy.h"

namespace rlvr::trainer {

struct HeldoutLoss {
  double loss = 0;      // mean cross-entropy per solution token (nats); NaN when no task was usable
  int64_t tasks = 0;    // tasks scored
  int64_t skipped = 0;  // tasks without a worked solution, or longer than model.max_seq_len
  double flops = 0;     // forward FLOPs spent
};

// Scores `tasks`' worked solutions under `policy` without gradients, in
// batches of `batch_size`, exactly as SFT scores its demonstrations.
HeldoutLoss heldout_sft_loss(models::Policy& policy, const std::vector<Task>& tasks, int64_t batch_size);

}  // namespace rlvr::trainer
