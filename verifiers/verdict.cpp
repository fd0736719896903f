// The verdict helpers of verifier.h. With the registry (verifier.cpp) they form
// rlvr_verifier_base, which every verifier library (the built-ins, code/) links.
#include "verifiers/verifier.h"

#include <new>

#include <spdlog/spdlog.h>

namespace rlvr::verifiers {

const char* status_name(VerdictStatus status) {
  switch (status) {
    case VerdictStatus::kCorrect: return "correct";
    case VerdictStatus::kWrong: return "wrong";
    case VerdictStatus::kNoAnswer: return "no_answer";
    case VerdictStatus::kInvalid: return "invalid";
    case VerdictStatus::kUnjudged: return "unjudged";
  }
  return "unknown";
}

Verdict make_verdict(VerdictStatus status, std::string detail, std::string answer) {
  Verdict v;
  v.answer = std::move(answer);
  v.status = status;
  v.correct = status == VerdictStatus::kCorrect;
  v.reward = v.correct ? 1 : 0;
  v.detail = std::move(detail);
  return v;
}

Verdict unjudged_on_failure(const std::function<Verdict()>& judge) {
  std::string reason;
  try {
    return judge();
  } catch (const std::bad_alloc&) {
    reason = "out of memory";
  } catch (const std::exception& e) {
    reason = e.what();
  }
  spdlog::warn("verifier could not judge a completion, unjudged: {}", reason);
  return make_verdict(VerdictStatus::kUnjudged, "could not judge: " + reason);
}

std::string clip_for_detail(std::string_view text) {
  constexpr size_t kMax = 64;
  return text.size() > kMax ? std::string(text.substr(0, kMax)) + "..." : std::string(text);
}

}  // namespace rlvr::verifiers
