// Agreement: how a verifier's verdicts on labelled cases compare with the
// expected ones (`rlvr verify --jsonl`, conformance suites). An unjudged verdict
// (the verifier could not decide) is neither agreement nor disagreement: it is
// counted apart and left out of the rate, so a flaky sandbox shows as unjudged
// cases instead of a verifier that seems to get them wrong. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "verifiers/verifier.h"

namespace rlvr::verifiers {

struct AgreementCounts {
  int cases = 0;
  int agree = 0;     // the verdict matches `expected` (is correct when none is given)
  int unjudged = 0;  // kUnjudged verdicts, in `cases` but not in the rate

  // agree / judged cases; nullopt when none was judged.
  std::optional<double> rate() const;
};

enum class Agreement { kAgree, kDisagree, kUnjudged };

class AgreementTally {
 public:
  // Counts one case of `category` whose verdict is `verdict`; `expected` is its
  // label (correct or not), or nullopt for an unlabelled case.
  Agreement add(const std::string& category, const Verdict& verdict, std::optional<bool> expected);

  const AgreementCounts& total() const { return total_; }
  const std::map<std::string, AgreementCounts>& per_category() const { return per_category_; }

  // One row per category and "overall" (agree, unjudged, cases, rate), then the
  // count of each verdict status.
  std::string table() const;

 private:
  AgreementCounts total_;
  std::map<std::string, AgreementCounts> per_category_;
  std::map<std::string, int> statuses_;
};

}  // namespace rlvr::verifiers
