// Process-wide torch settings taken from RuntimeConfig.
#pragma once

#include "config.pb.h"

namespace rlvr::trainer {

// Sets torch's intra-op thread count (0 = all cores) and returns the count in use.
int apply_runtime(const config::RuntimeConfig& runtime);

}  // namespace rlvr::trainer
