#include "core/flops.h"

namespace rlvr {

const char* flop_category_name(FlopCategory category) {
  switch (category) {
    case FlopCategory::kSftTrain: return "sft_train";
    case FlopCategory::kRlGenerate: return "rl_generate";
    case FlopCategory::kRlOldPolicy: return "rl_old_policy";
    case FlopCategory::kRlReference: return "rl_reference";
    case FlopCategory::kRlTrain: return "rl_train";
    case FlopCategory::kControlTrain: return "control_train";
    case FlopCategory::kEval: return "eval";
    default: return "unknown";
  }
}

double FlopCounter::training_total() const {
  double total = 0;
  for (size_t i = 0; i < totals_.size(); ++i) {
    const auto c = static_cast<FlopCategory>(i);
    if (c != FlopCategory::kEval && c != FlopCategory::kControlTrain) total += totals_[i];
  }
  return total;
}

}  // namespace rlvr
