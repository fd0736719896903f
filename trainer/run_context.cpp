#include "trainer/run_context.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "core/rng.h"
#include "trainer/evaluator.h"
#include "trainer/random_streams.h"

namespace rlvr::trainer {

void add_counters(scaling::MetricsRecord& record, const LoopState& state) {
  record.add("flops/total", state.flops.training_total());
  for (size_t i = 0; i < static_cast<size_t>(FlopCategory::kCount); ++i) {
    const auto c = static_cast<FlopCategory>(i);
    record.add(std::string("flops/") + flop_category_name(c), state.flops.get(c));
  }
  record.add("samples", static_cast<double>(state.samples));
  record.add("tokens", static_cast<double>(state.tokens));
}

PolicyEval evaluate_policy(const RunContext& ctx, models::Policy& policy, LoopState& state) {
  const auto& cfg = ctx.config;
  const uint64_t seed = cfg.runtime().seed();
  // One evaluation, its FLOPs charged.
  const auto charged = [&](const std::vector<Task>& tasks, const models::SamplingParams& params) {
    EvalResult result = evaluate(policy, tasks, ctx.verifiers, params, cfg.eval().batch_size(), ctx.comm);
    state.flops.add(FlopCategory::kEval, result.flops);
    return result;
  };
  const auto eval_sampling = models::SamplingParams::from_config(cfg.eval().sampling(), seed);
  PolicyEval out;
  out.greedy = charged(ctx.eval_tasks, eval_sampling);
  if (!ctx.harder_tasks.empty()) out.harder = charged(ctx.harder_tasks, eval_sampling);
  if (cfg.eval().pass_samples() > 0) {
    const int64_t samples = cfg.eval().pass_samples();
    const size_t limit = cfg.eval().pass_tasks() > 0 ? static_cast<size_t>(cfg.eval().pass_tasks()) : SIZE_MAX;
    std::vector<Task> repeated;
    for (size_t i = 0; i < std::min(limit, ctx.eval_tasks.size()); ++i) {
      repeated.insert(repeated.end(), samples, ctx.eval_tasks[i]);
    }
    auto params = models::SamplingParams::from_config(cfg.eval().sampling(),
                                                      derive_seed(seed, streams::kPassSample));
    params.temperature = cfg.rl().temperature();
    out.sampled = charged(repeated, params);
    out.sampled.accuracy_stderr = accuracy_stderr(out.sampled.outcomes, samples);
  }
  return out;
}

void write_eval_record(RunContext& ctx, Phase phase, int64_t step, const PolicyEval& result,
                       const LoopState& state) {
  scaling::MetricsRecord record{std::string(phase_name(phase)) + "_eval", step, {}};
  result.greedy.add_to(record, "eval/");
  if (result.harder.tasks > 0) result.harder.add_to(record, "harder/");
  if (result.sampled.tasks > 0) {
    record.add("eval/pass@1", result.sampled.accuracy);
    record.add("eval/pass@1_stderr", result.sampled.accuracy_stderr);
    record.add("eval/pass_samples", static_cast<double>(ctx.config.eval().pass_samples()));
    record.add("eval/pass_tasks", static_cast<double>(result.sampled.tasks / ctx.config.eval().pass_samples()));
  }
  add_counters(record, state);
  ctx.metrics.write(record);
}

void checkpoint_run(RunContext& ctx, LoopState& state, torch::optim::Optimizer* optimizer) {
  if (!ctx.comm.is_root()) return;  // every rank holds the same weights and optimizer state
  ctx.metrics.flush();
  const auto metrics_path = std::filesystem::path(ctx.run_dir) / "metrics.jsonl";
  state.metrics_bytes = static_cast<int64_t>(std::filesystem::file_size(metrics_path));
  save_checkpoint(checkpoint_path(ctx.run_dir, state), ctx.policy, optimizer, state);
  prune_checkpoints(ctx.run_dir, ctx.config.output().keep_checkpoints());
}

}  // namespace rlvr::trainer
