// What the phases of one run share, and helpers to log and evaluate them.
#pragma once

#include <string>
#include <vector>

#include "config.pb.h"
#include "envs/environment.h"
#include "models/policy.h"
#include "scaling/metrics_sink.h"
#include "trainer/checkpoint.h"
#include "trainer/distributed.h"
#include "trainer/eval_result.h"
#include "trainer/verifier_set.h"

namespace rlvr::trainer {

struct RunContext {
  const config::ExperimentConfig& config;
  std::string run_dir;
  models::Policy& policy;
  const envs::Environment& env;
  VerifierSet& verifiers;
  scaling::MetricsSink& metrics;
  std::vector<Task> eval_tasks;
  std::vector<Task> harder_tasks;  // eval.extrapolation's split; empty without one
  // The run's ranks (data parallelism); alone unless started as several.
  Communicator& comm = single_process_communicator();
};

// Cumulative counters of the run: flops/total (training compute), flops/<category>,
// samples, tokens.
void add_counters(scaling::MetricsRecord& record, const LoopState& state);

// Greedy accuracy and, when eval.pass_samples > 0, sampled pass@1 at
// rl.temperature (on the first eval.pass_tasks eval tasks, with its standard
// error over tasks), of `policy` on the run's eval tasks, and greedy accuracy on
// the harder split when there is one. Charges the eval FLOPs.
struct PolicyEval {
  EvalResult greedy;
  EvalResult sampled;  // tasks == 0 when skipped
  EvalResult harder;   // tasks == 0 without eval.extrapolation
};
PolicyEval evaluate_policy(const RunContext& ctx, models::Policy& policy, LoopState& state);

// Writes a "<phase>_eval" record of `result` at `step`.
void write_eval_record(RunContext& ctx, Phase phase, int64_t step, const PolicyEval& result,
                       const LoopState& state);

// Flushes the metrics and records their size in the state, writes the
// checkpoint of the state's phase and step, and prunes to output.keep_checkpoints.
void checkpoint_run(RunContext& ctx, LoopState& state, torch::optim::Optimizer* optimizer);

}  // namespace rlvr::trainer
