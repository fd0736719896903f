#include "trainer/controls.h"

#include <spdlog/fmt/fmt.h>

#include <chrono>

#include "core/clock.h"
#include "core/progress.h"
#include "trainer/rl_phase.h"
#include "trainer/sft_phase.h"

namespace rlvr::trainer {
namespace {

// A control's own policy (the SFT result), counters and context.
struct ControlRun {
  ControlRun(const RunContext& ctx, const std::string& sft_final)
      : policy(ctx.config.model(), ctx.config.runtime().seed()),
        ctx{ctx.config, ctx.run_dir, policy, ctx.env, ctx.verifiers, ctx.metrics, ctx.eval_tasks, ctx.harder_tasks},
        start(std::chrono::steady_clock::now()) {
    load_checkpoint(sft_final, policy);
  }

  PhaseSummary summary(const std::string& name, int64_t steps, double flops) {
    return phase_summary(name, steps, flops, seconds_since(start), evaluate_policy(ctx, policy, state));
  }

  models::Policy policy;
  RunContext ctx;
  LoopState state;
  std::chrono::steady_clock::time_point start;
};

// SFT from the SFT result until it has spent `rl_flops`, at the constant lr
// where the warm-up's schedule ended.
PhaseSummary sft_for_rl_flops(const RunContext& ctx, const std::string& sft_final, double rl_flops,
                              const std::string& name, bool answer_only) {
  ControlRun run(ctx, sft_final);
  SftSpec spec;
  spec.phase = Phase::kControl;
  spec.category = FlopCategory::kControlTrain;
  spec.flop_budget = rl_flops;
  spec.schedule = false;
  spec.checkpoints = false;
  spec.answer_only = answer_only;
  spec.label = name;
  const SftOutcome outcome = run_sft(run.ctx, run.state, spec, nullptr);
  return run.summary(name, outcome.steps, run.state.flops.get(FlopCategory::kControlTrain));
}

// rl.steps of RL from the SFT result with coin-flip rewards.
PhaseSummary random_reward_rl(const RunContext& ctx, const std::string& sft_final) {
  const std::string name = "random-reward-control";
  ControlRun run(ctx, sft_final);
  RlLoop loop(run.ctx, run.state, sft_final, RewardSource::kCoinFlips);
  const int64_t steps = ctx.config.rl().steps();
  Progress progress(name, steps, 0, ctx.config.output().log_every());
  for (int64_t step = 1; step <= steps; ++step) {
    scaling::MetricsRecord record = loop.step(step);
    record.kind = name;
    run.ctx.metrics.write(record);
    progress.update(step, fmt::format("reward {:.3f} acc {:.1f}%", record.get("reward/mean"),
                                      100 * record.get("accuracy")));
  }
  progress.finish();
  return run.summary(name, steps, run.state.rl_flops());
}

}  // namespace

PhaseSummary phase_summary(const std::string& name, int64_t steps, double flops, double seconds,
                           const PolicyEval& e) {
  PhaseSummary p;
  p.name = name;
  p.steps = steps;
  p.flops = flops;
  p.seconds = seconds;
  p.accuracy = e.greedy.accuracy;
  p.correct = e.greedy.correct;
  p.tasks = e.greedy.tasks;
  if (e.sampled.tasks > 0) p.pass_at_1 = e.sampled.accuracy;
  if (e.harder.tasks > 0) {
    p.harder_accuracy = e.harder.accuracy;
    p.harder_correct = e.harder.correct;
    p.harder_tasks = e.harder.tasks;
  }
  return p;
}

std::vector<PhaseSummary> run_controls(const RunContext& ctx, const std::string& sft_final, double rl_flops) {
  const auto& rl = ctx.config.rl();
  std::vector<PhaseSummary> rows;
  if (rl.sft_control()) rows.push_back(sft_for_rl_flops(ctx, sft_final, rl_flops, "sft-control", false));
  if (rl.answer_only_control()) {
    rows.push_back(sft_for_rl_flops(ctx, sft_final, rl_flops, "answer-only-control", true));
  }
  if (rl.random_reward_control()) rows.push_back(random_reward_rl(ctx, sft_final));
  return rows;
}

}  // namespace rlvr::trainer
