// Compute accounting in FLOPs, kept per category so curves can be drawn
// against training compute and inference compute separately. Torch-free.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace rlvr {

enum class FlopCategory {
  kSftTrain,      // SFT forward + backward (6·N per token)
  kRlGenerate,    // rollout sampling (2·N per token)
  kRlOldPolicy,   // re-scoring rollouts with the pre-update policy (2·N per token)
  kRlReference,   // reference-policy forward for the KL term (2·N per token)
  kRlTrain,       // policy-gradient forward + backward (6·N per token)
  kControlTrain,  // the SFT-only control run (6·N per token)
  kEval,          // evaluation sampling; not part of the training total
  kCount
};

const char* flop_category_name(FlopCategory category);

class FlopCounter {
 public:
  void add(FlopCategory category, double flops) { totals_[static_cast<size_t>(category)] += flops; }
  double get(FlopCategory category) const { return totals_[static_cast<size_t>(category)]; }
  // Training compute: every category except evaluation and the control run.
  double training_total() const;
  // All categories in enum order (for checkpoints).
  std::array<double, static_cast<size_t>(FlopCategory::kCount)>& raw() { return totals_; }
  const std::array<double, static_cast<size_t>(FlopCategory::kCount)>& raw() const { return totals_; }

 private:
  std::array<double, static_cast<size_t>(FlopCategory::kCount)> totals_{};
};

}  // namespace rlvr
