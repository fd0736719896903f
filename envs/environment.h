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

// Adds an environment under `name` (replacing one of the same name). The
// built-in ones ("arithmetic", "countdown", "jsonl", "program_synthesis") are
// always registered.
void register_environment(const std::string& name, EnvironmentFactory factory);

// Builds the environment config.name() names; throws rlvr::Error naming the
// known environments when there is none of that name.
std::unique_ptr<Environment> make_environment(const config::EnvConfig& config);

std::vector<std::string> environment_names();

}  // namespace rlvr::envs
