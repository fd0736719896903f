// MathVerifier ("math"): judges competition-style math answers. Extracts the
// final answer (math_extract.h), parses it and the task's reference
// (math_parse.h) and compares them mathematically (math_equivalence.h). Policy:
// verifiers/math/README.md. Thread-safe and stateless; bounded in time and
// memory on any input; never throws.
#pragma once

#include <vector>

#include "verifiers/math/math_equivalence.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {

class MathVerifier : public Verifier {
 public:
  explicit MathVerifier(const config::MathVerifierConfig& config = {});
  std::string name() const override { return "math"; }
  // kNoAnswer: nothing extracted (or an empty/unclosed box); kInvalid: the
  // answer does not parse (words, malformed LaTeX, limits exceeded); kUnjudged:
  // judging failed (out of memory), which the limits should make unreachable.
  Verdict verify(const Task& task, std::string_view completion) const override;
  // Mathematical equality of two extracted answers ("0.5" and "\frac12"),
  // falling back to normalised text when either does not parse.
  bool same_answer(const Task& task, const std::string& a, const std::string& b) const override;

 private:
  Verdict judge(const Task& task, std::string_view completion) const;

  std::vector<config::AnswerFormat> priority_;  // explicit extraction order; empty: the style's
  config::MathAnswerStyle style_;
  math::EquivalenceOptions options_;
};

}  // namespace rlvr::verifiers
