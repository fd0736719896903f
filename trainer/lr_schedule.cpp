#include "trainer/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include <spdlog/fmt/fmt.h>

namespace rlvr::trainer {

double warmup_cosine_lr(int64_t step, int64_t total, int64_t warmup, double peak, double min_ratio) {
  if (warmup > 0 && step <= warmup) return peak * static_cast<double>(step) / warmup;
  const int64_t decay_steps = std::max<int64_t>(1, total - warmup);
  const double progress = std::clamp(static_cast<double>(step - warmup) / decay_steps, 0.0, 1.0);
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
  return peak * (min_ratio + (1.0 - min_ratio) * cosine);
}

std::string rl_lr_jump_warning(const config::ExperimentConfig& cfg) {
  const auto& sft = cfg.sft();
  const auto& rl = cfg.rl();
  if (sft.steps() == 0 || rl.steps() == 0 || rl.lr_jump_warning() <= 0) return "";
  const double sft_end = sft.lr() * sft.min_lr_ratio();
  if (rl.lr() <= rl.lr_jump_warning() * sft_end) return "";
  return fmt::format(
      "rl.lr {:.3g} is {:.1f}x the learning rate SFT ended at (sft.lr {:.3g} x sft.min_lr_ratio {:.3g} = {:.3g}), "
      "above rl.lr_jump_warning {:.3g}: a fresh optimizer at that step size can undo SFT in its first updates "
      "(accuracy collapsing to 0). Lower rl.lr to at most {:.3g}, or set rl.lr_jump_warning: 0 to silence this",
      rl.lr(), rl.lr() / sft_end, sft.lr(), sft.min_lr_ratio(), sft_end, rl.lr_jump_warning(),
      rl.lr_jump_warning() * sft_end);
}

}  // namespace rlvr::trainer
