// Learning-rate schedule: linear warm-up, then cosine decay to min_ratio·peak.
#pragma once

#include <cstdint>
#include <string>

#include "config.pb.h"

namespace rlvr::trainer {

// Learning rate for optimizer step `step` (1-based) of `total`.
double warmup_cosine_lr(int64_t step, int64_t total, int64_t warmup, double peak, double min_ratio);

// The start-up warning rl.lr_jump_warning asks for when RL's peak lr is more
// than that factor above the lr SFT ended at, naming both and the fix; "" when
// it is not, or when there is no SFT or no RL phase, or the check is off.
std::string rl_lr_jump_warning(const config::ExperimentConfig& cfg);

}  // namespace rlvr::trainer
