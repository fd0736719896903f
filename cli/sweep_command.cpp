// `rlvr sweep FILE`: run every point of a sweep (resumably, several at once),
// or one point (--only-index, for schedulers), emit a Slurm array script, or
// summarize the results.
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "core/text_util.h"
#include "scaling/sweep_summary.h"
#include "sweep/slurm_script.h"
#include "sweep/sweep_plan.h"
#include "sweep/sweep_runner.h"

namespace rlvr::cli {
namespace {

namespace fs = std::filesystem;

struct SweepArgs {
  std::string file;
  int workers = 0;
  int cores = 0;
  int64_t only_index = -1;
  std::string emit;
  bool summarize = false;
  bool list = false;
  int ranks_per_point = 1;
};

std::string own_executable() {
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) throw Error("sweep: cannot find the rlvr executable (/proc/self/exe)");
  return std::string(path, static_cast<size_t>(length));
}

void summarize(const sweep::SweepPlan& plan) {
  const scaling::SweepSummary summary = scaling::summarize_sweep(plan.dir);
  std::cout << fmt::format("summary: {}\n         {}\n", summary.csv_path, summary.markdown_path);
}

void run(const SweepArgs& args) {
  const sweep::SweepPlan plan = sweep::load_sweep(args.file);
  if (args.list) {
    for (const auto& point : plan.points) {
      std::cout << fmt::format("{:>4}  {:<40} {}{}\n", point.index, point.name, join(point.overrides, " "),
                               sweep::point_done(point) ? "  (done)" : "");
    }
    return;
  }
  if (!args.emit.empty()) {
    sweep::write_manifest(plan);
    const std::string path = plan.dir + "/sweep.sbatch";
    sweep::SlurmOptions options{own_executable(), fs::absolute(args.file).string(), fs::current_path().string(),
                                args.cores > 0 ? args.cores : 2, args.ranks_per_point};
    atomic_write(path, sweep::slurm_script(plan, options));
    fs::permissions(path, fs::perms::owner_exec, fs::perm_options::add);
    std::cout << fmt::format("wrote {} ({} array tasks): sbatch {}\n", path, plan.points.size(), path);
    return;
  }
  if (args.summarize) return summarize(plan);
  if (args.only_index >= static_cast<int64_t>(plan.points.size())) {
    throw ConfigError(fmt::format("--only-index {}: the sweep has {} points (0..{})", args.only_index,
                                  plan.points.size(), plan.points.size() - 1));
  }
  sweep::RunOptions options;
  options.rlvr_binary = own_executable();
  options.workers = args.only_index >= 0 ? 1 : (args.workers > 0 ? args.workers : plan.config.workers());
  options.cores = args.cores;
  options.ranks_per_point = args.ranks_per_point;
  if (args.only_index >= 0) options.only_index = static_cast<size_t>(args.only_index);
  spdlog::info("sweep {}: {} points in {}, {} at once", plan.config.name(), plan.points.size(), plan.dir,
               options.workers);
  const sweep::RunOutcome outcome = sweep::run_sweep(plan, options);
  std::cout << fmt::format("sweep {}: {} done now, {} already done, {} failed\n", plan.config.name(), outcome.done,
                           outcome.skipped, outcome.failed);
  if (!options.only_index) summarize(plan);
  if (outcome.failed > 0) throw Error(fmt::format("{} point(s) failed; their errors are in the summary", outcome.failed));
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run every point of a sweep (a base config and axes over its fields): several at once, skipping\n"
      "finished points and resuming interrupted ones; then summarize (CSV, Markdown, plots).");
  cmd->add_option("file", args->file, "Sweep config (.pbtxt, see configs/sweeps/)")->required();
  cmd->add_option("--workers", args->workers, "Points at once (default: the sweep's workers)");
  cmd->add_option("--cores", args->cores, "Cores to split between the workers (default: this machine's)");
  cmd->add_option("--only-index", args->only_index, "Run only point I (for schedulers: Slurm array tasks)")
      ->type_name("I");
  cmd->add_option("--emit", args->emit, "Write a scheduler script instead of running: slurm")
      ->check(CLI::IsMember({"slurm"}));
  cmd->add_option("--ranks-per-point", args->ranks_per_point,
                  "Train each point data-parallel as N ranks sharing its worker's cores (rlvr train --nproc N); "
                  "with --emit slurm, on each array task's CPUs")
      ->check(CLI::Range(1, 1024))
      ->type_name("N");
  cmd->add_flag("--summarize", args->summarize, "Only aggregate the results: summary.csv, summary.md, plots");
  cmd->add_flag("--list", args->list, "Print the points (index, name, overrides) and exit");
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
