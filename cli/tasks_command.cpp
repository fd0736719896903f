// `rlvr tasks`: what can be trained on. Lists the environments (with each
// procedural generator's difficulty attributes and their values per level)
// and the verifiers; `rlvr tasks NAME --level L --samples N` prints sample
// tasks of one environment at one level.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/text_util.h"
#include "envs/environment.h"
#include "envs/task_generator.h"
#include "verifiers/verifier.h"

namespace rlvr::cli {
namespace {

struct TasksArgs {
  std::string name;
  int level = 0;
  int samples = 3;
  uint64_t seed = 1234;
  bool json = false;
};

nlohmann::json generator_json(const envs::TaskGenerator& generator) {
  nlohmann::json attributes = nlohmann::json::array();
  for (const envs::DifficultyAttribute& a : generator.attributes()) {
    attributes.push_back({{"name", a.name}, {"description", a.description}, {"levels", a.levels}});
  }
  return {{"levels", generator.num_levels()}, {"attributes", attributes}};
}

nlohmann::json catalogue() {
  nlohmann::json out{{"environments", nlohmann::json::object()}, {"verifiers", verifiers::verifier_names()}};
  for (const std::string& name : envs::environment_names()) {
    config::EnvConfig config;
    config.set_name(name);
    const auto generator = envs::make_generator(name, config);
    out["environments"][name] = generator ? generator_json(*generator) : nlohmann::json::object();
  }
  return out;
}

void print_catalogue(const nlohmann::json& c) {
  std::cout << "Environments (procedural generators with their difficulty levels; set env.level, or\n"
               "env.difficulty { attribute: ... value: ... } for one attribute):\n";
  for (const auto& [name, info] : c["environments"].items()) {
    if (!info.contains("levels")) {
      std::cout << "  " << name << "\n";
      continue;
    }
    std::cout << "  " << name << " (levels 0.." << info["levels"].get<int>() - 1 << ")\n";
    for (const auto& a : info["attributes"]) {
      std::vector<std::string> values;
      for (const auto& v : a["levels"]) values.push_back(std::to_string(v.get<int64_t>()));
      std::cout << "      " << a["name"].get<std::string>() << ": " << join(values, " ") << "  ("
                << a["description"].get<std::string>() << ")\n";
    }
  }
  std::cout << "Verifiers: " << join(c["verifiers"].get<std::vector<std::string>>(), ", ") << "\n"
            << "See docs/task-types.md, and rlvr tasks NAME --level L to see tasks.\n";
}

void print_samples(const TasksArgs& args) {
  config::EnvConfig config;
  config.set_name(args.name);
  config.set_seed(args.seed);
  if (envs::make_generator(args.name, config) != nullptr) config.set_level(args.level);
  const auto env = envs::make_environment(config);
  nlohmann::json tasks = nlohmann::json::array();
  for (int i = 0; i < args.samples; ++i) {
    const Task t = env->task(envs::Split::kTrain, static_cast<size_t>(i));
    tasks.push_back({{"id", t.id}, {"prompt", t.prompt}, {"solution", t.solution}, {"reference", t.reference},
                     {"verifier", t.verifier}});
  }
  if (args.json) {
    std::cout << tasks.dump(2) << "\n";
    return;
  }
  for (const auto& t : tasks) {
    std::cout << t["id"].get<std::string>() << " (" << t["verifier"].get<std::string>() << ")\n  prompt:   "
              << t["prompt"].get<std::string>() << "\n  solution: " << t["solution"].get<std::string>() << "\n";
  }
}

}  // namespace

void add_tasks_command(CLI::App& app) {
  auto args = std::make_shared<TasksArgs>();
  CLI::App* cmd = app.add_subcommand("tasks", "List environments, difficulty levels and verifiers, or show tasks");
  cmd->add_option("name", args->name, "An environment: print sample training tasks of it");
  cmd->add_option("--level", args->level, "Difficulty level of the samples (procedural generators)")
      ->capture_default_str();
  cmd->add_option("--samples", args->samples, "How many tasks to print")->capture_default_str()->check(
      CLI::Range(1, 1000));
  cmd->add_option("--seed", args->seed, "env.seed of the samples")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args] {
    if (!args->name.empty()) return print_samples(*args);
    const nlohmann::json c = catalogue();
    if (args->json) {
      std::cout << c.dump(2) << "\n";
    } else {
      print_catalogue(c);
    }
  });
}

}  // namespace rlvr::cli
