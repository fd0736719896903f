#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "core/text_util.h"
#include "scaling/test_time_tasks.h"
#include "trainer/inference.h"

namespace rlvr::cli {
namespace {

struct EvalArgs {
  std::string path;
  std::string split = "eval";
  int num_tasks = -1;
  double temperature = -1;
  bool json = false;
  int samples = 0;
  std::string ks = "1,2,4,8";
  std::string csv;
  std::vector<std::string> overrides;
};

std::vector<int64_t> parse_ks(const std::string& text, int samples) {
  std::vector<int64_t> ks;
  for (const std::string& part : split(text, ',')) {
    try {
      ks.push_back(std::stoll(trim(part)));
    } catch (const std::exception&) {
      throw Error("--k: '" + part + "' is not an integer (expected e.g. 1,2,4,8)");
    }
  }
  if (ks.empty()) ks.push_back(samples);
  return ks;
}

// pass@k, maj@k and best-of-k against k, with the FLOPs k samples cost.
void run_test_time(const EvalArgs& args) {
  const double temperature = args.temperature > 0 ? args.temperature : 1.0;
  const auto r = trainer::evaluate_test_time(args.path, args.overrides, args.samples,
                                             parse_ks(args.ks, args.samples), temperature);
  std::string csv = "k,pass_at_k,maj_at_k,best_of_k,flops_per_task\n";
  nlohmann::ordered_json rows = nlohmann::json::array();
  for (const auto& p : r.points) {
    csv += fmt::format("{},{},{},{},{}\n", p.k, p.pass_at_k, p.maj_at_k, p.best_of_k, p.flops_per_task);
    rows.push_back({{"k", p.k}, {"pass@k", p.pass_at_k}, {"maj@k", p.maj_at_k},
                    {"best_of_k", p.best_of_k}, {"flops_per_task", p.flops_per_task}});
  }
  if (!args.csv.empty()) {
    atomic_write(args.csv, csv);
    scaling::write_task_outcomes(scaling::task_outcomes_path(args.csv), r.outcomes);
  }
  if (args.json) {
    nlohmann::ordered_json j;
    j["tasks"] = r.tasks;
    j["samples"] = r.samples;
    j["temperature"] = r.temperature;
    j["points"] = rows;
    j["seconds"] = r.seconds;
    std::cout << j.dump() << std::endl;
    return;
  }
  std::cout << fmt::format("{} tasks x {} samples at temperature {}, {:.1f}s\n", r.tasks, r.samples,
                           r.temperature, r.seconds)
            << fmt::format("{:>5} {:>9} {:>9} {:>10} {:>14}\n", "k", "pass@k", "maj@k", "best-of-k",
                           "FLOPs/task");
  for (const auto& p : r.points) {
    std::cout << fmt::format("{:>5} {:>8.1f}% {:>8.1f}% {:>9.1f}% {:>14.3g}\n", p.k, 100 * p.pass_at_k,
                             100 * p.maj_at_k, 100 * p.best_of_k, p.flops_per_task);
  }
}

void run(EvalArgs args) {
  if (args.num_tasks >= 0) args.overrides.push_back(fmt::format("eval.num_tasks={}", args.num_tasks));
  if (args.samples > 0) return run_test_time(args);
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
  cmd->add_option("--samples", args->samples,
                  "Test-time compute: sample N completions per task and report pass@k, maj@k and "
                  "best-of-k (at --temperature, default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--k", args->ks, "With --samples: comma-separated k values")->capture_default_str();
  cmd->add_option("--csv", args->csv,
                  "With --samples: also write the table as CSV to this file, and each task's sample "
                  "verdicts to F_tasks.csv beside it (what `rlvr report` fits the test-time law to)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
