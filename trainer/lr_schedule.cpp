#include "trainer/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace rlvr::trainer {

double warmup_cosine_lr(int64_t step, int64_t total, int64_t warmup, double peak, double min_ratio) {
  if (warmup > 0 && step <= warmup) return peak * static_cast<double>(step) / warmup;
  const int64_t decay_steps = std::max<int64_t>(1, total - warmup);
  const double progress = std::clamp(static_cast<double>(step - warmup) / decay_steps, 0.0, 1.0);
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
  return peak * (min_ratio + (1.0 - min_ratio) * cosine);
}

}  // namespace rlvr::trainer
