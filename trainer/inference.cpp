#include "trainer/inference.h"

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "trainer/checkpoint.h"
#include "trainer/evaluator.h"
#include "trainer/run_setup.h"
#include "trainer/sft_phase.h"
#include "trainer/train.h"

namespace rlvr::trainer {
namespace {

// Stream for the fresh training tasks `rlvr eval --split train` draws.
constexpr uint64_t kTrainEvalStream = 0xE7A1;

struct LoadedRun {
  config::LoadedConfig loaded;
  std::unique_ptr<RunResources> res;
};

LoadedRun open_run(const std::string& path, const std::vector<std::string>& overrides) {
  const CheckpointRef ref = resolve_checkpoint(path);
  LoadedRun run{load_run_config(ref.run_dir, overrides), nullptr};
  run.res = std::make_unique<RunResources>(run.loaded);
  const LoopState state = load_checkpoint(ref.checkpoint, run.res->policy, nullptr);
  spdlog::info("loaded {} ({} step {})", ref.checkpoint, state.phase, state.step);
  return run;
}

}  // namespace

EvalResult evaluate_checkpoint(const std::string& run_dir_or_checkpoint,
                               const std::vector<std::string>& overrides, const std::string& split) {
  LoadedRun run = open_run(run_dir_or_checkpoint, overrides);
  const auto& cfg = run.loaded.config;
  std::vector<Task> tasks;
  if (split == "eval") {
    tasks = run.res->eval_tasks;
  } else if (split == "train") {
    const int64_t n = cfg.eval().num_tasks() > 0 ? cfg.eval().num_tasks() : 500;
    tasks = sample_train_tasks(*run.res->env, cfg.runtime().seed(), kTrainEvalStream, 0, n);
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

}  // namespace rlvr::trainer
