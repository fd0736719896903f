// Learning-rate schedule: linear warm-up, then cosine decay to min_ratio·peak.
#pragma once

#include <cstdint>

namespace rlvr::trainer {

// Learning rate for optimizer step `step` (1-based) of `total`.
double warmup_cosine_lr(int64_t step, int64_t total, int64_t warmup, double peak, double min_ratio);

}  // namespace rlvr::trainer
