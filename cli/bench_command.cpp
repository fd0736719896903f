#include <spdlog/fmt/fmt.h>

#include <iostream>

#include "cli/commands.h"
#include "core/config.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandbox_bench.h"
#include "trainer/bench.h"

namespace rlvr::cli {
namespace {

struct BenchArgs {
  std::string what;
  std::string config_path = "configs/quickstart.pbtxt";
  int iterations = 5;
  std::vector<std::string> overrides;
};

void run_rl_step(const config::LoadedConfig& loaded, int iterations) {
  const auto b = trainer::bench_rl_step(loaded, iterations);
  const auto share = [&](double s) { return b.total_seconds > 0 ? 100 * s / b.total_seconds : 0; };
  std::cout << fmt::format(
      "bench rl-step: {:.3f} s per step (median of {}) | {} prompts x {} samples | {} threads on {}\n",
      b.total_seconds, b.steps, b.prompts, b.group_size, b.threads, b.device);
  std::cout << fmt::format("  generation    {:.3f} s  {:5.1f}%\n", b.generate_seconds, share(b.generate_seconds));
  std::cout << fmt::format("  verification  {:.3f} s  (overlapped; waited {:.3f} s, {:.1f}%)\n",
                           b.verify_seconds, b.verify_wait_seconds, share(b.verify_wait_seconds));
  std::cout << fmt::format("  training      {:.3f} s  {:5.1f}%\n", b.train_seconds, share(b.train_seconds));
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
  const auto loaded = config::load(args.config_path, args.overrides);
  if (args.what == "rl-step") return run_rl_step(loaded, args.iterations);
  if (args.what == "sandbox") return run_sandbox(loaded, args.iterations);
  const auto r = args.what == "generate" ? trainer::bench_generate(loaded, args.iterations)
                                         : trainer::bench_train(loaded, args.iterations);
  std::cout << fmt::format(
      "bench {}: {:.0f} tokens/s median over {} runs | {} threads on {} | {:.3f} M parameters | "
      "batch {} | {} tokens per run\n",
      r.name, r.median_tokens_per_second, r.tokens_per_second.size(), r.threads, r.device,
      r.parameters / 1e6, r.batch, r.tokens);
  std::cout << "  runs (tokens/s):";
  for (double t : r.tokens_per_second) std::cout << fmt::format(" {:.0f}", t);
  std::cout << '\n';
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Measure tokens/s of generation or training, the time split of an RL step, or sandboxed\n"
      "Python executions per second against plain fork/exec (sandbox: 100 x --iterations requests)");
  cmd->add_option("what", args->what, "generate, train, rl-step or sandbox")
      ->required()
      ->check(CLI::IsMember({"generate", "train", "rl-step", "sandbox"}));
  cmd->add_option("config", args->config_path, "Experiment config (.pbtxt)")->capture_default_str();
  cmd->add_option("--iterations", args->iterations, "Measured runs (after one warm-up)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
