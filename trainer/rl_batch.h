// The batch one RL step trains on, and the stage that makes it from rollouts:
// keep the rows the algorithm trains on (Algorithm::batch_rows), tokenise them, score them
// under the sampling policy and the reference where needed, put the KL penalty
// into the reward (KL_REWARD mode), and ask the algorithm for advantages.
#pragma once

#include <torch/torch.h>

#include <optional>
#include <vector>

#include "config.pb.h"
#include "core/flops.h"
#include "models/policy.h"
#include "trainer/distributed.h"
#include "trainer/rollout.h"
#include "trainer/shared_prompt_batch.h"

namespace rlvr::trainer {

class Algorithm;

struct RlBatch {
  SharedPromptBatch tokens;      // kept rows, whole groups in rollout order, [B, Tc] (completion layout)
  int64_t group_size = 0;        // G
  std::vector<float> rewards;    // [B] verifier rewards, less the KL penalty in KL_REWARD mode
  std::vector<uint8_t> judged;   // [B] 0 where the row is left out of the loss (unjudged, or truncated under rl.mask_truncated)
  torch::Tensor old_logp;        // [B, Tc] under the sampling policy; undefined when not needed
  torch::Tensor ref_logp;        // [B, Tc] under the reference for the KL loss; undefined otherwise
  torch::Tensor advantages;      // [B, Tc], 0 outside the trained tokens
  std::optional<double> reward_kl;  // KL_REWARD: mean per-token KL of the sampling policy to the reference
  int64_t flat_groups = 0;       // rollout groups whose judged rewards were all equal

  int64_t rows() const { return static_cast<int64_t>(rewards.size()); }
};

// The policy being trained and the frozen KL reference (null without a KL term).
struct RlModels {
  models::Policy& policy;
  models::Policy* reference = nullptr;
};

// Builds the step's batch; rows() == 0 when no group carries a signal.
// Charges the scoring passes to `flops`. Distributed, every rank builds the
// whole batch from the whole rollouts and scores its share of the rows.
RlBatch make_rl_batch(const Rollouts& rollouts, const RlModels& models, const Algorithm& algorithm,
                      const config::RlConfig& rl, FlopCounter& flops,
                      Communicator& comm = single_process_communicator());

}  // namespace rlvr::trainer
