// Runs a JSONL file of judged cases (the conformance format: id, category,
// gold, response, expected; optional answer_style) through a verifier and
// reports agreement per category, with every disagreement listed.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "verifiers/verifier.h"

namespace rlvr::verifiers {

struct CaseAgreement {
  std::map<std::string, std::pair<int, int>> per_category;  // agree, total
  int agree = 0;
  int total = 0;
  std::string disagreements;  // one line per case
  std::string slow_cases;     // cases over the per-case time budget

  double overall() const { return total == 0 ? 0.0 : static_cast<double>(agree) / total; }
  double worst_category() const;
  std::string table() const;
};

// Reads `path` (one case per line) and judges each; a case slower than
// `max_seconds_per_case` counts as a disagreement.
CaseAgreement judge_cases(const std::string& path, const Verifier& verifier, double max_seconds_per_case);

}  // namespace rlvr::verifiers
