#include "trainer/train.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "trainer/checkpoint.h"
#include "trainer/evaluator.h"
#include "trainer/run_setup.h"
#include "trainer/sft_phase.h"

namespace rlvr::trainer {
namespace fs = std::filesystem;
namespace {

// Refuses to mix a new run into an existing one by accident.
void prepare_run_dir(const std::string& run_dir, const TrainOptions& options) {
  const bool has_run = fs::exists(fs::path(run_dir) / "config.pbtxt");
  if (options.overwrite && has_run) {
    spdlog::warn("--overwrite: deleting the existing run in {}", run_dir);
    fs::remove_all(run_dir);
  } else if (has_run && !options.resume) {
    throw Error("run directory '" + run_dir + "' already holds a run; continue it with --resume " +
                run_dir + ", start over with --overwrite, or choose another with --set "
                "output.run_dir=...");
  } else if (!has_run && options.resume) {
    throw Error("cannot resume: '" + run_dir + "' holds no run (no config.pbtxt)");
  }
  fs::create_directories(fs::path(run_dir) / "checkpoints");
}

void write_summary(const TrainSummary& s) {
  nlohmann::ordered_json j;
  j["parameters"] = s.parameters;
  j["sft_steps"] = s.sft_steps;
  j["sft_early_stopped"] = s.sft_early_stopped;
  j["eval_accuracy"] = s.eval_accuracy;
  j["eval_correct"] = s.eval_correct;
  j["eval_tasks"] = s.eval_tasks;
  j["seconds"] = s.seconds;
  atomic_write((fs::path(s.run_dir) / "summary.json").string(), j.dump(2) + "\n");
}

}  // namespace

config::LoadedConfig load_run_config(const std::string& run_dir,
                                     const std::vector<std::string>& overrides) {
  const std::string path = (fs::path(run_dir) / "config.pbtxt").string();
  if (!fs::exists(path)) {
    throw Error("'" + run_dir + "' is not a run directory (it has no config.pbtxt)");
  }
  return config::load(path, overrides);
}

CheckpointRef resolve_checkpoint(const std::string& path) {
  CheckpointRef ref;
  if (fs::is_directory(path)) {
    ref.run_dir = path;
    ref.checkpoint = latest_checkpoint(path);
    if (ref.checkpoint.empty()) throw Error("run directory '" + path + "' has no checkpoint yet");
  } else if (fs::is_regular_file(path)) {
    ref.checkpoint = path;
    ref.run_dir = fs::absolute(path).parent_path().parent_path().string();
  } else {
    throw Error("'" + path + "' is neither a run directory nor a checkpoint file");
  }
  return ref;
}

TrainSummary train(const config::LoadedConfig& loaded, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto& cfg = loaded.config;
  TrainSummary summary;
  summary.run_dir = cfg.output().run_dir();
  // Everything that can reject the config is built before the run directory is touched.
  RunResources res(loaded);
  prepare_run_dir(summary.run_dir, options);
  const std::string resume_from = options.resume ? latest_checkpoint(summary.run_dir) : "";
  atomic_write((fs::path(summary.run_dir) / "config.pbtxt").string(), config::to_text(cfg));
  summary.parameters = res.policy.shape().parameter_count();
  spdlog::info("run {}: {} parameters, env {}, {} eval tasks, {} threads on {}", summary.run_dir,
               summary.parameters, res.env->name(), res.eval_tasks.size(), res.threads,
               cfg.model().device());

  int64_t resumed_step = -1;
  if (!resume_from.empty()) {
    LoopState peek = load_checkpoint(resume_from, res.policy, nullptr);
    resumed_step = peek.step;
  }
  const auto metrics = scaling::make_jsonl_sink(
      (fs::path(summary.run_dir) / "metrics.jsonl").string(), resumed_step >= 0 ? resumed_step : -1);
  RunContext ctx{cfg, summary.run_dir, res.policy, *res.env, res.verifiers, *metrics,
                 res.eval_tasks};
  const SftOutcome sft = run_sft(ctx, resume_from);
  summary.sft_steps = sft.steps;
  summary.sft_early_stopped = sft.early_stopped;
  summary.sft_final_loss = sft.last_loss;

  const EvalResult eval = evaluate(
      res.policy, res.eval_tasks, res.verifiers,
      models::SamplingParams::from_config(cfg.eval().sampling(), cfg.runtime().seed()),
      cfg.eval().batch_size());
  scaling::MetricsRecord record{"eval", sft.steps, {}};
  eval.add_to(record, "eval/");
  metrics->write(record);
  summary.eval_accuracy = eval.accuracy;
  summary.eval_correct = eval.correct;
  summary.eval_tasks = eval.tasks;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_summary(summary);
  return summary;
}

}  // namespace rlvr::trainer
