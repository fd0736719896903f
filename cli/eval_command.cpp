#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <iostream>

#include "cli/commands.h"
#include "trainer/inference.h"

namespace rlvr::cli {
namespace {

struct EvalArgs {
  std::string path;
  std::string split = "eval";
  int num_tasks = -1;
  double temperature = -1;
  bool json = false;
  std::vector<std::string> overrides;
};

void run(EvalArgs args) {
  if (args.num_tasks >= 0) args.overrides.push_back(fmt::format("eval.num_tasks={}", args.num_tasks));
  if (args.temperature >= 0) {
    args.overrides.push_back(fmt::format("eval.sampling.temperature={}", args.temperature));
  }
  const auto r = trainer::evaluate_checkpoint(args.path, args.overrides, args.split);
  if (args.json) {
    nlohmann::ordered_json j;
    j["split"] = args.split;
    j["accuracy"] = r.accuracy;
    j["correct"] = r.correct;
    j["tasks"] = r.tasks;
    j["mean_reward"] = r.mean_reward;
    j["mean_completion_tokens"] = r.mean_completion_tokens;
    j["seconds"] = r.seconds;
    j["statuses"] = r.statuses;
    std::cout << j.dump() << std::endl;
    return;
  }
  std::cout << fmt::format("{} accuracy {:.1f}% ({}/{}), mean reward {:.3f}, {:.1f} tokens per "
                           "completion, {:.1f}s\n",
                           args.split, 100 * r.accuracy, r.correct, r.tasks, r.mean_reward,
                           r.mean_completion_tokens, r.seconds);
  for (const auto& [status, count] : r.statuses) {
    std::cout << fmt::format("  {:<10} {}\n", status, count);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "Measure a trained policy's accuracy with the verifier");
  cmd->add_option("path", args->path, "Run directory (newest checkpoint) or checkpoint file")
      ->required();
  cmd->add_option("--split", args->split, "eval (held-out tasks) or train (fresh training tasks)")
      ->check(CLI::IsMember({"eval", "train"}))
      ->capture_default_str();
  cmd->add_option("--num-tasks", args->num_tasks, "Tasks to evaluate (default: eval.num_tasks)");
  cmd->add_option("--temperature", args->temperature,
                  "Sampling temperature, 0 for greedy (default: eval.sampling.temperature)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
