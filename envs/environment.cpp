#include "envs/environment.h"

namespace rlvr::envs {
namespace {

Registry<EnvironmentFactory>& registry() {
  // Built on first use: registrations run while the program starts, in no
  // fixed order across files.
  static Registry<EnvironmentFactory> instance("environment");
  return instance;
}

}  // namespace

const char* split_name(Split split) { return split == Split::kTrain ? "train" : "eval"; }

void register_environment(const std::string& name, EnvironmentFactory factory) {
  registry().add(name, std::move(factory));
}

std::unique_ptr<Environment> make_environment(const config::EnvConfig& config) {
  return registry().get(config.name())(config);
}

std::vector<std::string> environment_names() { return registry().names(); }

}  // namespace rlvr::envs
