#include "trainer/train.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/clock.h"
#include "core/error.h"
#include "core/files.h"
#include "scaling/tensorboard_sink.h"
#include "trainer/checkpoint.h"
#include "trainer/controls.h"
#include "trainer/data_parallel.h"
#include "trainer/heldout_loss.h"
#include "trainer/lr_schedule.h"
#include "trainer/rl_phase.h"
#include "trainer/run_setup.h"
#include "trainer/sft_phase.h"

namespace rlvr::trainer {
namespace fs = std::filesystem;
namespace {

// The world size a run was trained with (world.json; runs from before it was
// recorded trained on one process).
int recorded_world_size(const std::string& path) {
  if (!fs::exists(path)) return 1;
  try {
    return nlohmann::json::parse(read_file(path)).at("world_size").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not a world size record ({}); it holds {{\"world_size\": N}}", path, e.what()));
  }
}

// Refuses to mix a new run into an existing one by accident, or to resume one
// on another world size (each rank's random draws depend on its rank, so a run
// continues exactly only with the world size it started with, which world.json
// records). Every rank checks (so all fail alike) before rank 0 alone changes
// anything.
void prepare_run_dir(const std::string& run_dir, const TrainOptions& options, Communicator& comm) {
  const bool has_run = fs::exists(fs::path(run_dir) / "config.pbtxt");
  if (has_run && !options.resume && !options.overwrite) {
    throw Error("run directory '" + run_dir + "' already holds a run; continue it with --resume " +
                run_dir + ", start over with --overwrite, or choose another with --set "
                "output.run_dir=...");
  }
  if (!has_run && options.resume) {
    throw Error("cannot resume: '" + run_dir + "' holds no run (no config.pbtxt)");
  }
  const std::string world_file = (fs::path(run_dir) / "world.json").string();
  if (options.resume) {
    if (const int recorded = recorded_world_size(world_file); recorded != comm.world_size()) {
      throw Error(fmt::format("cannot resume '{}' on {} rank(s): it was trained on {} (resume it with rlvr train "
                              "--resume {} --nproc {}, or the same torchrun/srun task count)",
                              run_dir, comm.world_size(), recorded, run_dir, recorded));
    }
  }
  comm.barrier();
  if (comm.is_root()) {
    if (options.overwrite && has_run) {
      spdlog::warn("--overwrite: deleting the existing run in {}", run_dir);
      fs::remove_all(run_dir);
    }
    fs::create_directories(fs::path(run_dir) / "checkpoints");
    atomic_write(world_file, nlohmann::json{{"world_size", comm.world_size()}}.dump() + "\n");
  }
}

// Cuts metrics.jsonl back to `bytes` (lines written after the checkpoint that
// a resumed run will write again).
void truncate_metrics(const std::string& path, int64_t bytes) {
  if (!fs::exists(path)) return;
  if (static_cast<int64_t>(fs::file_size(path)) > bytes) fs::resize_file(path, bytes);
}

void write_summary(const TrainSummary& s) {
  nlohmann::ordered_json j{{"parameters", s.parameters}, {"sft_steps", s.sft_steps},
                           {"sft_early_stopped", s.sft_early_stopped}, {"rl_algorithm", s.rl_algorithm},
                           {"eval_accuracy", s.eval_accuracy},
                           {"eval_correct", s.eval_correct}, {"eval_tasks", s.eval_tasks},
                           {"seconds", s.seconds}};
  for (const auto& p : s.phases) {
    nlohmann::ordered_json phase{{"steps", p.steps}, {"flops", p.flops}, {"seconds", p.seconds},
                                 {"accuracy", p.accuracy}, {"correct", p.correct}, {"tasks", p.tasks}};
    if (p.pass_at_1 >= 0) phase["pass@1"] = p.pass_at_1;
    if (std::isfinite(p.heldout_loss)) phase["heldout_loss"] = p.heldout_loss;
    if (p.harder_accuracy >= 0) {
      phase["harder_accuracy"] = p.harder_accuracy;
      phase["harder_correct"] = p.harder_correct;
      phase["harder_tasks"] = p.harder_tasks;
    }
    j["phases"][p.name] = phase;
  }
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
    const fs::path parent = fs::absolute(path).parent_path();
    ref.run_dir = (parent.filename() == "checkpoints" ? parent.parent_path() : parent).string();
  } else {
    throw Error("'" + path + "' is neither a run directory nor a checkpoint file");
  }
  return ref;
}

namespace {

// The newest checkpoint of a resumed run, read once: its weights go into
// `policy`, its position into `state`; metrics written after it are cut.
std::optional<Checkpoint> resume_point(const std::string& run_dir, const TrainOptions& options,
                                       models::Policy& policy, LoopState& state, const Communicator& comm) {
  if (!options.resume) return std::nullopt;
  std::optional<Checkpoint> resume;
  const std::string latest = latest_checkpoint(run_dir);
  if (!latest.empty()) {
    resume = Checkpoint::read(latest, policy.device());
    resume->restore_weights(policy);
    state = resume->state();
  }
  if (comm.is_root()) truncate_metrics((fs::path(run_dir) / "metrics.jsonl").string(), state.metrics_bytes);
  return resume;
}

// Rank 0 writes the metrics; the other ranks' sink drops them.
std::unique_ptr<scaling::MetricsSink> open_metrics(const config::ExperimentConfig& cfg, const fs::path& dir,
                                                   const Communicator& comm) {
  std::vector<std::unique_ptr<scaling::MetricsSink>> sinks;
  if (!comm.is_root()) return scaling::make_tee_sink(std::move(sinks));
  sinks.push_back(scaling::make_jsonl_sink((dir / "metrics.jsonl").string()));
  if (cfg.output().tensorboard()) sinks.push_back(scaling::make_tensorboard_sink((dir / "tensorboard").string()));
  return scaling::make_tee_sink(std::move(sinks));
}

// The checkpoint `resume` if it was taken in `phase`.
const Checkpoint* resume_of(const std::optional<Checkpoint>& resume, Phase phase) {
  return resume && resume->state().phase == phase ? &*resume : nullptr;
}

// The summary's "sft" row: the SFT policy's eval and, when SFT ran, its loss
// on the eval tasks' solutions (charged as eval FLOPs).
PhaseSummary sft_row(RunContext& ctx, models::Policy& policy, LoopState& state, int64_t steps, double flops,
                     double seconds) {
  PhaseSummary row = phase_summary("sft", steps, flops, seconds, evaluate_policy(ctx, policy, state));
  if (steps == 0) return row;
  const HeldoutLoss heldout = heldout_sft_loss(policy, ctx.eval_tasks, ctx.config.eval().batch_size());
  state.flops.add(FlopCategory::kEval, heldout.flops);
  row.heldout_loss = heldout.loss;
  if (heldout.tasks > 0) {
    spdlog::info("sft: held-out loss {:.4f} over the solutions of {} eval tasks{}", heldout.loss, heldout.tasks,
                 heldout.skipped > 0 ? fmt::format(" ({} without a solution that fits left out)", heldout.skipped) : "");
  }
  return row;
}

// sft_row of the policy saved at `path` (the SFT result, once RL has moved the live one).
PhaseSummary saved_sft_row(RunContext& ctx, const std::string& path, LoopState& state, int64_t steps,
                           double flops, double seconds) {
  models::Policy policy(ctx.config.model(), ctx.config.runtime().seed());
  load_checkpoint(path, policy);
  return sft_row(ctx, policy, state, steps, flops, seconds);
}

}  // namespace

TrainSummary train(const config::LoadedConfig& loaded, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto& cfg = loaded.config;
  TrainSummary summary;
  summary.run_dir = cfg.output().run_dir();
  // Everything that can reject the config is built before the run directory is touched.
  // Joined first: on CUDA the group picks each rank's GPU before the policy is built.
  const auto comm = Communicator::connect(world_from_environment(), cfg.runtime().distributed(),
                                          torch::Device(cfg.model().device()));
  RunResources res(loaded);
  if (const std::string warning = rl_lr_jump_warning(cfg); !warning.empty()) spdlog::warn("{}", warning);
  prepare_run_dir(summary.run_dir, options, *comm);
  const fs::path dir(summary.run_dir);
  if (comm->is_root()) atomic_write((dir / "config.pbtxt").string(), config::to_text(cfg));
  LoopState state;
  const std::optional<Checkpoint> resume = resume_point(summary.run_dir, options, res.policy, state, *comm);
  broadcast_weights(res.policy, *comm);
  summary.parameters = res.policy.shape().parameter_count();
  spdlog::info("run {}: {} parameters, env {}, {} eval tasks, {} threads on {}{}", summary.run_dir,
               summary.parameters, res.env->name(), res.eval_tasks.size(), res.threads, cfg.model().device(),
               comm->distributed() ? fmt::format(", rank {} of {}", comm->rank(), comm->world_size()) : "");
  const auto metrics = open_metrics(cfg, dir, *comm);
  RunContext ctx{cfg,      summary.run_dir, res.policy,       *res.env, res.verifiers,
                 *metrics, res.eval_tasks,  res.harder_tasks, *comm};

  SftSpec sft_spec;
  sft_spec.steps = cfg.sft().steps();
  const SftOutcome sft = run_sft(ctx, state, sft_spec, resume_of(resume, Phase::kSft));
  summary.sft_steps = sft.steps;
  summary.sft_early_stopped = sft.early_stopped;
  summary.sft_final_loss = sft.last_loss;
  if (state.phase == Phase::kSft) state.phase_done = true;
  // The SFT result stays on disk, unpruned: the KL reference, the control's
  // start and the "before RL" row of the summary.
  const std::string sft_final = (dir / "sft_final.pt").string();
  if (comm->is_root() && !fs::exists(sft_final)) save_checkpoint(sft_final, res.policy, nullptr, state);
  comm->barrier();  // the other ranks read it: the KL reference, the controls
  const double sft_flops = state.flops.get(FlopCategory::kSftTrain);
  const double sft_seconds = state.sft_seconds;

  const bool rl = cfg.rl().steps() > 0;
  if (rl) run_rl(ctx, state, resume_of(resume, Phase::kRl), sft_final);
  const double rl_train_flops = state.flops.training_total() - sft_flops;
  // Every phase's policy is evaluated on the same tasks for the summary.
  summary.phases.push_back(rl ? saved_sft_row(ctx, sft_final, state, summary.sft_steps, sft_flops, sft_seconds)
                              : sft_row(ctx, res.policy, state, summary.sft_steps, sft_flops, sft_seconds));
  if (rl) {
    summary.rl_algorithm = config::Algorithm_Name(cfg.rl().algorithm());
    summary.phases.push_back(phase_summary("rl", state.step, rl_train_flops, state.rl_seconds,
                                       evaluate_policy(ctx, res.policy, state)));
    for (const PhaseSummary& control : run_controls(ctx, sft_final, rl_train_flops)) summary.phases.push_back(control);
  }
  const PhaseSummary& final_phase = summary.phases[rl ? 1 : 0];
  summary.eval_accuracy = final_phase.accuracy;
  summary.eval_correct = final_phase.correct;
  summary.eval_tasks = final_phase.tasks;
  summary.seconds = seconds_since(start);
  if (comm->is_root()) write_summary(summary);
  return summary;
}

}  // namespace rlvr::trainer
