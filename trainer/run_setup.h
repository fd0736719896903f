// Everything a command builds from a config before it can work: torch runtime
// settings, the environment, the verifiers, the policy and the eval tasks.
#pragma once

#include <memory>
#include <vector>

#include "core/config.h"
#include "envs/environment.h"
#include "models/policy.h"
#include "trainer/verifier_set.h"

namespace rlvr::trainer {

struct RunResources {
  // Throws ConfigError (naming the config field) for an unknown env or an
  // unusable device.
  explicit RunResources(const config::LoadedConfig& loaded);

  int threads;
  std::unique_ptr<envs::Environment> env;
  VerifierSet verifiers;
  models::Policy policy;
  std::vector<Task> eval_tasks;  // the first eval.num_tasks of the eval split (all if 0)
  // The same of the harder split eval.extrapolation describes; empty without one.
  std::vector<Task> harder_tasks;
};

}  // namespace rlvr::trainer
