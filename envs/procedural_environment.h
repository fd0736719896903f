// ProceduralEnvironment: the base of environments whose tasks are generated from
// a seed. A derived class only says how to draw one task (generate()); this class
// makes the splits.
//
// Membership is a property of the prompt: a task is in the eval split iff
// fnv1a(prompt, seed) % 1e6 < eval_fraction * 1e6. So train and eval are disjoint
// by construction, however many tasks either side draws. The eval split is
// eval_size distinct such prompts, drawn once (lazily, thread-safe) from its own
// stream; train task i is drawn from a stream of its own and redrawn while it
// falls in the eval region, so task(kTrain, i) never depends on other indices.
// Thread-safe after construction.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.h"
#include "envs/environment.h"

namespace rlvr::envs {

class ProceduralEnvironment : public Environment {
 public:
  // size(kTrain): 2^40 (~1.1e12) indices, more than any run draws; different
  // indices may repeat a prompt when the problem space is small.
  static constexpr size_t kTrainSize = size_t{1} << 40;

  std::string name() const override { return name_; }
  size_t size(Split split) const override;
  Task task(Split split, size_t index) const override;

 protected:
  // Reads seed, eval_fraction and eval_size from `config`.
  ProceduralEnvironment(std::string name, const config::EnvConfig& config);

  // One task drawn from `rng`: prompt, reference, solution, verifier, meta (the
  // id is set here). Must be a pure function of the rng's state.
  virtual Task generate(Rng& rng) const = 0;

 private:
  bool in_eval(std::string_view prompt) const;
  const std::vector<Task>& eval_tasks() const;

  std::string name_;
  uint64_t seed_;
  uint64_t eval_threshold_;  // eval iff hash % 1e6 < this
  size_t eval_size_;

  mutable std::once_flag eval_once_;
  mutable std::vector<Task> eval_;
};

}  // namespace rlvr::envs
