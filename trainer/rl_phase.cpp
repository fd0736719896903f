#include "trainer/rl_phase.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <numeric>

#include "core/clock.h"
#include "core/progress.h"
#include "core/rng.h"
#include "trainer/lr_schedule.h"
#include "trainer/optim_util.h"
#include "trainer/rl_objective.h"
#include "trainer/rollout.h"
#include "trainer/sft_phase.h"
#include "trainer/token_batch.h"

namespace rlvr::trainer {
namespace {

// Random streams of the RL phase (see core/rng.h).
constexpr uint64_t kRlPromptStream = 0x71A1;
constexpr uint64_t kRlSampleStream = 0x71A2;
constexpr uint64_t kRlShuffleStream = 0x71A3;

double mean(const std::vector<float>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double stddev(const std::vector<float>& v) {
  const double m = mean(v);
  double s = 0;
  for (float x : v) s += (x - m) * (x - m);
  return v.empty() ? 0 : std::sqrt(s / static_cast<double>(v.size()));
}

// Log-probs of the batch's targets under `policy`, without gradients.
torch::Tensor score(models::Policy& policy, const TokenBatch& batch) {
  torch::NoGradGuard no_grad;
  return target_log_probs(policy.model()->forward(batch.inputs, batch.valid), batch.targets);
}

double forward_flops_of(const models::ModelShape& shape, const TokenBatch& batch) {
  double flops = 0;
  for (int64_t n : batch.lengths) flops += shape.forward_flops(0, n);
  return flops;
}

// The next log-spaced point (points_per_decade per factor of 10) above x.
double next_eval_point(double x, int points_per_decade) {
  if (x <= 0) return 0;
  return std::pow(10.0, (std::floor(std::log10(x) * points_per_decade + 1e-9) + 1) / points_per_decade);
}

double rl_flops(const LoopState& s) {
  return s.flops.get(FlopCategory::kRlGenerate) + s.flops.get(FlopCategory::kRlOldPolicy) +
         s.flops.get(FlopCategory::kRlReference) + s.flops.get(FlopCategory::kRlTrain);
}

}  // namespace

struct RlLoop::Impl {
  Impl(RunContext& c, LoopState& s)
      : ctx(c),
        rl(c.config.rl()),
        state(s),
        optimizer(make_adamw(c.policy, rl.lr(), c.config.sft().beta1(), c.config.sft().beta2(),
                             rl.weight_decay())),
        pool(rl.verify_threads()) {}

  RunContext& ctx;
  const config::RlConfig& rl;
  LoopState& state;
  torch::optim::AdamW optimizer;
  ThreadPool pool;
  std::unique_ptr<models::Policy> reference;
};

RlLoop::RlLoop(RunContext& ctx, LoopState& state, const std::string& reference_checkpoint)
    : impl_(std::make_unique<Impl>(ctx, state)) {
  if (ctx.config.rl().kl_coef() <= 0) return;
  impl_->reference = std::make_unique<models::Policy>(ctx.config.model(), ctx.config.runtime().seed());
  if (reference_checkpoint.empty()) {
    copy_weights(ctx.policy, *impl_->reference);
  } else {
    load_checkpoint(reference_checkpoint, *impl_->reference, nullptr);
  }
  impl_->reference->model()->eval();
}

RlLoop::~RlLoop() = default;

torch::optim::Optimizer& RlLoop::optimizer() { return impl_->optimizer; }

scaling::MetricsRecord RlLoop::step(int64_t step) {
  Impl& m = *impl_;
  const auto& rl = m.rl;
  auto& policy = m.ctx.policy;
  const auto& shape = policy.shape();
  const uint64_t seed = m.ctx.config.runtime().seed();
  const double lr = warmup_cosine_lr(step, rl.steps(), rl.warmup_steps(), rl.lr(), rl.min_lr_ratio());
  set_lr(m.optimizer, lr);

  // 1. Rollouts: P prompts x G completions, verified while the next chunk generates.
  const auto tasks = sample_train_tasks(m.ctx.env, seed, kRlPromptStream, step, rl.prompts_per_step());
  models::SamplingParams sampling;
  sampling.temperature = rl.temperature();
  sampling.max_new_tokens = rl.max_new_tokens();
  sampling.seed = derive_seed(seed, kRlSampleStream, static_cast<uint64_t>(step));
  policy.model()->eval();
  const Rollouts ro = collect_rollouts(policy, tasks, rl.group_size(), sampling,
                                       rl.generation_chunks(), m.ctx.verifiers, m.pool);
  const int64_t G = rl.group_size();
  const size_t n = ro.completions.size();
  std::vector<std::vector<int64_t>> sequences(n);
  std::vector<size_t> prompt_lengths(n);
  double response_tokens = 0;
  for (size_t i = 0; i < n; ++i) {
    sequences[i] = ro.prompt_tokens[i];
    prompt_lengths[i] = sequences[i].size();
    const auto& c = ro.completions[i].tokens;
    sequences[i].insert(sequences[i].end(), c.begin(), c.end());
    response_tokens += static_cast<double>(c.size());
    // Sampling fed the prompt and every sampled token but the last.
    m.state.flops.add(FlopCategory::kRlGenerate,
                      shape.forward_flops(0, static_cast<int64_t>(sequences[i].size()) - 1));
  }
  m.state.samples += static_cast<int64_t>(n);
  m.state.tokens += static_cast<int64_t>(response_tokens);

  // 2. Keep groups whose rewards differ (the others have zero advantage).
  std::vector<int64_t> kept;
  int64_t flat_groups = 0;
  for (size_t g = 0; g * G < n; ++g) {
    const auto first = ro.rewards.begin() + static_cast<int64_t>(g) * G;
    const bool flat = std::all_of(first, first + G, [&](float r) { return r == *first; });
    flat_groups += flat ? 1 : 0;
    if (flat && rl.filter_zero_variance()) continue;
    for (int64_t i = 0; i < G; ++i) kept.push_back(static_cast<int64_t>(g) * G + i);
  }

  scaling::MetricsRecord record{"rl", step, {}};
  const auto train_start = std::chrono::steady_clock::now();
  double loss_sum = 0, clip_sum = 0, kl_sum = 0, grad_sum = 0, entropy = 0, kl_metric = -1;
  int updates = 0;
  if (!kept.empty()) {
    std::vector<std::vector<int64_t>> kept_seqs;
    std::vector<size_t> kept_prompts;
    std::vector<float> rewards;
    for (int64_t i : kept) {
      kept_seqs.push_back(sequences[i]);
      kept_prompts.push_back(prompt_lengths[i]);
      rewards.push_back(ro.rewards[i]);
    }
    const TokenBatch batch =
        make_token_batch(kept_seqs, kept_prompts, policy.pad_id(), policy.device());
    const double batch_forward = forward_flops_of(shape, batch);
    const bool single_update = rl.ppo_epochs() * rl.minibatches() == 1;
    const bool kl_in_reward = rl.kl_coef() > 0 && rl.kl_mode() == config::KL_REWARD;
    // Old-policy log-probs: with one update per batch the policy has not moved
    // yet, so the current pass serves (ratio 1) and no extra pass is needed.
    torch::Tensor old_logp, ref_logp;
    if (!single_update || kl_in_reward) {
      old_logp = score(policy, batch);
      m.state.flops.add(FlopCategory::kRlOldPolicy, batch_forward);
    }
    if (m.reference) {
      ref_logp = score(*m.reference, batch);
      m.state.flops.add(FlopCategory::kRlReference, batch_forward);
    }
    if (kl_in_reward) {
      // Per-sequence KL of the sampling policy to the reference: the reward
      // penalty, and (averaged per token) the step's KL metric.
      const auto kl = (kl_estimate(old_logp, ref_logp, rl.kl_estimator()) * batch.loss_mask).sum(1);
      kl_metric = kl.sum().item<double>() / std::max(1.0, batch.loss_mask.sum().item<double>());
      const auto kl_cpu = kl.to(torch::kCPU, torch::kFloat).contiguous();
      for (size_t i = 0; i < rewards.size(); ++i) {
        rewards[i] -= static_cast<float>(rl.kl_coef() * kl_cpu.data_ptr<float>()[i]);
      }
    }
    const auto adv_vec = compute_advantages(rewards, G, rl.algorithm(), rl.normalize_std());
    const auto advantages = torch::tensor(adv_vec, torch::kFloat).to(policy.device());

    policy.model()->train();
    const int64_t rows = static_cast<int64_t>(kept.size());
    for (int epoch = 0; epoch < rl.ppo_epochs(); ++epoch) {
      std::vector<int64_t> order(rows);
      std::iota(order.begin(), order.end(), 0);
      Rng rng(derive_seed(seed, kRlShuffleStream, static_cast<uint64_t>(step * 1000 + epoch)));
      for (int64_t i = rows - 1; i > 0; --i) std::swap(order[i], order[uniform_int(rng, 0, i)]);
      const int64_t per_mb = (rows + rl.minibatches() - 1) / rl.minibatches();
      for (int64_t first = 0; first < rows; first += per_mb) {
        const std::vector<int64_t> idx(order.begin() + first,
                                       order.begin() + std::min(rows, first + per_mb));
        const TokenBatch mb = select_rows(batch, idx);
        const auto rows_t = torch::tensor(idx, torch::kLong).to(policy.device());
        const auto logits = policy.model()->forward(mb.inputs, mb.valid);
        const auto logp = target_log_probs(logits, mb.targets);
        if (updates == 0) entropy = masked_entropy(logits, mb.loss_mask);
        const int64_t T = mb.inputs.size(1);
        PolicyLossInputs in;
        in.logp = logp;
        in.old_logp = single_update && !kl_in_reward
                          ? logp.detach()
                          : old_logp.index_select(0, rows_t).narrow(1, 0, T);
        if (m.reference && !kl_in_reward) in.ref_logp = ref_logp.index_select(0, rows_t).narrow(1, 0, T);
        in.advantages = advantages.index_select(0, rows_t);
        in.mask = mb.loss_mask;
        const PolicyLoss pl = policy_loss(in, rl);
        m.optimizer.zero_grad();
        pl.loss.backward();
        grad_sum += gradient_norm(policy, rl.grad_clip());
        m.optimizer.step();
        loss_sum += pl.loss.item<double>();
        clip_sum += pl.clip_fraction;
        kl_sum += pl.kl;
        ++updates;
        m.state.flops.add(FlopCategory::kRlTrain, 3 * forward_flops_of(shape, mb));
      }
    }
  }
  const double train_seconds = seconds_since(train_start);
  const double per_update = updates > 0 ? 1.0 / updates : 0;
  double correct = 0;
  for (uint8_t c : ro.correct) correct += c;

  add_counters(record, m.state);
  record.add("reward/mean", mean(ro.rewards))
      .add("reward/std", stddev(ro.rewards))
      .add("accuracy", correct / static_cast<double>(n))
      .add("zero_variance_fraction", static_cast<double>(flat_groups) / static_cast<double>(tasks.size()))
      .add("kl", kl_metric >= 0 ? kl_metric : kl_sum * per_update)
      .add("entropy", entropy)
      .add("response_length/mean", response_tokens / static_cast<double>(n))
      .add("clip_fraction", clip_sum * per_update)
      .add("grad_norm", grad_sum * per_update)
      .add("loss", loss_sum * per_update)
      .add("lr", lr)
      .add("updates", updates)
      .add("time/generate", ro.generate_seconds)
      .add("time/verify", ro.verify_seconds)
      .add("time/verify_wait", ro.verify_wait_seconds)
      .add("time/train", train_seconds);
  return record;
}

void run_rl(RunContext& ctx, LoopState& state, const std::string& resume_checkpoint,
            const std::string& reference_checkpoint) {
  const auto& rl = ctx.config.rl();
  const auto& out = ctx.config.output();
  const auto phase_start = std::chrono::steady_clock::now();
  RlLoop loop(ctx, state, reference_checkpoint);
  if (!resume_checkpoint.empty()) {
    state = load_checkpoint(resume_checkpoint, ctx.policy, &loop.optimizer());
    spdlog::info("resumed RL from {} (step {})", resume_checkpoint, state.step);
  } else {
    state.phase = "rl";
    state.step = 0;
    state.phase_done = false;
    write_eval_record(ctx, "rl", 0, evaluate_policy(ctx, ctx.policy, state), state);
  }
  if (state.phase_done) return;
  const double seconds_before = state.rl_seconds;
  const int points = ctx.config.eval().points_per_decade();
  double next_eval = next_eval_point(rl_flops(state), points);
  Progress progress("rl", rl.steps(), state.step, out.log_every());
  std::string last_eval;
  for (int64_t step = state.step + 1; step <= rl.steps(); ++step) {
    scaling::MetricsRecord record = loop.step(step);
    state.step = step;
    ctx.metrics.write(record);
    if (rl_flops(state) >= next_eval || step == rl.steps()) {
      const PolicyEval e = evaluate_policy(ctx, ctx.policy, state);
      write_eval_record(ctx, "rl", step, e, state);
      last_eval = fmt::format(" eval {:.1f}%", 100 * e.greedy.accuracy);
      next_eval = next_eval_point(rl_flops(state), points);
    }
    progress.update(step, fmt::format("reward {:.3f} acc {:.1f}% kl {:.4f}{}",
                                      record.get("reward/mean"), 100 * record.get("accuracy"),
                                      record.get("kl"), last_eval));
    state.rl_seconds = seconds_before + seconds_since(phase_start);
    if (out.checkpoint_every() > 0 && step % out.checkpoint_every() == 0 && step < rl.steps()) {
      checkpoint_run(ctx, state, &loop.optimizer(), checkpoint_path(ctx.run_dir, state));
      prune_checkpoints(ctx.run_dir, out.keep_checkpoints());
    }
  }
  progress.finish();
  state.phase_done = true;
  state.rl_seconds = seconds_before + seconds_since(phase_start);
  checkpoint_run(ctx, state, &loop.optimizer(), checkpoint_path(ctx.run_dir, state));
  prune_checkpoints(ctx.run_dir, out.keep_checkpoints());
}

}  // namespace rlvr::trainer
