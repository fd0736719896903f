#include "trainer/rl_update.h"

#include <chrono>

#include "core/clock.h"
#include "core/rng.h"
#include "trainer/data_parallel.h"
#include "trainer/optim_util.h"
#include "trainer/scoring.h"

namespace rlvr::trainer {
namespace {

// Row order of one epoch: shuffled when the epoch is split into minibatches.
std::vector<int64_t> epoch_order(int64_t rows, int minibatches, uint64_t seed) {
  std::vector<int64_t> order = row_indices(rows);
  if (minibatches == 1) return order;
  Rng rng(seed);
  for (int64_t i = rows - 1; i > 0; --i) std::swap(order[i], order[uniform_int(rng, 0, i)]);
  return order;
}

// The loss inputs of `rows` of the batch, trimmed to their longest sequence.
PolicyLossInputs loss_inputs(const RlBatch& batch, const SharedPromptBatch& tokens, const torch::Tensor& logp,
                             const std::vector<int64_t>& rows) {
  const auto index = torch::tensor(rows, torch::kLong).to(logp.device());
  const int64_t T = tokens.loss_mask.size(1);
  const auto take = [&](const torch::Tensor& t) { return t.index_select(0, index).narrow(1, 0, T); };
  PolicyLossInputs in;
  in.logp = logp;
  in.old_logp = batch.old_logp.defined() ? take(batch.old_logp) : logp.detach();
  if (batch.ref_logp.defined()) in.ref_logp = take(batch.ref_logp);
  in.advantages = take(batch.advantages);
  in.mask = tokens.loss_mask;
  return in;
}

// One optimizer step on the minibatch `rows`, its gradient accumulated over
// micro-batches of the rows this rank owns.
void update_minibatch(const RlModels& models, torch::optim::Optimizer& optimizer, const RlBatch& batch,
                      const Algorithm& algorithm, const config::RlConfig& rl,
                      const std::vector<int64_t>& rows, FlopCounter& flops, UpdateStats& stats,
                      Communicator& comm) {
  auto& policy = models.policy;
  const auto index = torch::tensor(rows, torch::kLong).to(batch.tokens.loss_mask.device());
  // Scaled by the whole minibatch, whichever rank trains which rows.
  const LossScale scale = loss_scale(batch.tokens.loss_mask.index_select(0, index));
  const std::vector<int64_t> mine = owned_rows(rows, batch.rows(), comm);
  optimizer.zero_grad();
  double loss = 0, clip_fraction = 0, kl = 0, train_flops = 0, entropy = 0, entropy_ranks = 0;
  const int64_t per_pass = rows_per_pass(rl.micro_batch_size(), batch.tokens.row_width(), policy.shape(),
                                         batch.tokens.loss_mask.device());
  for (const auto& part : micro_batches(mine, per_pass)) {
    const SharedPromptBatch tokens = select_rows(batch.tokens, part);
    const ResponseScores scores = score_responses(policy, tokens);
    if (stats.updates == 0 && part.front() == mine.front()) {
      entropy = mean_entropy(scores.logits);
      entropy_ranks = 1;
    }
    const PolicyLoss pl = algorithm.loss(loss_inputs(batch, tokens, scores.logp, part), scale);
    pl.loss.backward();
    loss += pl.loss.item<double>();
    clip_fraction += pl.clip_fraction;
    kl += pl.kl;
    train_flops += batch_training_flops(policy.shape(), tokens.lengths);
  }
  all_reduce_gradients(policy, comm);
  const std::vector<double> sums = comm.sum({loss, clip_fraction, kl, train_flops, entropy, entropy_ranks});
  stats.loss += sums[0];
  stats.clip_fraction += sums[1];
  kl = sums[2];
  flops.add(FlopCategory::kRlTrain, sums[3]);
  if (stats.updates == 0 && sums[5] > 0) stats.entropy = sums[4] / sums[5];
  stats.grad_norm += gradient_norm(policy, rl.grad_clip());
  optimizer.step();
  if (batch.ref_logp.defined()) stats.kl = stats.kl.value_or(0) + kl;
  ++stats.updates;
}

}  // namespace

UpdateStats optimize(const RlModels& models, torch::optim::Optimizer& optimizer, const RlBatch& batch,
                     const Algorithm& algorithm, const config::RlConfig& rl, uint64_t shuffle_seed,
                     FlopCounter& flops, Communicator& comm) {
  const auto start = std::chrono::steady_clock::now();
  UpdateStats stats;
  if (batch.rows() == 0) return stats;
  models.policy.model()->train();
  const int64_t rows = batch.rows();
  const int64_t per_minibatch = (rows + rl.minibatches() - 1) / rl.minibatches();
  for (int epoch = 0; epoch < rl.ppo_epochs(); ++epoch) {
    const auto order = epoch_order(rows, rl.minibatches(), derive_seed(shuffle_seed, epoch));
    for (int64_t first = 0; first < rows; first += per_minibatch) {
      const std::vector<int64_t> minibatch(order.begin() + first,
                                           order.begin() + std::min(rows, first + per_minibatch));
      update_minibatch(models, optimizer, batch, algorithm, rl, minibatch, flops, stats, comm);
    }
  }
  const double per_update = 1.0 / stats.updates;
  stats.loss *= per_update;
  stats.clip_fraction *= per_update;
  stats.grad_norm *= per_update;
  if (stats.kl) *stats.kl *= per_update;
  stats.seconds = seconds_since(start);
  return stats;
}

}  // namespace rlvr::trainer
