#include "trainer/verifier_set.h"

namespace rlvr::trainer {

const verifiers::Verifier& VerifierSet::get(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = built_[name];
  if (!slot) slot = verifiers::make_verifier(name);
  return *slot;
}

verifiers::Verdict VerifierSet::verify(const Task& task, std::string_view completion) {
  return get(forced_.empty() ? task.verifier : forced_).verify(task, completion);
}

}  // namespace rlvr::trainer
