#include "trainer/sft_phase.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

#include "core/progress.h"
#include "core/rng.h"
#include "trainer/checkpoint.h"
#include "trainer/evaluator.h"
#include "trainer/lr_schedule.h"
#include "trainer/sft_batch.h"

namespace rlvr::trainer {
namespace {

// Random streams of the SFT phase (see core/rng.h).
constexpr uint64_t kSftBatchStream = 0x5F7B;
constexpr uint64_t kSftCheckStream = 0x5F7C;

// AdamW with weight decay on matrices only; norms' gains are not decayed.
torch::optim::AdamW make_optimizer(models::Policy& policy, const config::SftConfig& sft) {
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : policy.model()->parameters()) (p.dim() >= 2 ? decay : no_decay).push_back(p);
  torch::optim::AdamWOptions options(sft.lr());
  options.betas({sft.beta1(), sft.beta2()}).weight_decay(sft.weight_decay());
  auto no_decay_options = options;
  no_decay_options.weight_decay(0);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(options));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(no_decay_options));
  return torch::optim::AdamW(std::move(groups), options);
}

void set_lr(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
}

double gradient_norm(models::Policy& policy, double clip) {
  const auto params = policy.model()->parameters();
  if (clip > 0) return torch::nn::utils::clip_grad_norm_(params, clip);
  double sum = 0;
  for (const auto& p : params) {
    if (p.grad().defined()) sum += p.grad().to(torch::kDouble).pow(2).sum().item<double>();
  }
  return std::sqrt(sum);
}

models::SamplingParams greedy(const config::ExperimentConfig& c) {
  models::SamplingParams p = models::SamplingParams::from_config(c.eval().sampling());
  p.temperature = 0;
  return p;
}

}  // namespace

std::vector<Task> sample_train_tasks(const envs::Environment& env, uint64_t seed, uint64_t stream,
                                     int64_t step, int64_t count) {
  Rng rng(derive_seed(seed, stream, static_cast<uint64_t>(step)));
  const int64_t size = static_cast<int64_t>(env.size(envs::Split::kTrain));
  std::vector<Task> tasks;
  tasks.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    tasks.push_back(env.task(envs::Split::kTrain, uniform_int(rng, 0, size - 1)));
  }
  return tasks;
}

SftOutcome run_sft(RunContext& ctx, const std::string& resume_checkpoint) {
  const auto& sft = ctx.config.sft();
  const auto& out = ctx.config.output();
  const uint64_t seed = ctx.config.runtime().seed();
  auto& policy = ctx.policy;
  auto optimizer = make_optimizer(policy, sft);

  LoopState state;
  if (!resume_checkpoint.empty()) {
    state = load_checkpoint(resume_checkpoint, policy, &optimizer);
    spdlog::info("resumed from {} ({} step {})", resume_checkpoint, state.phase, state.step);
  }
  SftOutcome outcome{state.step, false, NAN};
  if (state.phase != "sft" || state.phase_done || sft.steps() == 0) return outcome;

  const std::vector<Task> check_tasks =
      sample_train_tasks(ctx.env, seed, kSftCheckStream, 0, sft.check_tasks());
  const auto check_sampling = greedy(ctx.config);
  Progress progress("sft", sft.steps(), state.step, out.log_every());
  double last_check = NAN;
  auto last_log = std::chrono::steady_clock::now();
  int64_t tokens_since_log = 0;

  for (int64_t step = state.step + 1; step <= sft.steps(); ++step) {
    const double lr =
        warmup_cosine_lr(step, sft.steps(), sft.warmup_steps(), sft.lr(), sft.min_lr_ratio());
    set_lr(optimizer, lr);
    const auto batch = make_sft_batch(
        policy, sample_train_tasks(ctx.env, seed, kSftBatchStream, step, sft.batch_size()));
    policy.model()->train();
    const auto loss = sft_loss(policy.model()->forward(batch.inputs, batch.valid), batch);
    optimizer.zero_grad();
    loss.backward();
    const double grad_norm = gradient_norm(policy, sft.grad_clip());
    optimizer.step();
    outcome.last_loss = loss.item<double>();
    outcome.steps = step;
    tokens_since_log += batch.tokens;
    state.step = step;

    scaling::MetricsRecord record{"sft", step, {}};
    if (step % out.log_every() == 0 || step == sft.steps()) {
      const auto now = std::chrono::steady_clock::now();
      const double seconds = std::chrono::duration<double>(now - last_log).count();
      record.add("loss", outcome.last_loss).add("lr", lr).add("grad_norm", grad_norm);
      record.add("tokens_per_second", seconds > 0 ? tokens_since_log / seconds : 0);
      last_log = now;
      tokens_since_log = 0;
    }
    bool stop = false;
    if (sft.check_every() > 0 && step % sft.check_every() == 0) {
      const auto check = evaluate(policy, check_tasks, ctx.verifiers, check_sampling,
                                  ctx.config.eval().batch_size());
      last_check = check.accuracy;
      record.add("train_accuracy", check.accuracy);
      stop = sft.stop_at_train_accuracy() > 0 && check.accuracy >= sft.stop_at_train_accuracy();
    }
    if (!record.values.empty()) ctx.metrics.write(record);
    if (ctx.config.eval().every_steps() > 0 && step % ctx.config.eval().every_steps() == 0) {
      scaling::MetricsRecord eval{"eval", step, {}};
      evaluate(policy, ctx.eval_tasks, ctx.verifiers,
               models::SamplingParams::from_config(ctx.config.eval().sampling(), seed),
               ctx.config.eval().batch_size())
          .add_to(eval, "eval/");
      ctx.metrics.write(eval);
    }
    progress.update(step, fmt::format("loss {:.4f} lr {:.2e}{}", outcome.last_loss, lr,
                                      std::isnan(last_check)
                                          ? ""
                                          : fmt::format(" train_acc {:.1f}%", 100 * last_check)));
    if (stop) {
      spdlog::info("sft: training accuracy {:.1f}% >= {:.1f}% at step {}, stopping early",
                   100 * last_check, 100 * sft.stop_at_train_accuracy(), step);
      outcome.early_stopped = true;
      break;
    }
    if (out.checkpoint_every() > 0 && step % out.checkpoint_every() == 0 && step < sft.steps()) {
      save_checkpoint(checkpoint_path(ctx.run_dir, state), policy, &optimizer, state);
      prune_checkpoints(ctx.run_dir, out.keep_checkpoints());
    }
  }
  progress.finish();
  state.phase_done = true;
  save_checkpoint(checkpoint_path(ctx.run_dir, state), policy, &optimizer, state);
  prune_checkpoints(ctx.run_dir, out.keep_checkpoints());
  return outcome;
}

}  // namespace rlvr::trainer
