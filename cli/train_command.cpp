#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/local_ranks.h"
#include "core/config.h"
#include "core/error.h"
#include "core/progress.h"
#include "trainer/train.h"
#include "trainer/world.h"

namespace rlvr::cli {
namespace {

struct TrainArgs {
  std::string config_path;
  std::string resume;
  bool overwrite = false;
  int nproc = 1;
  std::vector<std::string> overrides;
};

std::string percent_or_dash(double fraction) {
  return fraction >= 0 ? fmt::format("{:.1f}%", 100 * fraction) : "-";
}

void print_summary(const trainer::TrainSummary& s) {
  const bool harder = std::any_of(s.phases.begin(), s.phases.end(),
                                  [](const trainer::PhaseSummary& p) { return p.harder_accuracy >= 0; });
  std::cout << "\n== rlvr train: done ==\n"
            << fmt::format("run dir     {}\n", s.run_dir)
            << fmt::format("parameters  {:.3f} M\n", s.parameters / 1e6)
            << fmt::format("sft steps   {}{}\n", s.sft_steps,
                           s.sft_early_stopped ? " (stopped early on training accuracy)" : "")
            << fmt::format("wall time   {}\n\n", Progress::format_duration(s.seconds))
            << fmt::format("{:<22} {:>7} {:>10} {:>8} {:>18} {:>8}{}\n", "phase", "steps", "FLOPs", "time",
                           "eval accuracy", "pass@1", harder ? fmt::format(" {:>10}", "harder") : "");
  for (const auto& p : s.phases) {
    std::cout << fmt::format("{:<22} {:>7} {:>10.3g} {:>8} {:>6.1f}% {:>11} {:>8}{}\n", p.name, p.steps, p.flops,
                             Progress::format_duration(p.seconds), 100 * p.accuracy,
                             fmt::format("{}/{}", p.correct, p.tasks), percent_or_dash(p.pass_at_1),
                             harder ? fmt::format(" {:>10}", percent_or_dash(p.harder_accuracy)) : "");
  }
  if (s.phases.size() >= 2) {
    const auto& rl = s.phases[1];
    std::cout << fmt::format("\nRL gain over SFT: {:+.1f} points", 100 * (rl.accuracy - s.phases[0].accuracy));
    for (size_t i = 2; i < s.phases.size(); ++i) {
      std::cout << fmt::format("; over {}: {:+.1f}", s.phases[i].name, 100 * (rl.accuracy - s.phases[i].accuracy));
    }
    std::cout << (s.phases.size() > 2 ? " (controls spend RL's compute)\n" : "\n");
  }
  std::cout << fmt::format("next: rlvr eval {0}   |   rlvr generate {0} --prompt ...\n", s.run_dir);
}

void run(const TrainArgs& args) {
  if (args.nproc > 1) {
    if (trainer::world_from_environment().world_size > 1) {
      throw ConfigError("--nproc starts ranks itself: drop it under torchrun or srun, which start them");
    }
    run_local_ranks(args.nproc);
    return;
  }
  // Rank 0 speaks for the run; the others only warn and fail.
  const bool root = trainer::world_from_environment().rank == 0;
  if (!root) {
    spdlog::set_level(spdlog::level::warn);
    if (std::freopen("/dev/null", "w", stdout) == nullptr) spdlog::warn("could not silence this rank's stdout");
  }
  trainer::TrainOptions options;
  options.overwrite = args.overwrite;
  config::LoadedConfig loaded = [&] {
    if (!args.resume.empty()) {
      if (!args.config_path.empty()) {
        throw ConfigError("give either CONFIG or --resume RUN_DIR, not both (a resumed run uses "
                          "RUN_DIR/config.pbtxt; adjust it with --set)");
      }
      options.resume = true;
      return trainer::load_run_config(args.resume, args.overrides);
    }
    if (args.config_path.empty()) throw ConfigError("train needs CONFIG or --resume RUN_DIR");
    return config::load(args.config_path, args.overrides);
  }();
  if (options.resume) loaded.config.mutable_output()->set_run_dir(args.resume);
  const trainer::TrainSummary summary = trainer::train(loaded, options);
  if (root) print_summary(summary);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a policy from a config: SFT warm-up, then evaluation on held-out tasks");
  cmd->add_option("config", args->config_path, "Experiment config (.pbtxt)");
  cmd->add_option("--resume", args->resume,
                  "Continue the run in RUN_DIR from its newest checkpoint")
      ->type_name("RUN_DIR");
  cmd->add_flag("--overwrite", args->overwrite, "Delete an existing run in output.run_dir first");
  cmd->add_option("--nproc", args->nproc,
                  "Data-parallel ranks to start on this machine (Gloo on CPU, NCCL on CUDA); under torchrun "
                  "or srun leave it out (docs/distributed.md)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
