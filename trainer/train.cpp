#include "trainer/train.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "core/files.h"
#include "scaling/tensorboard_sink.h"
#include "trainer/checkpoint.h"
#include "trainer/rl_phase.h"
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

// Cuts metrics.jsonl back to `bytes` (lines written after the checkpoint that
// a resumed run will write again).
void truncate_metrics(const std::string& path, int64_t bytes) {
  if (!fs::exists(path)) return;
  if (static_cast<int64_t>(fs::file_size(path)) > bytes) fs::resize_file(path, bytes);
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
  for (const auto& p : s.phases) {
    nlohmann::ordered_json phase;
    phase["steps"] = p.steps;
    phase["flops"] = p.flops;
    phase["seconds"] = p.seconds;
    phase["accuracy"] = p.accuracy;
    phase["correct"] = p.correct;
    phase["tasks"] = p.tasks;
    if (p.pass_at_1 >= 0) phase["pass@1"] = p.pass_at_1;
    j["phases"][p.name] = phase;
  }
  atomic_write((fs::path(s.run_dir) / "summary.json").string(), j.dump(2) + "\n");
}

PhaseSummary summarize(const std::string& name, int64_t steps, double flops, double seconds,
                       const PolicyEval& e) {
  PhaseSummary p{name, steps, flops, seconds, e.greedy.accuracy, e.greedy.correct, e.greedy.tasks, -1};
  if (e.sampled.tasks > 0) p.pass_at_1 = e.sampled.accuracy;
  return p;
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
    const fs::path parent = fs::absolute(path).parent_path();
    ref.run_dir = (parent.filename() == "checkpoints" ? parent.parent_path() : parent).string();
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
  const fs::path dir(summary.run_dir);
  const std::string metrics_path = (dir / "metrics.jsonl").string();
  atomic_write((dir / "config.pbtxt").string(), config::to_text(cfg));

  LoopState state;
  const std::string latest = options.resume ? latest_checkpoint(summary.run_dir) : "";
  if (!latest.empty()) state = load_checkpoint(latest, res.policy, nullptr);
  if (options.resume) truncate_metrics(metrics_path, state.metrics_bytes);
  summary.parameters = res.policy.shape().parameter_count();
  spdlog::info("run {}: {} parameters, env {}, {} eval tasks, {} threads on {}", summary.run_dir,
               summary.parameters, res.env->name(), res.eval_tasks.size(), res.threads,
               cfg.model().device());

  std::vector<std::unique_ptr<scaling::MetricsSink>> sinks;
  sinks.push_back(scaling::make_jsonl_sink(metrics_path));
  if (cfg.output().tensorboard()) {
    sinks.push_back(scaling::make_tensorboard_sink((dir / "tensorboard").string()));
  }
  const auto metrics = scaling::make_tee_sink(std::move(sinks));
  RunContext ctx{cfg, summary.run_dir, res.policy, *res.env, res.verifiers, *metrics, res.eval_tasks};

  SftSpec sft_spec;
  sft_spec.steps = cfg.sft().steps();
  const bool in_sft = state.phase == "sft" && !state.phase_done;
  const SftOutcome sft = run_sft(ctx, state, sft_spec, in_sft ? latest : "");
  summary.sft_steps = sft.steps;
  summary.sft_early_stopped = sft.early_stopped;
  summary.sft_final_loss = sft.last_loss;
  if (state.phase == "sft") state.phase_done = true;
  // The SFT result stays on disk, unpruned: the KL reference, the control's
  // start and the "before RL" row of the summary.
  const std::string sft_final = (dir / "sft_final.pt").string();
  if (!fs::exists(sft_final)) save_checkpoint(sft_final, res.policy, nullptr, state);
  const double sft_flops = state.flops.get(FlopCategory::kSftTrain);
  const double sft_seconds = state.sft_seconds;

  const bool rl = cfg.rl().steps() > 0;
  if (rl) run_rl(ctx, state, state.phase == "rl" ? latest : "", sft_final);
  const double rl_train_flops = state.flops.training_total() - sft_flops;

  // Evaluate every phase's policy on the same tasks for the summary.
  if (rl) {
    models::Policy sft_policy(cfg.model(), cfg.runtime().seed());
    load_checkpoint(sft_final, sft_policy, nullptr);
    summary.phases.push_back(summarize("sft", summary.sft_steps, sft_flops, sft_seconds,
                                       evaluate_policy(ctx, sft_policy, state)));
    summary.phases.push_back(summarize("rl", state.step, rl_train_flops, state.rl_seconds,
                                       evaluate_policy(ctx, res.policy, state)));
  } else {
    summary.phases.push_back(summarize("sft", summary.sft_steps, sft_flops, sft_seconds,
                                       evaluate_policy(ctx, res.policy, state)));
  }
  if (rl && cfg.rl().sft_control()) {
    const auto control_start = std::chrono::steady_clock::now();
    models::Policy control(cfg.model(), cfg.runtime().seed());
    load_checkpoint(sft_final, control, nullptr);
    RunContext control_ctx{cfg, summary.run_dir, control, *res.env, res.verifiers, *metrics,
                           res.eval_tasks};
    SftSpec spec;
    spec.phase = "control";
    spec.category = FlopCategory::kControlTrain;
    spec.flop_budget = rl_train_flops;
    spec.schedule = false;
    spec.checkpoints = false;
    const SftOutcome c = run_sft(control_ctx, state, spec, "");
    summary.phases.push_back(summarize("sft-control", c.steps, state.flops.get(FlopCategory::kControlTrain),
                                       seconds_since(control_start),
                                       evaluate_policy(ctx, control, state)));
  }
  const PhaseSummary& final_phase = summary.phases[rl ? 1 : 0];
  summary.eval_accuracy = final_phase.accuracy;
  summary.eval_correct = final_phase.correct;
  summary.eval_tasks = final_phase.tasks;
  summary.seconds = seconds_since(start);
  write_summary(summary);
  return summary;
}

}  // namespace rlvr::trainer
