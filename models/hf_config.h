// config.json of a Hugging Face Llama/Qwen2/Qwen3 checkpoint: read into a
// ModelShape, and written back from one. Both the transformers 4 keys
// (rope_theta, rope_scaling) and 5 keys (rope_parameters) are understood.
// Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/hf_family.h"
#include "models/model_shape.h"

namespace rlvr::models {

struct HfModelConfig {
  const HfFamily* family = nullptr;
  ModelShape shape;  // max_seq_len = max_position_embeddings
  int64_t max_position_embeddings = 2048;
  int64_t bos_token_id = -1;           // -1: none
  std::vector<int64_t> eos_token_ids;  // may be empty
  std::string dtype;                   // "float32", "bfloat16", ... ("" when absent)
};

// Throws rlvr::Error naming the file and the field for missing, mistyped or
// unsupported settings (another model_type, sliding-window attention, an
// activation other than SiLU, an unknown rope scaling).
HfModelConfig read_hf_config(const std::string& path);

// config.json text for `config` (family taken from config.family).
std::string hf_config_json(const HfModelConfig& config);

}  // namespace rlvr::models
