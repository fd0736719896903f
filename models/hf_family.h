// The Hugging Face decoder families rlvr loads and writes, as data: how each
// reads its config.json and how its tensors are named. One Transformer serves
// them all; the flags decide which optional tensors exist. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/model_shape.h"

namespace rlvr::models {

struct HfFamily {
  std::string_view model_type;    // config.json "model_type"
  std::string_view architecture;  // config.json "architectures"[0]
  // Biases on q/k/v: always (Qwen2), or as config.json's "attention_bias" says.
  bool attention_bias_always;
  bool reads_attention_bias;
  bool reads_mlp_bias;      // "mlp_bias" key (Llama)
  bool qk_norm;             // q_norm/k_norm per head (Qwen3)
  int64_t head_dim_default; // when config.json has no "head_dim"; 0: hidden/heads
  bool has_sliding_window;  // "use_sliding_window" must then be false
};

// Llama, Qwen2, Qwen3.
const std::vector<HfFamily>& hf_families();
// nullptr for a model_type not in the table.
const HfFamily* find_hf_family(std::string_view model_type);
// The family a shape is written as: q/k norms are Qwen3's, q/k/v biases
// without them Qwen2's, otherwise Llama's.
const HfFamily& hf_family_of(const ModelShape& shape);

// Hugging Face name of one of our parameters: the decoder lives under "model."
// ("layers.0.mlp.up_proj.weight" -> "model.layers.0.mlp.up_proj.weight"), the
// output head at the top ("lm_head.weight").
std::string hf_tensor_name(const std::string& parameter_name);

}  // namespace rlvr::models
