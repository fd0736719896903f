// "exact_number": the completion's final number must equal task.reference as an
// exact decimal ("0132" == "132", "2.50" == "2.5", "-0" == "0"). The answer is the
// last number inside the last <answer>...</answer> when the completion has one,
// else the last number of the whole completion. A reference that is not a number
// is compared as trimmed text instead. Stateless and thread-safe.
#pragma once

#include "verifiers/verifier.h"

namespace rlvr::verifiers {

class ExactNumberVerifier : public Verifier {
 public:
  std::string name() const override { return "exact_number"; }
  Verdict verify(const Task& task, std::string_view completion) const override;
  // Numeric equality ("0132" and "132"); digit strings for fixed-width references.
  bool same_answer(const Task& task, const std::string& a, const std::string& b) const override;
};

}  // namespace rlvr::verifiers
