// Process-wide torch settings taken from RuntimeConfig.
#pragma once

#include "config.pb.h"

namespace rlvr::trainer {

// Sets torch's intra-op thread count (0 = all cores, divided among the ranks
// LOCAL_WORLD_SIZE says share this machine) and keeps freed tensor
// memory in the process for reuse (see runtime.cpp); returns the thread count.
int apply_runtime(const config::RuntimeConfig& runtime);

}  // namespace rlvr::trainer
