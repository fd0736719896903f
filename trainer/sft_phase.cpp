#include "trainer/sft_phase.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <optional>

#include "core/clock.h"
#include "core/progress.h"
#include "trainer/data_parallel.h"
#include "trainer/evaluator.h"
#include "trainer/lr_schedule.h"
#include "trainer/optim_util.h"
#include "trainer/random_streams.h"
#include "trainer/scoring.h"
#include "trainer/sft_batch.h"
#include "trainer/task_sampling.h"

namespace rlvr::trainer {
namespace {

struct StepResult {
  double lr = 0;
  double loss = 0;
  double grad_norm = 0;
  double flops = 0;
};

class SftLoop {
 public:
  SftLoop(RunContext& ctx, LoopState& state, const SftSpec& spec)
      : ctx_(ctx),
        sft_(ctx.config.sft()),
        spec_(spec),
        state_(state),
        seed_(ctx.config.runtime().seed()),
        is_sft_(spec.phase == Phase::kSft),
        label_(spec.label.empty() ? phase_name(spec.phase) : spec.label),
        optimizer_(make_adamw(ctx.policy, sft_.lr(), sft_.beta1(), sft_.beta2(), sft_.weight_decay())),
        flops_start_(state.flops.get(spec.category)) {}

  torch::optim::Optimizer& optimizer() { return optimizer_; }

  // Steps from `done` + 1 until the step or FLOP budget is spent or the training accuracy is reached.
  SftOutcome run(int64_t done) {
    SftOutcome outcome{done, false, NAN};
    const auto phase_start = std::chrono::steady_clock::now();
    const double seconds_before = state_.sft_seconds;
    // With a FLOP budget the step count is estimated from the first step's cost.
    int64_t total = spec_.steps > 0 ? spec_.steps : 1;
    Progress progress(label_, total, done, ctx_.config.output().log_every());
    for (int64_t step = done + 1; !budget_spent(step); ++step) {
      const StepResult r = train_step(step);
      if (spec_.steps == 0 && step == done + 1) {
        total = static_cast<int64_t>(std::ceil(spec_.flop_budget / r.flops));
        progress.set_total(total);
      }
      outcome.last_loss = r.loss;
      outcome.steps = step;
      if (is_sft_) state_.step = step;
      const bool stop = write_metrics(step, r);
      progress.update(std::min(step, total), status_line(r));
      if (is_sft_) state_.sft_seconds = seconds_before + seconds_since(phase_start);
      if (stop) {
        outcome.early_stopped = true;
        break;
      }
      if (spec_.checkpoints && every(ctx_.config.output().checkpoint_every(), step) && step < spec_.steps) {
        checkpoint_run(ctx_, state_, &optimizer_);
      }
    }
    progress.finish();
    return outcome;
  }

 private:
  static bool every(int64_t period, int64_t step) { return period > 0 && step % period == 0; }

  bool budget_spent(int64_t step) const {
    const double spent = state_.flops.get(spec_.category) - flops_start_;
    return spec_.steps > 0 ? step > spec_.steps : spent >= spec_.flop_budget;
  }

  double lr_at(int64_t step) const {
    if (!spec_.schedule) return sft_.lr() * sft_.min_lr_ratio();
    return warmup_cosine_lr(step, spec_.steps, sft_.warmup_steps(), sft_.lr(), sft_.min_lr_ratio());
  }

  // One optimizer step, its gradient accumulated over micro-batches.
  StepResult train_step(int64_t step) {
    auto& policy = ctx_.policy;
    StepResult r;
    r.lr = lr_at(step);
    set_lr(optimizer_, r.lr);
    const TokenBatch batch = make_sft_batch(policy, batch_tasks(step));
    // Token-mean over the whole batch, whichever rank trains which rows.
    const double tokens = batch.loss_mask.sum().item<double>();
    const int64_t rows = batch.inputs.size(0);
    const std::vector<int64_t> mine = owned_rows(row_indices(rows), rows, ctx_.comm);
    const auto parts = micro_batches(
        mine, rows_per_pass(sft_.micro_batch_size(), batch.inputs.size(1), policy.shape(), batch.inputs.device()));
    policy.model()->train();
    optimizer_.zero_grad();
    for (const auto& part : parts) {
      const bool whole = static_cast<int64_t>(part.size()) == rows;
      const auto loss = sft_loss(policy, whole ? batch : select_rows(batch, part), tokens);
      loss.backward();
      r.loss += loss.item<double>();
    }
    all_reduce_gradients(policy, ctx_.comm);
    r.loss = ctx_.comm.sum({r.loss})[0];
    r.grad_norm = gradient_norm(policy, sft_.grad_clip());
    optimizer_.step();
    if (ctx_.config.runtime().distributed().check_replicas()) check_replicas(policy, ctx_.comm);
    r.flops = batch_training_flops(policy.shape(), batch.lengths);
    state_.flops.add(spec_.category, r.flops);
    tokens_since_log_ += batch.tokens;
    return r;
  }

  // The step's demonstrations, or RL's prompts labelled with their references (SftSpec::answer_only).
  std::vector<Task> batch_tasks(int64_t step) {
    if (!spec_.answer_only) {
      return sample_train_tasks(ctx_.env, seed_, is_sft_ ? streams::kSftBatch : streams::kControlBatch, step,
                                sft_.batch_size(), sft_.num_demonstrations());
    }
    if (rl_prompts_.empty()) {
      rl_prompts_ = all_rl_prompts(ctx_.env, seed_, ctx_.config.rl().steps(), ctx_.config.rl().prompts_per_step());
    }
    auto tasks = sample_from_pool(rl_prompts_, seed_, streams::kAnswerOnlyBatch, step, sft_.batch_size());
    for (Task& t : tasks) t.solution = t.reference;
    return tasks;
  }

  // Greedy accuracy on the check tasks when one is due; charges its FLOPs.
  std::optional<double> check(int64_t step) {
    if (!is_sft_ || !every(sft_.check_every(), step)) return std::nullopt;
    if (check_tasks_.empty()) check_tasks_ = sample_train_tasks(ctx_.env, seed_, streams::kSftCheck, 0, sft_.check_tasks());
    models::SamplingParams greedy = models::SamplingParams::from_config(ctx_.config.eval().sampling());
    greedy.temperature = 0;
    const auto result =
        evaluate(ctx_.policy, check_tasks_, ctx_.verifiers, greedy, ctx_.config.eval().batch_size(), ctx_.comm);
    state_.flops.add(FlopCategory::kEval, result.flops);
    last_check_ = result.accuracy;
    return result.accuracy;
  }

  // Writes the step's record (when logged or checked) and the periodic eval;
  // returns whether the training accuracy reached sft.stop_at_train_accuracy.
  bool write_metrics(int64_t step, const StepResult& r) {
    scaling::MetricsRecord record{label_, step, {}};
    // The last step is always logged, so the phase's final counters are on record.
    const bool last = spec_.steps > 0 ? step == spec_.steps : budget_spent(step + 1);
    if (every(ctx_.config.output().log_every(), step) || last) {
      const auto now = std::chrono::steady_clock::now();
      const double seconds = std::chrono::duration<double>(now - last_log_).count();
      record.add("loss", r.loss).add("lr", r.lr).add("grad_norm", r.grad_norm);
      record.add("tokens_per_second", seconds > 0 ? tokens_since_log_ / seconds : 0);
      add_counters(record, state_);
      last_log_ = now;
      tokens_since_log_ = 0;
    }
    const std::optional<double> accuracy = check(step);
    if (accuracy) record.add("train_accuracy", *accuracy);
    if (!record.values.empty()) ctx_.metrics.write(record);
    if (is_sft_ && every(ctx_.config.eval().every_steps(), step)) {
      write_eval_record(ctx_, Phase::kSft, step, evaluate_policy(ctx_, ctx_.policy, state_), state_);
    }
    const bool stop = accuracy && sft_.stop_at_train_accuracy() > 0 && *accuracy >= sft_.stop_at_train_accuracy();
    if (stop) {
      spdlog::info("{}: training accuracy {:.1f}% >= {:.1f}% at step {}, stopping early", label_,
                   100 * *accuracy, 100 * sft_.stop_at_train_accuracy(), step);
    }
    return stop;
  }

  std::string status_line(const StepResult& r) const {
    return fmt::format("loss {:.4f} lr {:.2e}{}", r.loss, r.lr,
                       std::isnan(last_check_) ? "" : fmt::format(" train_acc {:.1f}%", 100 * last_check_));
  }

  RunContext& ctx_;
  const config::SftConfig& sft_;
  const SftSpec& spec_;
  LoopState& state_;
  const uint64_t seed_;
  const bool is_sft_;
  const std::string label_;
  torch::optim::AdamW optimizer_;
  const double flops_start_;
  std::vector<Task> check_tasks_;
  std::vector<Task> rl_prompts_;  // the answer-only control's pool: every prompt RL trains on
  double last_check_ = NAN;
  std::chrono::steady_clock::time_point last_log_ = std::chrono::steady_clock::now();
  int64_t tokens_since_log_ = 0;
};

}  // namespace

SftOutcome run_sft(RunContext& ctx, LoopState& state, const SftSpec& spec, const Checkpoint* resume) {
  const bool is_sft = spec.phase == Phase::kSft;
  SftLoop loop(ctx, state, spec);
  if (resume != nullptr) {
    resume->restore_optimizer(loop.optimizer());
    spdlog::info("resumed from {} ({} step {})", resume->path(), phase_name(state.phase), state.step);
  }
  const int64_t done = is_sft ? state.step : 0;
  if (is_sft && (state.phase != Phase::kSft || state.phase_done)) return SftOutcome{done, false, NAN};
  if (spec.steps == 0 && spec.flop_budget <= 0) return SftOutcome{done, false, NAN};
  const SftOutcome outcome = loop.run(done);
  if (spec.checkpoints) {
    state.phase_done = true;
    checkpoint_run(ctx, state, &loop.optimizer());
  }
  return outcome;
}

}  // namespace rlvr::trainer
