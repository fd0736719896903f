// Weights of a Hugging Face checkpoint directory in and out of a Transformer:
// safetensors (single or sharded), names mapped through hf_family.h.
#pragma once

#include <string>

#include "models/hf_config.h"
#include "models/transformer.h"

namespace rlvr::models {

// Copies every parameter from the checkpoint in `dir` (converting dtype,
// keeping the model's device). Throws rlvr::Error naming the directory and
// tensor when one is missing, has another shape, is of a non-float dtype, or
// when the checkpoint holds tensors the model has no place for.
void load_hf_weights(TransformerImpl& model, const std::string& dir);

// Writes the model's parameters to `dir` (created) as model.safetensors, or
// shards plus an index past `max_shard_bytes`, in `type` (a floating-point
// dtype), under Hugging Face names.
void save_hf_weights(TransformerImpl& model, const std::string& dir, torch::ScalarType type,
                     size_t max_shard_bytes);

}  // namespace rlvr::models
