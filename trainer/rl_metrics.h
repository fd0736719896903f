// The metrics record of one RL step (kind "rl").
#pragma once

#include "scaling/metrics_sink.h"
#include "trainer/loop_state.h"
#include "trainer/rl_batch.h"
#include "trainer/rl_update.h"
#include "trainer/rollout.h"

namespace rlvr::trainer {

// Rewards, accuracy (of the judged samples), the share the verifier could not
// judge, KL, entropy, update statistics, timings and the run's counters.
scaling::MetricsRecord rl_step_record(int64_t step, const Rollouts& rollouts, const RlBatch& batch,
                                      const UpdateStats& update, double lr, const LoopState& state);

}  // namespace rlvr::trainer
