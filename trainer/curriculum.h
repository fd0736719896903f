// Curriculum: moves RL's training difficulty between a procedural generator's
// levels from the pass rate of its recent rollouts (env.curriculum).
// Torch-free; its position lives in LoopState, so checkpoints carry it and a
// resumed run continues at the same level with the same window.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include "config.pb.h"
#include "envs/environment.h"
#include "trainer/loop_state.h"

namespace rlvr::trainer {

struct LevelChange {
  int64_t from = 0;
  int64_t to = 0;
  double pass_rate = 0;  // of the window that decided it
};

class Curriculum {
 public:
  // `env` must have a curriculum; the state's level starts at
  // curriculum.start_level unless a resumed state carries one.
  Curriculum(const config::EnvConfig& env, LoopState& state);

  // The environment at the current level (each level's built once).
  const envs::Environment& train_env();
  int64_t level() const { return state_.curriculum_level; }
  // Pass rate of the current window (0 when empty).
  double pass_rate() const;

  // Adds judged outcomes (1 correct, 0 not); once the window is full, promotes
  // when its pass rate reaches promote_at (up to env.level) or demotes when it
  // is below demote_at (down to start_level), emptying the window. Returns the
  // change, if any.
  std::optional<LevelChange> observe(const std::vector<uint8_t>& outcomes);

 private:
  config::EnvConfig env_;
  config::CurriculumConfig curriculum_;
  LoopState& state_;
  std::map<int64_t, std::unique_ptr<envs::Environment>> built_;
};

}  // namespace rlvr::trainer
