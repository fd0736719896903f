// "countdown": the answer must be an expression over task.meta["numbers"]
// ("3,7,25"; each number used at most as often as it is given, not all needed)
// whose exact value is task.reference. The answer is the content of the last
// <answer>...</answer> when present, else the first non-empty line of the
// completion; a trailing "= <number>" is ignored. Stateless and thread-safe.
#pragma once

#include "verifiers/verifier.h"

namespace rlvr::verifiers {

class CountdownVerifier : public Verifier {
 public:
  std::string name() const override { return "countdown"; }
  // Throws rlvr::Error when the task itself is malformed (no meta "numbers", a
  // non-integer reference): that is a bug in the environment, not model output.
  Verdict verify(const Task& task, std::string_view completion) const override;
};

}  // namespace rlvr::verifiers
