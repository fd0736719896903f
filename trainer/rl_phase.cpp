#include "trainer/rl_phase.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

#include "core/clock.h"
#include "core/progress.h"
#include "core/rng.h"
#include "trainer/algorithm.h"
#include "trainer/coin_flip_rewards.h"
#include "trainer/data_parallel.h"
#include "trainer/length_terms.h"
#include "trainer/lr_schedule.h"
#include "trainer/optim_util.h"
#include "trainer/random_streams.h"
#include "trainer/rl_batch.h"
#include "trainer/rl_metrics.h"
#include "trainer/rl_update.h"
#include "trainer/rollout.h"
#include "trainer/rollout_exchange.h"
#include "trainer/task_sampling.h"

namespace rlvr::trainer {
namespace {

// The next log-spaced point (points_per_decade per factor of 10) above x.
double next_eval_point(double x, int points_per_decade) {
  if (x <= 0) return 0;
  return std::pow(10.0, (std::floor(std::log10(x) * points_per_decade + 1e-9) + 1) / points_per_decade);
}

// Sampling: the prompt and every sampled token but the last pass through the model.
void charge_generation(const Rollouts& ro, const models::ModelShape& shape, LoopState& state) {
  for (size_t i = 0; i < ro.completions.size(); ++i) {
    const auto completion = static_cast<int64_t>(ro.completions[i].tokens.size());
    state.flops.add(FlopCategory::kRlGenerate,
                    shape.generation_flops(static_cast<int64_t>(ro.prompt_tokens[i].size()), completion));
    state.tokens += completion;
  }
  state.samples += static_cast<int64_t>(ro.completions.size());
}

}  // namespace

struct RlLoop::Impl {
  Impl(RunContext& c, LoopState& s, RewardSource r)
      : ctx(c),
        rl(c.config.rl()),
        seed(c.config.runtime().seed()),
        state(s),
        rewards(r),
        algorithm(make_algorithm(rl)),
        optimizer(make_adamw(c.policy, rl.lr(), rl.beta1(), rl.beta2(), rl.weight_decay())),
        pool(rl.verify_threads()) {
    if (c.config.env().has_curriculum()) curriculum.emplace(c.config.env(), s);
  }

  // The environment the step's prompts come from: the curriculum's level, or the run's.
  const envs::Environment& train_env() { return curriculum ? curriculum->train_env() : ctx.env; }

  // Feeds the step's judged outcomes to the curriculum and notes the level in the record.
  void advance_curriculum(const Rollouts& rollouts, scaling::MetricsRecord& record) {
    level_change.reset();
    if (!curriculum) return;
    record.add("curriculum/level", static_cast<double>(curriculum->level()));
    std::vector<uint8_t> outcomes;
    for (size_t i = 0; i < rollouts.correct.size(); ++i) {
      if (rollouts.judged[i] != 0) outcomes.push_back(rollouts.correct[i]);
    }
    level_change = curriculum->observe(outcomes);
    record.add("curriculum/pass_rate", level_change ? level_change->pass_rate : curriculum->pass_rate());
  }

  // P prompts x G completions, verified while the next chunk generates. Each
  // rank samples its share of the prompts (generation chunks numbered across
  // the ranks), and every rank gets all of them.
  Rollouts sample(int64_t step, const std::vector<Task>& tasks) {
    models::SamplingParams sampling;
    sampling.temperature = rl.temperature();
    sampling.max_new_tokens = rl.max_new_tokens();
    sampling.min_new_tokens = rl.min_new_tokens();
    sampling.seed = derive_seed(seed, streams::kRlSample, static_cast<uint64_t>(step));
    ctx.policy.model()->eval();
    Communicator& comm = ctx.comm;
    const auto [first, last] = rank_share(static_cast<int64_t>(tasks.size()), comm.rank(), comm.world_size());
    const std::vector<Task> mine(tasks.begin() + first, tasks.begin() + last);
    const Rollouts local = collect_rollouts(ctx.policy, mine, rl.group_size(), sampling, rl.generation_chunks(),
                                            ctx.verifiers, pool, comm.rank() * rl.generation_chunks());
    return gather_rollouts(comm, local, tasks);
  }

  RlModels models() { return RlModels{ctx.policy, reference.get()}; }

  RunContext& ctx;
  const config::RlConfig& rl;
  const uint64_t seed;
  LoopState& state;
  const RewardSource rewards;
  std::unique_ptr<Algorithm> algorithm;
  torch::optim::AdamW optimizer;
  ThreadPool pool;
  std::unique_ptr<models::Policy> reference;
  std::optional<Curriculum> curriculum;
  std::optional<LevelChange> level_change;
};

RlLoop::RlLoop(RunContext& ctx, LoopState& state, const std::string& reference_checkpoint,
               RewardSource rewards)
    : impl_(std::make_unique<Impl>(ctx, state, rewards)) {
  if (ctx.config.rl().kl_coef() <= 0) return;
  impl_->reference = std::make_unique<models::Policy>(ctx.config.model(), ctx.config.runtime().seed());
  if (reference_checkpoint.empty()) {
    copy_weights(ctx.policy, *impl_->reference);
  } else {
    Checkpoint::read(reference_checkpoint, impl_->reference->device()).restore_weights(*impl_->reference);
  }
  impl_->reference->model()->eval();
}

RlLoop::~RlLoop() = default;

torch::optim::Optimizer& RlLoop::optimizer() { return impl_->optimizer; }

scaling::MetricsRecord RlLoop::step(int64_t step) {
  Impl& m = *impl_;
  return this->step(step, rl_step_prompts(m.train_env(), m.seed, step, m.rl.prompts_per_step()));
}

std::optional<LevelChange> RlLoop::last_level_change() const { return impl_->level_change; }

scaling::MetricsRecord RlLoop::step(int64_t step, const std::vector<Task>& tasks) {
  Impl& m = *impl_;
  const double lr = warmup_cosine_lr(step, m.rl.steps(), m.rl.warmup_steps(), m.rl.lr(), m.rl.min_lr_ratio());
  set_lr(m.optimizer, lr);
  Rollouts rollouts = m.sample(step, tasks);
  if (m.rewards == RewardSource::kCoinFlips) {
    flip_coin_rewards(rollouts, derive_seed(m.seed, streams::kCoinReward, static_cast<uint64_t>(step)));
  }
  apply_length_terms(rollouts, m.rl);
  charge_generation(rollouts, m.ctx.policy.shape(), m.state);
  const RlBatch batch = make_rl_batch(rollouts, m.models(), *m.algorithm, m.rl, m.state.flops, m.ctx.comm);
  const uint64_t shuffle_seed = derive_seed(m.seed, streams::kRlShuffle, static_cast<uint64_t>(step));
  const UpdateStats update = optimize(m.models(), m.optimizer, batch, *m.algorithm, m.rl, shuffle_seed,
                                      m.state.flops, m.ctx.comm);
  if (m.ctx.config.runtime().distributed().check_replicas()) check_replicas(m.ctx.policy, m.ctx.comm);
  scaling::MetricsRecord record = rl_step_record(step, rollouts, batch, update, lr, m.state);
  m.advance_curriculum(rollouts, record);
  return record;
}

namespace {

// Starts the phase (its step-0 evaluation) or restores the optimizer of `resume`.
void begin_rl(RunContext& ctx, LoopState& state, RlLoop& loop, const Checkpoint* resume) {
  if (resume != nullptr) {
    resume->restore_optimizer(loop.optimizer());
    spdlog::info("resumed RL from {} (step {})", resume->path(), state.step);
    return;
  }
  state.phase = Phase::kRl;
  state.step = 0;
  state.phase_done = false;
  write_eval_record(ctx, Phase::kRl, 0, evaluate_policy(ctx, ctx.policy, state), state);
}

// A curriculum's level change: a log line and a "curriculum" record with its step and FLOPs.
void log_level_change(RunContext& ctx, const LoopState& state, int64_t step, const LevelChange& change) {
  spdlog::info("curriculum: level {} -> {} after step {} ({:.3g} FLOPs): pass rate {:.2f} over the last {} rollouts",
               change.from, change.to, step, state.flops.training_total(), change.pass_rate,
               ctx.config.env().curriculum().window());
  scaling::MetricsRecord record{"curriculum", step, {}};
  add_counters(record, state);
  record.add("level", static_cast<double>(change.to))
      .add("previous_level", static_cast<double>(change.from))
      .add("pass_rate", change.pass_rate);
  ctx.metrics.write(record);
}

}  // namespace

void run_rl(RunContext& ctx, LoopState& state, const Checkpoint* resume,
            const std::string& reference_checkpoint) {
  const auto& rl = ctx.config.rl();
  const auto& out = ctx.config.output();
  const auto phase_start = std::chrono::steady_clock::now();
  RlLoop loop(ctx, state, reference_checkpoint);
  begin_rl(ctx, state, loop, resume);
  if (state.phase_done) return;
  const double seconds_before = state.rl_seconds;
  const int points = ctx.config.eval().points_per_decade();
  double next_eval = next_eval_point(state.rl_flops(), points);
  Progress progress("rl", rl.steps(), state.step, out.log_every());
  std::string last_eval;
  for (int64_t step = state.step + 1; step <= rl.steps(); ++step) {
    const scaling::MetricsRecord record = loop.step(step);
    state.step = step;
    ctx.metrics.write(record);
    if (const auto change = loop.last_level_change()) log_level_change(ctx, state, step, *change);
    if (state.rl_flops() >= next_eval || step == rl.steps()) {
      const PolicyEval e = evaluate_policy(ctx, ctx.policy, state);
      write_eval_record(ctx, Phase::kRl, step, e, state);
      last_eval = fmt::format(" eval {:.1f}%", 100 * e.greedy.accuracy);
      next_eval = next_eval_point(state.rl_flops(), points);
    }
    progress.update(step, fmt::format("reward {:.3f} acc {:.1f}% kl {:.4f}{}", record.get("reward/mean"),
                                      100 * record.get("accuracy"), record.get("kl"), last_eval));
    state.rl_seconds = seconds_before + seconds_since(phase_start);
    if (out.checkpoint_every() > 0 && step % out.checkpoint_every() == 0 && step < rl.steps()) {
      checkpoint_run(ctx, state, &loop.optimizer());
    }
  }
  progress.finish();
  state.phase_done = true;
  state.rl_seconds = seconds_before + seconds_since(phase_start);
  checkpoint_run(ctx, state, &loop.optimizer());
}

}  // namespace rlvr::trainer
