#include <spdlog/fmt/fmt.h>
#include <sys/resource.h>

#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/local_ranks.h"
#include "core/config.h"
#include "core/error.h"
#include "core/files.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandbox_bench.h"
#include "trainer/bench.h"
#include "trainer/world.h"

namespace rlvr::cli {
namespace {

struct BenchArgs {
  std::string what;
  std::string config_path = "configs/quickstart.pbtxt";
  int iterations = 5;
  std::string workload;
  bool greedy = false;
  std::string init;
  std::string json_out;
  std::string tokens_out;
  std::string profile;
  int nproc = 1;
  std::vector<std::string> overrides;
};

// The process's peak resident set so far, in MB (what /usr/bin/time reports).
double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void write_json(const std::string& path, nlohmann::json j) {
  if (path.empty()) return;
  j["peak_rss_mb"] = peak_rss_mb();
  atomic_write(path, j.dump(2) + "\n");
}

void run_rl_step(const config::LoadedConfig& loaded, const trainer::BenchOptions& options,
                 const BenchArgs& args) {
  const auto b = trainer::bench_rl_step(loaded, options);
  if (trainer::world_from_environment().rank != 0) return;  // rank 0 reports for all
  const auto share = [&](double s) { return b.total_seconds > 0 ? 100 * s / b.total_seconds : 0; };
  std::cout << fmt::format(
      "bench rl-step: {:.3f} s per step (median of {}) | {} prompts x {} samples | {}{} threads on {}\n",
      b.total_seconds, b.steps, b.prompts, b.group_size, b.ranks > 1 ? fmt::format("{} ranks x ", b.ranks) : "",
      b.threads, b.device);
  std::cout << fmt::format("  generation    {:.3f} s  {:5.1f}%\n", b.generate_seconds, share(b.generate_seconds));
  std::cout << fmt::format("  verification  {:.3f} s  (overlapped; waited {:.3f} s, {:.1f}%)\n",
                           b.verify_seconds, b.verify_wait_seconds, share(b.verify_wait_seconds));
  std::cout << fmt::format("  training      {:.3f} s  {:5.1f}%\n", b.train_seconds, share(b.train_seconds));
  if (b.ranks > 1) {
    std::cout << fmt::format("  collectives   all-reduce {:.3f} s ({:.1f}%, in training), all-gather of the "
                             "rollouts {:.3f} s ({:.1f}%, in generation); both include waiting for the slower rank\n",
                             b.all_reduce_seconds, share(b.all_reduce_seconds), b.all_gather_seconds,
                             share(b.all_gather_seconds));
  }
  if (b.flops_needed > 0) {
    std::cout << fmt::format("  {:.0f} completion tokens, {:.2f} GFLOP needed: {:.1f} GFLOP/s\n",
                             b.completion_tokens, b.flops_needed / 1e9, b.flops_needed / b.total_seconds / 1e9);
  }
  std::cout << fmt::format("  peak RSS {:.0f} MB\n", peak_rss_mb());
  write_json(args.json_out, {{"seconds_per_step", b.total_seconds},
                             {"generate_seconds", b.generate_seconds},
                             {"train_seconds", b.train_seconds},
                             {"verify_wait_seconds", b.verify_wait_seconds},
                             {"completion_tokens", b.completion_tokens},
                             {"flops_needed", b.flops_needed},
                             {"threads", b.threads},
                             {"ranks", b.ranks},
                             {"all_reduce_seconds", b.all_reduce_seconds},
                             {"all_gather_seconds", b.all_gather_seconds},
                             {"device", b.device}});
}

// Sandboxed Python runs against plain fork/exec, on the sandbox of the
// config's code verifier.
void run_sandbox(const config::LoadedConfig& loaded, int iterations) {
  const config::SandboxConfig& sandbox_config = loaded.config.verifier().code().sandbox();
  const int clients = sandbox::worker_count(sandbox_config);
  const int requests = 100 * iterations;
  const auto report = sandbox::bench_sandbox(sandbox_config, clients, requests);
  std::cout << fmt::format("bench sandbox: {} workers, {} clients at once, {} requests per row, {}\n",
                           report.workers, report.clients, requests, report.python);
  std::cout << fmt::format("  {:<13} {:<18} {:>8} {:>9} {:>9} {:>6}\n", "workload", "system", "exec/s",
                           "p50 ms", "p99 ms", "fails");
  for (const auto& row : report.rows) {
    std::cout << fmt::format("  {:<13} {:<18} {:>8.0f} {:>9.2f} {:>9.2f} {:>6}\n", row.workload, row.system,
                             row.executions_per_second, row.p50_ms, row.p99_ms, row.failures);
  }
  for (size_t i = 0; i + 1 < report.rows.size(); i += 2) {
    std::cout << fmt::format("  {}: rlvr pool is {:.1f}x fork/exec\n", report.rows[i].workload,
                             report.rows[i].executions_per_second / report.rows[i + 1].executions_per_second);
  }
}

void run(const BenchArgs& args) {
  if (args.nproc > 1) {
    if (args.what != "rl-step") throw ConfigError("--nproc: only `bench rl-step` runs data-parallel");
    return run_local_ranks(args.nproc);
  }
  const auto loaded = config::load(args.config_path, args.overrides);
  if (args.what == "sandbox") return run_sandbox(loaded, args.iterations);
  std::optional<trainer::BenchWorkload> workload;
  if (!args.workload.empty()) workload = trainer::read_bench_workload(args.workload);
  trainer::BenchOptions options;
  options.iterations = args.iterations;
  options.workload = workload ? &*workload : nullptr;
  options.greedy = args.greedy;
  options.init = args.init;
  options.profile = args.profile;
  if (args.what == "rl-step") return run_rl_step(loaded, options, args);
  const auto r = args.what == "generate" ? trainer::bench_generate(loaded, options)
                                         : trainer::bench_train(loaded, options);
  const double flop_rate = r.flops_needed / r.median_seconds;
  std::cout << fmt::format(
      "bench {}: {:.0f} tokens/s median over {} runs | {} threads on {} | {:.3f} M parameters | "
      "batch {} | {} tokens per run | {:.1f} GFLOP/s of needed work | peak RSS {:.0f} MB\n",
      r.name, r.median_tokens_per_second, r.tokens_per_second.size(), r.threads, r.device,
      r.parameters / 1e6, r.batch, r.tokens, flop_rate / 1e9, peak_rss_mb());
  std::cout << "  runs (tokens/s):";
  for (double t : r.tokens_per_second) std::cout << fmt::format(" {:.0f}", t);
  std::cout << '\n';
  write_json(args.json_out, {{"tokens_per_second", r.median_tokens_per_second},
                             {"seconds", r.median_seconds},
                             {"runs", r.tokens_per_second},
                             {"tokens", r.tokens},
                             {"batch", r.batch},
                             {"flops_needed", r.flops_needed},
                             {"threads", r.threads},
                             {"device", r.device}});
  if (!args.tokens_out.empty()) atomic_write(args.tokens_out, nlohmann::json{{"tokens", r.completions}}.dump() + "\n");
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Measure tokens/s of generation or training, the time split of an RL step, or sandboxed\n"
      "Python executions per second against plain fork/exec (sandbox: 100 x --iterations requests).\n"
      "bench/peers/run.sh runs generate and rl-step on a --workload beside transformers and TRL");
  cmd->add_option("what", args->what, "generate, train, rl-step or sandbox")
      ->required()
      ->check(CLI::IsMember({"generate", "train", "rl-step", "sandbox"}));
  cmd->add_option("config", args->config_path, "Experiment config (.pbtxt)")->capture_default_str();
  cmd->add_option("--iterations", args->iterations, "Measured runs (after one warm-up)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--workload", args->workload,
                  "generate / rl-step: a workload JSON (bench/peers/make_workload.py): exact prompt ids,\n"
                  "samples per prompt and max new tokens, instead of the config's prompts")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--greedy", args->greedy, "generate: argmax decoding instead of sampling at temperature 1");
  cmd->add_option("--init", args->init, "Load the weights of this run directory or checkpoint first");
  cmd->add_option("--json-out", args->json_out, "Also write the figures (and peak RSS) to this JSON file");
  cmd->add_option("--nproc", args->nproc,
                  "rl-step: data-parallel ranks on this machine (runtime.threads is per rank; 0 splits the "
                  "cores); the step's time shows the all-reduce and all-gather")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--tokens-out", args->tokens_out, "generate: write the last run's completion ids here (JSON)");
  cmd->add_option("--profile", args->profile,
                  "Write a Chrome trace of every torch op of the measured runs here\n"
                  "(bench/profile_top.py TRACE prints the ops that took the most time)");
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
