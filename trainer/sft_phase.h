// The supervised warm-up loop: forward, masked cross-entropy, backward,
// clipped AdamW step; periodic training-accuracy checks, evals and checkpoints.
#pragma once

#include <string>
#include <vector>

#include "config.pb.h"
#include "envs/environment.h"
#include "models/policy.h"
#include "scaling/metrics_sink.h"
#include "trainer/verifier_set.h"

namespace rlvr::trainer {

// What one run's phases share.
struct RunContext {
  const config::ExperimentConfig& config;
  std::string run_dir;
  models::Policy& policy;
  const envs::Environment& env;
  VerifierSet& verifiers;
  scaling::MetricsSink& metrics;
  std::vector<Task> eval_tasks;
};

struct SftOutcome {
  int64_t steps = 0;         // completed steps, resumed ones included
  bool early_stopped = false;
  double last_loss = 0;      // NaN when this process ran no step
};

// Runs (or continues from `resume_checkpoint`, "" for a fresh start) SFT.
SftOutcome run_sft(RunContext& ctx, const std::string& resume_checkpoint);

// `count` training tasks drawn reproducibly from (seed, stream, step).
std::vector<Task> sample_train_tasks(const envs::Environment& env, uint64_t seed, uint64_t stream,
                                     int64_t step, int64_t count);

}  // namespace rlvr::trainer
