// Verifier: decides whether a completion answers a task correctly.
//
// verify() is pure and thread-safe, bounded in time and memory, and never throws
// on model output: a malformed completion is a verdict, not an exception. A
// verdict the verifier could not reach (a sandbox error, a time-out) is
// kUnjudged, never kWrong: it says nothing about the policy.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.pb.h"
#include "core/registry.h"
#include "core/task.h"

namespace rlvr::verifiers {

enum class VerdictStatus {
  kCorrect,   // the answer matches the reference
  kWrong,     // an answer was found and it does not match
  kNoAnswer,  // no answer could be extracted from the completion
  kInvalid,   // an answer was found but is malformed (unparseable, illegal numbers, ...)
  kUnjudged,  // the verifier could not reach a verdict (sandbox error, time-out); reward 0,
              // and callers leave it out of accuracy rather than count it wrong
};

const char* status_name(VerdictStatus status);

// (name, reward) pairs, in a fixed order per verifier.
using RewardComponents = std::vector<std::pair<std::string, double>>;

struct Verdict {
  double reward = 0;  // 1 for correct, 0 otherwise, unless a verifier grades partially
  bool correct = false;
  VerdictStatus status = VerdictStatus::kNoAnswer;
  std::string detail;  // human-readable reason, e.g. "extracted 131, expected 132"
  std::string answer;  // the answer extracted from the completion, "" when there is none
  // Named parts of the reward (a composite verifier's components, monitor-only
  // ones included), logged as reward/<name>; empty for single verifiers.
  RewardComponents components;
};

// A verdict whose reward and correctness follow from `status` (1 for correct).
Verdict make_verdict(VerdictStatus status, std::string detail, std::string answer = "");

// The verdict of `judge`, or, when it throws (out of memory, a bug in the
// verifier's own machinery), kUnjudged with the reason, logged as a warning: the
// verdict was not reached, which says nothing about the completion. A safety net
// for verifiers whose own bounds should make it unreachable.
Verdict unjudged_on_failure(const std::function<Verdict()>& judge);

// `text` cut to a length that keeps verdict details loggable (model output can be huge).
std::string clip_for_detail(std::string_view text);

class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual std::string name() const = 0;
  virtual Verdict verify(const Task& task, std::string_view completion) const = 0;
  // Whether two extracted answers (Verdict::answer) to `task` mean the same,
  // so majority votes group "0.5" with "1/2". Defaults to string equality.
  virtual bool same_answer(const Task& task, const std::string& a, const std::string& b) const {
    return a == b;
  }
};

// Builds a verifier from the run's verifier settings (each reads its own sub-message).
using VerifierFactory = std::function<std::unique_ptr<Verifier>(const config::VerifierConfig&)>;

// Adds a verifier under `name` (replacing one of the same name). Every verifier
// in verifiers/ registers itself (RLVR_REGISTER_VERIFIER below); programs may
// add their own at run time.
void register_verifier(const std::string& name, VerifierFactory factory);

// Throws rlvr::Error naming the known verifiers when there is none of that name.
std::unique_ptr<Verifier> make_verifier(const std::string& name,
                                        const config::VerifierConfig& config = {});

std::vector<std::string> verifier_names();

}  // namespace rlvr::verifiers

// Registers a verifier as `name` when the program starts. Write it once, at
// namespace scope, in the verifier's .cpp in verifiers/ (linked whole-archive, so
// the registration is kept though nothing references it). The rest is the
// factory, a VerifierFactory: verifiers read different sub-messages of the
// VerifierConfig, or none.
//   RLVR_REGISTER_VERIFIER("math", [](const config::VerifierConfig& c) {
//     return std::make_unique<MathVerifier>(c.math());
//   });
#define RLVR_REGISTER_VERIFIER(name, ...) \
  RLVR_REGISTRATION(::rlvr::verifiers::register_verifier(name, __VA_ARGS__))
