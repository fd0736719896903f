// Environment: a source of tasks with a training split and a held-out eval split.
//
// Implementations are immutable after construction and thread-safe: task() may be
// called concurrently. Splits are disjoint and a pure function of the config
// (seed included), so a run and its resumption see the same tasks.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.pb.h"
#include "core/registry.h"
#include "core/task.h"

namespace rlvr::envs {

enum class Split { kTrain, kEval };

const char* split_name(Split split);

class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::string name() const = 0;
  // Number of tasks in the split. Procedural train splits are effectively
  // unbounded and report a large number; index them freely.
  virtual size_t size(Split split) const = 0;
  // The index-th task of the split; throws rlvr::Error if index >= size(split).
  virtual Task task(Split split, size_t index) const = 0;
};

using EnvironmentFactory =
    std::function<std::unique_ptr<Environment>(const config::EnvConfig& config)>;

// Adds an environment under `name` (replacing one of the same name). Every
// environment in envs/ registers itself (RLVR_REGISTER_ENVIRONMENT below);
// programs may add their own at run time.
void register_environment(const std::string& name, EnvironmentFactory factory);

// Builds the environment config.name() names; throws rlvr::Error naming the
// known environments when there is none of that name.
std::unique_ptr<Environment> make_environment(const config::EnvConfig& config);

std::vector<std::string> environment_names();

}  // namespace rlvr::envs

// Registers `Class` as environment `name` when the program starts. Write it once,
// at namespace scope, in the environment's .cpp in envs/ (linked whole-archive,
// so the registration is kept though nothing references it):
//   RLVR_REGISTER_ENVIRONMENT("sort", SortEnvironment);
// Every environment is built from the run's EnvConfig (Class(const config::EnvConfig&)),
// reading its own sub-message of it.
#define RLVR_REGISTER_ENVIRONMENT(name, Class)                                         \
  RLVR_REGISTRATION(::rlvr::envs::register_environment(                               \
      name, [](const ::rlvr::config::EnvConfig& config)                               \
                -> std::unique_ptr<::rlvr::envs::Environment> { return std::make_unique<Class>(config); }))
