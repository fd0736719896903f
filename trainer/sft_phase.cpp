#include "trainer/sft_phase.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

#include "core/clock.h"
#include "core/progress.h"
#include "core/rng.h"
#include "trainer/evaluator.h"
#include "trainer/lr_schedule.h"
#include "trainer/optim_util.h"
#include "trainer/sft_batch.h"

namespace rlvr::trainer {
namespace {

// Random streams of the supervised phases (see core/rng.h).
constexpr uint64_t kSftBatchStream = 0x5F7B;
constexpr uint64_t kSftCheckStream = 0x5F7C;
constexpr uint64_t kControlBatchStream = 0x5F7D;

models::SamplingParams greedy(const config::ExperimentConfig& c) {
  models::SamplingParams p = models::SamplingParams::from_config(c.eval().sampling());
  p.temperature = 0;
  return p;
}

}  // namespace

std::vector<Task> sample_train_tasks(const envs::Environment& env, uint64_t seed, uint64_t stream,
                                     int64_t step, int64_t count, int64_t limit) {
  Rng rng(derive_seed(seed, stream, static_cast<uint64_t>(step)));
  const auto size = static_cast<int64_t>(env.size(envs::Split::kTrain));
  const int64_t pool = limit > 0 ? std::min(limit, size) : size;
  std::vector<Task> tasks;
  tasks.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    tasks.push_back(env.task(envs::Split::kTrain, uniform_int(rng, 0, pool - 1)));
  }
  return tasks;
}

SftOutcome run_sft(RunContext& ctx, LoopState& state, const SftSpec& spec,
                   const std::string& resume_checkpoint) {
  const auto& sft = ctx.config.sft();
  const auto& out = ctx.config.output();
  const uint64_t seed = ctx.config.runtime().seed();
  const bool is_sft = spec.phase == "sft";
  auto& policy = ctx.policy;
  auto optimizer = make_adamw(policy, sft.lr(), sft.beta1(), sft.beta2(), sft.weight_decay());

  if (!resume_checkpoint.empty()) {
    state = load_checkpoint(resume_checkpoint, policy, &optimizer);
    spdlog::info("resumed from {} ({} step {})", resume_checkpoint, state.phase, state.step);
  }
  int64_t done = is_sft ? state.step : 0;
  SftOutcome outcome{done, false, NAN};
  if (is_sft && (state.phase != "sft" || state.phase_done)) return outcome;
  if (spec.steps == 0 && spec.flop_budget <= 0) return outcome;

  const auto phase_start = std::chrono::steady_clock::now();
  const double seconds_before = state.sft_seconds;
  const double flops_start = state.flops.get(spec.category);
  const std::vector<Task> check_tasks =
      sample_train_tasks(ctx.env, seed, kSftCheckStream, 0, sft.check_tasks());
  const bool checking = is_sft && sft.check_every() > 0;
  // With a FLOP budget the step count is estimated from the first step's cost.
  int64_t total = spec.steps > 0 ? spec.steps : 1;
  Progress progress(spec.phase, total, done, out.log_every());
  double last_check = NAN;
  auto last_log = std::chrono::steady_clock::now();
  int64_t tokens_since_log = 0;

  for (int64_t step = done + 1;; ++step) {
    const double spent = state.flops.get(spec.category) - flops_start;
    if (spec.steps > 0 ? step > spec.steps : spent >= spec.flop_budget) break;
    const double lr = spec.schedule ? warmup_cosine_lr(step, spec.steps, sft.warmup_steps(), sft.lr(),
                                                       sft.min_lr_ratio())
                                    : sft.lr() * sft.min_lr_ratio();
    set_lr(optimizer, lr);
    const auto batch = make_sft_batch(
        policy, sample_train_tasks(ctx.env, seed, is_sft ? kSftBatchStream : kControlBatchStream,
                                   step, sft.batch_size(), sft.num_demonstrations()));
    policy.model()->train();
    const auto loss = sft_loss(policy.model()->forward(batch.inputs, batch.valid), batch);
    optimizer.zero_grad();
    loss.backward();
    const double grad_norm = gradient_norm(policy, sft.grad_clip());
    optimizer.step();
    double step_flops = 0;
    for (int64_t n : batch.lengths) step_flops += 3 * policy.shape().forward_flops(0, n);
    state.flops.add(spec.category, step_flops);
    if (spec.steps == 0 && step == done + 1) {
      total = static_cast<int64_t>(std::ceil(spec.flop_budget / step_flops));
      progress.set_total(total);
    }
    outcome.last_loss = loss.item<double>();
    outcome.steps = step;
    tokens_since_log += batch.tokens;
    if (is_sft) state.step = step;

    scaling::MetricsRecord record{spec.phase, step, {}};
    if (step % out.log_every() == 0 || step == spec.steps) {
      const auto now = std::chrono::steady_clock::now();
      const double seconds = std::chrono::duration<double>(now - last_log).count();
      record.add("loss", outcome.last_loss).add("lr", lr).add("grad_norm", grad_norm);
      record.add("tokens_per_second", seconds > 0 ? tokens_since_log / seconds : 0);
      add_counters(record, state);
      last_log = now;
      tokens_since_log = 0;
    }
    bool stop = false;
    if (checking && step % sft.check_every() == 0) {
      const auto check = evaluate(policy, check_tasks, ctx.verifiers, greedy(ctx.config),
                                  ctx.config.eval().batch_size());
      state.flops.add(FlopCategory::kEval, check.flops);
      last_check = check.accuracy;
      record.add("train_accuracy", check.accuracy);
      stop = sft.stop_at_train_accuracy() > 0 && check.accuracy >= sft.stop_at_train_accuracy();
    }
    if (!record.values.empty()) ctx.metrics.write(record);
    if (is_sft && ctx.config.eval().every_steps() > 0 && step % ctx.config.eval().every_steps() == 0) {
      write_eval_record(ctx, "sft", step, evaluate_policy(ctx, policy, state), state);
    }
    progress.update(std::min(step, total),
                    fmt::format("loss {:.4f} lr {:.2e}{}", outcome.last_loss, lr,
                                std::isnan(last_check) ? ""
                                                       : fmt::format(" train_acc {:.1f}%", 100 * last_check)));
    if (is_sft) state.sft_seconds = seconds_before + seconds_since(phase_start);
    if (stop) {
      spdlog::info("{}: training accuracy {:.1f}% >= {:.1f}% at step {}, stopping early", spec.phase,
                   100 * last_check, 100 * sft.stop_at_train_accuracy(), step);
      outcome.early_stopped = true;
      break;
    }
    if (spec.checkpoints && out.checkpoint_every() > 0 && step % out.checkpoint_every() == 0 &&
        step < spec.steps) {
      checkpoint_run(ctx, state, &optimizer, checkpoint_path(ctx.run_dir, state));
      prune_checkpoints(ctx.run_dir, out.keep_checkpoints());
    }
  }
  progress.finish();
  if (spec.checkpoints) {
    state.phase_done = true;
    checkpoint_run(ctx, state, &optimizer, checkpoint_path(ctx.run_dir, state));
    prune_checkpoints(ctx.run_dir, out.keep_checkpoints());
  }
  return outcome;
}

}  // namespace rlvr::trainer
