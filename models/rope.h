// Rotary embedding frequencies, with Hugging Face's rope_scaling variants.
#pragma once

#include <torch/torch.h>

#include "models/model_shape.h"

namespace rlvr::models {

// inv_freq[i] = theta^(-2i / head_dim), i < head_dim / 2, rescaled per
// shape.rope_scaling; float32, computed the way transformers does so logits
// match to float32 rounding.
torch::Tensor rope_inv_freq(const ModelShape& shape);

}  // namespace rlvr::models
