#include "trainer/curriculum.h"

#include <numeric>

namespace rlvr::trainer {

Curriculum::Curriculum(const config::EnvConfig& env, LoopState& state)
    : env_(env), curriculum_(env.curriculum()), state_(state) {
  if (state_.curriculum_level < 0) {
    state_.curriculum_level = curriculum_.start_level();
    state_.curriculum_window.clear();
  }
}

const envs::Environment& Curriculum::train_env() {
  auto& slot = built_[state_.curriculum_level];
  if (!slot) {
    config::EnvConfig at_level = env_;
    at_level.set_level(static_cast<int32_t>(state_.curriculum_level));
    at_level.clear_curriculum();
    slot = envs::make_environment(at_level);
  }
  return *slot;
}

double Curriculum::pass_rate() const {
  const auto& window = state_.curriculum_window;
  if (window.empty()) return 0;
  return static_cast<double>(std::accumulate(window.begin(), window.end(), int64_t{0})) /
         static_cast<double>(window.size());
}

std::optional<LevelChange> Curriculum::observe(const std::vector<uint8_t>& outcomes) {
  auto& window = state_.curriculum_window;
  const auto size = static_cast<size_t>(curriculum_.window());
  window.insert(window.end(), outcomes.begin(), outcomes.end());
  if (window.size() > size) window.erase(window.begin(), window.end() - static_cast<std::ptrdiff_t>(size));
  if (window.size() < size) return std::nullopt;
  const double rate = pass_rate();
  int64_t to = state_.curriculum_level;
  if (rate >= curriculum_.promote_at() && to < env_.level()) ++to;
  if (rate < curriculum_.demote_at() && to > curriculum_.start_level()) --to;
  if (to == state_.curriculum_level) return std::nullopt;
  const LevelChange change{state_.curriculum_level, to, rate};
  state_.curriculum_level = to;
  window.clear();
  return change;
}

}  // namespace rlvr::trainer
