#include <spdlog/fmt/fmt.h>

#include <iostream>

#include "cli/commands.h"
#include "core/config.h"
#include "trainer/bench.h"

namespace rlvr::cli {
namespace {

struct BenchArgs {
  std::string what;
  std::string config_path = "configs/quickstart.pbtxt";
  int iterations = 5;
  std::vector<std::string> overrides;
};

void run(const BenchArgs& args) {
  const auto loaded = config::load(args.config_path, args.overrides);
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
      "bench", "Measure tokens/s of generation or training for a config's model");
  cmd->add_option("what", args->what, "generate or train")
      ->required()
      ->check(CLI::IsMember({"generate", "train"}));
  cmd->add_option("config", args->config_path, "Experiment config (.pbtxt)")->capture_default_str();
  cmd->add_option("--iterations", args->iterations, "Measured runs (after one warm-up)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
