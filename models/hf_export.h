// Saving a policy as a Hugging Face checkpoint directory that transformers
// loads (AutoModelForCausalLM / AutoTokenizer.from_pretrained).
#pragma once

#include <cstddef>
#include <string>

#include "models/policy.h"

namespace rlvr::models {

// Writes config.json, model.safetensors (or shards and an index past
// max_shard_bytes) in `dtype` ("" keeps the policy's), generation_config.json
// and the tokenizer files: those of the source checkpoint copied, or for a
// tokenizer.json policy that file plus a tokenizer_config.json naming its
// special tokens and chat template. A char-tokenizer policy gets no tokenizer files (its
// tokenizer has no Hugging Face equivalent); the model still loads.
void export_hf_checkpoint(Policy& policy, const std::string& dir, const std::string& dtype = "",
                          size_t max_shard_bytes = 5'000'000'000);

}  // namespace rlvr::models
