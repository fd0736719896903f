// Sampling settings for generation. Torch-free.
#pragma once

#include <cstdint>

#include "config.pb.h"

namespace rlvr::models {

struct SamplingParams {
  double temperature = 1.0;  // 0 means greedy (argmax)
  double top_p = 1.0;        // nucleus mass; 1 disables
  int64_t top_k = 0;         // keep the k most likely tokens; 0 disables
  int64_t max_new_tokens = 16;
  int64_t min_new_tokens = 0;  // the end token cannot be sampled before this many tokens
  uint64_t seed = 0;  // seeds the sampler; equal seeds give equal samples

  static SamplingParams from_config(const config::SamplingConfig& config, uint64_t seed = 0);
};

}  // namespace rlvr::models
