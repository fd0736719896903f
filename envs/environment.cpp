#include "envs/environment.h"

#include <map>
#include <mutex>

#include "core/error.h"
#include "core/text_util.h"
#include "envs/arithmetic_env.h"
#include "envs/countdown_env.h"
#include "envs/jsonl_env.h"
#include "envs/program_synthesis_env.h"

namespace rlvr::envs {
namespace {

template <typename Env>
EnvironmentFactory factory_of() {
  return [](const config::EnvConfig& config) { return std::make_unique<Env>(config); };
}

// Built on first use with every built-in environment: static self-registration
// would be dropped by the linker, since nothing references those objects.
struct Registry {
  std::mutex mutex;
  std::map<std::string, EnvironmentFactory> factories{
      {"arithmetic", factory_of<ArithmeticEnvironment>()},
      {"countdown", factory_of<CountdownEnvironment>()},
      {"jsonl", factory_of<JsonlEnvironment>()},
      {"program_synthesis", factory_of<ProgramSynthesisEnvironment>()},
  };
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

const char* split_name(Split split) { return split == Split::kTrain ? "train" : "eval"; }

void register_environment(const std::string& name, EnvironmentFactory factory) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[name] = std::move(factory);
}

std::unique_ptr<Environment> make_environment(const config::EnvConfig& config) {
  EnvironmentFactory factory;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    const auto it = r.factories.find(config.name());
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    const std::vector<std::string> known = environment_names();
    std::string message =
        "unknown environment '" + config.name() + "' (known: " + join(known, ", ") + ")";
    const std::string guess = closest_match(config.name(), known);
    if (!guess.empty()) message += "; did you mean '" + guess + "'?";
    throw Error(message);
  }
  return factory(config);
}

std::vector<std::string> environment_names() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& entry : r.factories) names.push_back(entry.first);
  return names;
}

}  // namespace rlvr::envs
