#include "trainer/inference.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>

#include "core/clock.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/rng.h"
#include "models/hf_export.h"
#include "scaling/pass_at_k.h"
#include "trainer/checkpoint.h"
#include "trainer/evaluator.h"
#include "trainer/random_streams.h"
#include "trainer/run_setup.h"
#include "trainer/task_sampling.h"
#include "trainer/train.h"

namespace rlvr::trainer {
namespace {

struct LoadedRun {
  config::LoadedConfig loaded;
  std::unique_ptr<RunResources> res;
};

LoadedRun open_run(const std::string& path, const std::vector<std::string>& overrides) {
  const CheckpointRef ref = resolve_checkpoint(path);
  LoadedRun run{load_run_config(ref.run_dir, overrides), nullptr};
  run.res = std::make_unique<RunResources>(run.loaded);
  const LoopState state = load_checkpoint(ref.checkpoint, run.res->policy);
  spdlog::info("loaded {} ({} step {})", ref.checkpoint, phase_name(state.phase), state.step);
  return run;
}

// Adds one task's pass@k, maj@k, best-of-k and inference FLOPs of k samples
// (its `samples` completions) to every point; returns each sample's verdict.
std::vector<bool> add_task_points(std::vector<TestTimePoint>& points, const Task& task,
                                  const models::Completion* completions, int64_t samples, models::Policy& policy,
                                  VerifierSet& verifiers) {
  const int64_t prompt_tokens = static_cast<int64_t>(policy.encode_prompt(task.prompt).size());
  std::vector<scaling::Vote> votes;
  std::vector<double> rewards, flops;
  std::vector<bool> outcomes;
  int64_t correct = 0;
  for (int64_t s = 0; s < samples; ++s) {
    const auto& c = completions[s];
    const auto verdict = verifiers.verify(task, c.text);
    correct += verdict.correct ? 1 : 0;
    outcomes.push_back(verdict.correct);
    rewards.push_back(verdict.reward);
    votes.push_back({verdict.answer.empty() ? std::nullopt : std::optional(verdict.answer), verdict.correct});
    flops.push_back(policy.shape().generation_flops(prompt_tokens, static_cast<int64_t>(c.tokens.size())));
  }
  const auto same = [&](const std::string& a, const std::string& b) { return verifiers.same_answer(task, a, b); };
  for (auto& point : points) {
    point.pass_at_k += scaling::pass_at_k(samples, correct, point.k);
    point.maj_at_k += scaling::majority_at_k(votes, point.k, same) ? 1 : 0;
    const auto best = std::max_element(rewards.begin(), rewards.begin() + point.k);
    point.best_of_k += votes[best - rewards.begin()].correct ? 1 : 0;
    point.flops_per_task += std::accumulate(flops.begin(), flops.begin() + point.k, 0.0);
  }
  return outcomes;
}

}  // namespace

void export_checkpoint(const std::string& run_dir_or_checkpoint,
                       const std::vector<std::string>& overrides, const std::string& out_dir,
                       const std::string& dtype, size_t max_shard_bytes) {
  LoadedRun run = open_run(run_dir_or_checkpoint, overrides);
  models::export_hf_checkpoint(run.res->policy, out_dir, dtype, max_shard_bytes);
}

EvalResult evaluate_checkpoint(const std::string& run_dir_or_checkpoint,
                               const std::vector<std::string>& overrides, const std::string& split) {
  LoadedRun run = open_run(run_dir_or_checkpoint, overrides);
  const auto& cfg = run.loaded.config;
  std::vector<Task> tasks;
  if (split == "eval") {
    tasks = run.res->eval_tasks;
  } else if (split == "train") {
    const int64_t n = cfg.eval().num_tasks() > 0 ? cfg.eval().num_tasks() : 500;
    tasks = sample_train_tasks(*run.res->env, cfg.runtime().seed(), streams::kTrainEval, 0, n);
  } else {
    throw Error("unknown split '" + split + "' (expected eval or train)");
  }
  return evaluate(run.res->policy, tasks, run.res->verifiers,
                  models::SamplingParams::from_config(cfg.eval().sampling(), cfg.runtime().seed()),
                  cfg.eval().batch_size());
}

std::vector<Sample> generate_from_checkpoint(const std::string& run_dir_or_checkpoint,
                                             const std::vector<std::string>& overrides,
                                             const std::vector<std::string>& prompts,
                                             int samples_per_prompt) {
  LoadedRun run = open_run(run_dir_or_checkpoint, overrides);
  const auto& cfg = run.loaded.config;
  std::vector<std::string> batch;
  for (const auto& p : prompts) batch.insert(batch.end(), samples_per_prompt, p);
  const auto completions = run.res->policy.generate(
      batch, models::SamplingParams::from_config(cfg.eval().sampling(), cfg.runtime().seed()));
  std::vector<Sample> samples;
  for (size_t i = 0; i < batch.size(); ++i) {
    double logprob = 0;
    for (float lp : completions[i].logprobs) logprob += lp;
    samples.push_back({batch[i], completions[i].text, completions[i].finished, logprob});
  }
  return samples;
}

TestTimeResult evaluate_test_time(const std::string& run_dir_or_checkpoint,
                                  const std::vector<std::string>& overrides, int64_t samples,
                                  const std::vector<int64_t>& ks, double temperature) {
  for (int64_t k : ks) {
    if (k < 1 || k > samples) {
      throw Error("--k " + std::to_string(k) + " is outside 1..--samples (" +
                  std::to_string(samples) + ")");
    }
  }
  if (temperature <= 0) throw Error("test-time sampling needs a temperature > 0");
  const auto start = std::chrono::steady_clock::now();
  LoadedRun run = open_run(run_dir_or_checkpoint, overrides);
  const auto& cfg = run.loaded.config;
  auto& policy = run.res->policy;
  auto& verifiers = run.res->verifiers;
  const auto& tasks = run.res->eval_tasks;
  auto params = models::SamplingParams::from_config(cfg.eval().sampling(), cfg.runtime().seed());
  params.temperature = temperature;

  TestTimeResult result;
  result.tasks = static_cast<int64_t>(tasks.size());
  result.samples = samples;
  result.temperature = temperature;
  for (int64_t k : ks) result.points.push_back({k, 0, 0, 0, 0});
  // Whole tasks per batch, so each task's samples come from one generate call.
  const int64_t tasks_per_batch = std::max<int64_t>(1, cfg.eval().batch_size() / samples);
  Progress progress("test-time", result.tasks, 0, 1);
  for (int64_t first = 0; first < result.tasks; first += tasks_per_batch) {
    const int64_t last = std::min(result.tasks, first + tasks_per_batch);
    std::vector<std::string> prompts;
    for (int64_t t = first; t < last; ++t) prompts.insert(prompts.end(), samples, tasks[t].prompt);
    params.seed = derive_seed(cfg.runtime().seed(), streams::kTestTime, static_cast<uint64_t>(first));
    const auto completions = policy.generate(prompts, params);
    for (int64_t t = first; t < last; ++t) {
      result.outcomes.push_back(add_task_points(result.points, tasks[t], &completions[(t - first) * samples],
                                                samples, policy, verifiers));
    }
    progress.update(last, "");
  }
  progress.finish();
  const double tasks_done = static_cast<double>(std::max<int64_t>(1, result.tasks));
  for (auto& point : result.points) {
    point.pass_at_k /= tasks_done;
    point.maj_at_k /= tasks_done;
    point.best_of_k /= tasks_done;
    point.flops_per_task /= tasks_done;
  }
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace rlvr::trainer
