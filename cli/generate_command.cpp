#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "trainer/inference.h"

namespace rlvr::cli {
namespace {

struct GenerateArgs {
  std::string path;
  std::vector<std::string> prompts;
  std::string prompts_file;
  int samples = 1;
  double temperature = -1;
  int max_new_tokens = 0;
  bool json = false;
  std::vector<std::string> overrides;
};

void run(GenerateArgs args) {
  if (!args.prompts_file.empty()) {
    std::ifstream in(args.prompts_file);
    if (!in) throw Error("cannot read prompts file '" + args.prompts_file + "'");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) args.prompts.push_back(line);
    }
  }
  if (args.prompts.empty()) throw Error("no prompt given: use --prompt TEXT or --prompts-file FILE");
  if (args.temperature >= 0) {
    args.overrides.push_back(fmt::format("eval.sampling.temperature={}", args.temperature));
  }
  if (args.max_new_tokens > 0) {
    args.overrides.push_back(fmt::format("eval.sampling.max_new_tokens={}", args.max_new_tokens));
  }
  const auto samples =
      trainer::generate_from_checkpoint(args.path, args.overrides, args.prompts, args.samples);
  for (const auto& s : samples) {
    if (args.json) {
      nlohmann::ordered_json j;
      j["prompt"] = s.prompt;
      j["completion"] = s.completion;
      j["finished"] = s.finished;
      j["logprob"] = s.logprob;
      std::cout << j.dump() << '\n';
    } else {
      std::cout << s.prompt << s.completion << (s.finished ? "" : " [truncated]") << '\n';
    }
  }
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "Sample completions from a trained policy");
  cmd->add_option("path", args->path, "Run directory (newest checkpoint) or checkpoint file")
      ->required();
  cmd->add_option("--prompt", args->prompts, "Prompt text (repeatable)")->allow_extra_args(false);
  cmd->add_option("--prompts-file", args->prompts_file, "File with one prompt per line");
  cmd->add_option("-n,--samples", args->samples, "Completions per prompt")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--temperature", args->temperature,
                  "Sampling temperature, 0 for greedy (default: eval.sampling.temperature)");
  cmd->add_option("--max-new-tokens", args->max_new_tokens,
                  "Completion length cap (default: eval.sampling.max_new_tokens)");
  cmd->add_flag("--json", args->json, "Print one JSON object per completion");
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
