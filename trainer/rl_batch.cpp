#include "trainer/rl_batch.h"

#include <numeric>

#include "trainer/algorithm.h"
#include "trainer/length_terms.h"
#include "trainer/rl_objective.h"
#include "trainer/scoring.h"

namespace rlvr::trainer {
namespace {

// A group teaches nothing when the rewards of its rows in the loss are all
// equal (every advantage is 0) or fewer than two rows are in the loss.
bool is_flat(const Rollouts& ro, size_t first, const config::RlConfig& rl) {
  std::optional<float> seen;
  for (size_t i = first; i < first + static_cast<size_t>(ro.group_size); ++i) {
    if (left_out_of_loss(ro, i, rl)) continue;
    if (seen && *seen != ro.rewards[i]) return false;
    seen = ro.rewards[i];
  }
  return true;
}

// Whether row `i` goes into the batch: a verified one (BatchRows::kVerified),
// or any row of a group worth training on.
bool keep_row(const Rollouts& ro, size_t i, BatchRows rows, bool group_kept, const config::RlConfig& rl) {
  return rows == BatchRows::kVerified ? !left_out_of_loss(ro, i, rl) && ro.correct[i] != 0 : group_kept;
}

// Rows the algorithm trains on (see BatchRows), grouped by prompt; rows of
// kept groups left out of the loss (unjudged, or masked as truncated) stay in
// place (groups stay whole) and train on nothing.
RlBatch kept_rows(const Rollouts& ro, BatchRows rows, const config::RlConfig& rl, const models::Policy& policy) {
  RlBatch batch;
  batch.group_size = ro.group_size;
  SharedPromptRows kept;
  for (size_t first = 0; first < ro.completions.size(); first += ro.group_size) {
    const bool flat = is_flat(ro, first, rl);
    batch.flat_groups += flat ? 1 : 0;
    bool prompt_added = false;
    for (size_t i = first; i < first + static_cast<size_t>(ro.group_size); ++i) {
      if (!keep_row(ro, i, rows, !(flat && rl.filter_zero_variance()), rl)) continue;
      if (!prompt_added) kept.prompts.push_back(ro.prompt_tokens[i]);
      prompt_added = true;
      kept.row_prompt.push_back(static_cast<int64_t>(kept.prompts.size()) - 1);
      kept.completions.push_back(ro.completions[i].tokens);
      const uint8_t trained = left_out_of_loss(ro, i, rl) ? 0 : 1;
      kept.trained.push_back(trained);
      batch.rewards.push_back(ro.rewards[i]);
      batch.judged.push_back(trained);
    }
  }
  if (!kept.row_prompt.empty()) {
    batch.tokens = make_shared_prompt_batch(std::move(kept), policy.pad_id(), policy.device());
  }
  return batch;
}

// Sequence KL of the sampling policy to the reference, taken off each reward.
void penalise_kl(RlBatch& batch, const torch::Tensor& ref_logp, const config::RlConfig& rl) {
  const auto& mask = batch.tokens.loss_mask;
  const auto kl = (kl_estimate(batch.old_logp, ref_logp, rl.kl_estimator()) * mask).sum(1);
  batch.reward_kl = kl.sum().item<double>() / std::max(1.0, mask.sum().item<double>());
  const auto kl_cpu = kl.to(torch::kCPU, torch::kDouble).contiguous();
  for (int64_t i = 0; i < batch.rows(); ++i) {
    batch.rewards[i] -= static_cast<float>(rl.kl_coef() * kl_cpu.data_ptr<double>()[i]);
  }
}

// Log-probs [B, Tc] of the batch's responses under `policy`: each rank scores
// its share of the rows, and every rank gets all of them.
torch::Tensor batch_log_probs(models::Policy& policy, const RlBatch& batch, int64_t per_pass, Communicator& comm) {
  if (!comm.distributed()) return response_log_probs(policy, batch.tokens, per_pass);
  const auto [first, last] = rank_share(batch.rows(), comm.rank(), comm.world_size());
  std::vector<int64_t> mine(static_cast<size_t>(last - first));
  std::iota(mine.begin(), mine.end(), first);
  const int64_t width = batch.tokens.loss_mask.size(1);
  auto part = torch::zeros({last - first, width}, batch.tokens.loss_mask.options().dtype(torch::kFloat));
  if (!mine.empty()) {
    const auto scored = response_log_probs(policy, select_rows(batch.tokens, mine), per_pass);
    part.narrow(1, 0, scored.size(1)).copy_(scored);
  }
  return comm.all_gather_rows(part);
}

// Old-policy and reference log-probs, each one forward pass when needed.
void score_batch(RlBatch& batch, const RlModels& models, const Algorithm& algorithm,
                 const config::RlConfig& rl, FlopCounter& flops, Communicator& comm) {
  const bool kl_in_reward = models.reference != nullptr && rl.kl_mode() == config::KL_REWARD;
  const double forward = batch_forward_flops(models.policy.shape(), batch.tokens.lengths);
  const int64_t per_pass = rows_per_pass(rl.micro_batch_size(), batch.tokens.row_width(), models.policy.shape(),
                                         batch.tokens.loss_mask.device());
  if (algorithm.needs_sampling_log_probs() || kl_in_reward) {
    batch.old_logp = batch_log_probs(models.policy, batch, per_pass, comm);
    flops.add(FlopCategory::kRlOldPolicy, forward);
  }
  if (models.reference == nullptr) return;
  const auto ref_logp = batch_log_probs(*models.reference, batch, per_pass, comm);
  flops.add(FlopCategory::kRlReference, forward);
  if (kl_in_reward) {
    penalise_kl(batch, ref_logp, rl);
  } else {
    batch.ref_logp = ref_logp;
  }
}

}  // namespace

RlBatch make_rl_batch(const Rollouts& rollouts, const RlModels& models, const Algorithm& algorithm,
                      const config::RlConfig& rl, FlopCounter& flops, Communicator& comm) {
  RlBatch batch = kept_rows(rollouts, algorithm.batch_rows(), rl, models.policy);
  if (batch.rows() == 0) return batch;
  score_batch(batch, models, algorithm, rl, flops, comm);
  batch.advantages = algorithm.advantages(batch);
  return batch;
}

}  // namespace rlvr::trainer
