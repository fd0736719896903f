#include "trainer/loop_state.h"

namespace rlvr::trainer {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::kSft: return "sft";
    case Phase::kRl: return "rl";
    case Phase::kControl: return "control";
  }
  return "unknown";
}

double LoopState::rl_flops() const {
  return flops.get(FlopCategory::kRlGenerate) + flops.get(FlopCategory::kRlOldPolicy) +
         flops.get(FlopCategory::kRlReference) + flops.get(FlopCategory::kRlTrain);
}

}  // namespace rlvr::trainer
