// The update stage of an RL step: ppo_epochs passes over the batch, each in
// `minibatches` optimizer steps, each step's gradient accumulated over
// micro-batches of rl.micro_batch_size rows.
#pragma once

#include <torch/torch.h>

#include <optional>

#include "trainer/algorithm.h"
#include "trainer/distributed.h"
#include "trainer/rl_batch.h"

namespace rlvr::trainer {

struct UpdateStats {
  int updates = 0;            // optimizer steps taken
  double loss = 0;            // means over the updates
  double clip_fraction = 0;
  double grad_norm = 0;
  std::optional<double> kl;   // mean per-token KL of the loss term, when there is one
  double entropy = 0;         // mean entropy of the first micro-batch's response positions
  double seconds = 0;
};

// Trains `models.policy` on `batch` (nothing when it has no rows). Minibatch
// order is drawn from `shuffle_seed`; the passes are charged to `flops`.
// Distributed, every rank holds the whole batch and trains its share of each
// minibatch's rows (owned_rows); gradients, losses and FLOPs are summed over
// the ranks, so every rank takes the one-process update. The entropy is then
// the mean over the ranks' first micro-batches.
UpdateStats optimize(const RlModels& models, torch::optim::Optimizer& optimizer, const RlBatch& batch,
                     const Algorithm& algorithm, const config::RlConfig& rl, uint64_t shuffle_seed,
                     FlopCounter& flops, Communicator& comm = single_process_communicator());

}  // namespace rlvr::trainer
