// "countdown": reach a target with + - * / over given numbers, each used at most
// once. A task draws num_count numbers uniform in 1..max_number and builds a
// random expression over a random subset of two or more of them (intermediate
// results positive integers, division only when exact); its value is the target,
// redrawn until it is at most max_target. Prompt "3 7 25 -> 46:" (short ASCII for
// char-level models), solution "25+3*7" (minimal parentheses), reference "46",
// meta["numbers"] "3,7,25". Verified by "countdown". Thread-safe.
#pragma once

#include "envs/procedural_environment.h"

namespace rlvr::envs {

class CountdownEnvironment : public ProceduralEnvironment {
 public:
  // Throws rlvr::ConfigError for num_count outside 2..6, max_number outside
  // 2..1000 (which keeps every expression inside int64) or max_target < 1.
  explicit CountdownEnvironment(const config::EnvConfig& config);

 protected:
  Task generate(Rng& rng) const override;

 private:
  config::CountdownConfig config_;
};

}  // namespace rlvr::envs
