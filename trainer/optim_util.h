// Optimizer helpers shared by the SFT and RL loops.
#pragma once

#include <torch/torch.h>

#include "models/policy.h"

namespace rlvr::trainer {

// AdamW with weight decay on matrices only; norms' gains are not decayed.
torch::optim::AdamW make_adamw(models::Policy& policy, double lr, double beta1, double beta2,
                               double weight_decay);

void set_lr(torch::optim::Optimizer& optimizer, double lr);

// Global gradient norm before clipping; clips it to `clip` when clip > 0.
double gradient_norm(models::Policy& policy, double clip);

// Copies every parameter and buffer of `from` into `to` (same shape).
void copy_weights(models::Policy& from, models::Policy& to);

}  // namespace rlvr::trainer
