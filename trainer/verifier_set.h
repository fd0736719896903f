// The verifiers a run needs, built once by name: either the one the config
// forces (verifier.name) or the one each task names. Thread-safe after
// construction for verify(); verifiers are built on first use under a lock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "verifiers/verifier.h"

namespace rlvr::trainer {

class VerifierSet {
 public:
  // `config`: the run's verifier settings (verifier.name forces one verifier
  // for every task when set; sub-messages configure individual verifiers;
  // binary_reward makes every reward 1 or 0 by correctness).
  explicit VerifierSet(config::VerifierConfig config = {})
      : config_(std::move(config)), forced_(config_.name()) {}
  verifiers::Verdict verify(const Task& task, std::string_view completion);
  bool same_answer(const Task& task, const std::string& a, const std::string& b);

 private:
  const verifiers::Verifier& get(const std::string& name);
  const verifiers::Verifier& for_task(const Task& task) { return get(forced_.empty() ? task.verifier : forced_); }

  config::VerifierConfig config_;
  std::string forced_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<verifiers::Verifier>> built_;
};

}  // namespace rlvr::trainer
