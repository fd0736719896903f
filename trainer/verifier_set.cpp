#include "trainer/verifier_set.h"

namespace rlvr::trainer {

const verifiers::Verifier& VerifierSet::get(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = built_[name];
  if (!slot) slot = verifiers::make_verifier(name, config_);
  return *slot;
}

verifiers::Verdict VerifierSet::verify(const Task& task, std::string_view completion) {
  verifiers::Verdict verdict = for_task(task).verify(task, completion);
  if (config_.binary_reward()) verdict.reward = verdict.correct ? 1 : 0;
  return verdict;
}

bool VerifierSet::same_answer(const Task& task, const std::string& a, const std::string& b) {
  return for_task(task).same_answer(task, a, b);
}

}  // namespace rlvr::trainer
