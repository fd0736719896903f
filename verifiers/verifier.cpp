#include "verifiers/verifier.h"

#include <map>
#include <mutex>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/countdown_verifier.h"
#include "verifiers/exact_number_verifier.h"
#include "verifiers/math/math_verifier.h"

namespace rlvr::verifiers {
namespace {

// The registry is built on first use with every built-in verifier, so nothing
// depends on static initialisers (a static library drops unreferenced objects).
struct Registry {
  std::mutex mutex;
  std::map<std::string, VerifierFactory> factories{
      {"exact_number", [](const config::VerifierConfig&) { return std::make_unique<ExactNumberVerifier>(); }},
      {"countdown", [](const config::VerifierConfig&) { return std::make_unique<CountdownVerifier>(); }},
      {"math", [](const config::VerifierConfig& c) { return std::make_unique<MathVerifier>(c.math()); }},
  };
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

const char* status_name(VerdictStatus status) {
  switch (status) {
    case VerdictStatus::kCorrect: return "correct";
    case VerdictStatus::kWrong: return "wrong";
    case VerdictStatus::kNoAnswer: return "no_answer";
    case VerdictStatus::kInvalid: return "invalid";
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

std::string clip_for_detail(std::string_view text) {
  constexpr size_t kMax = 64;
  return text.size() > kMax ? std::string(text.substr(0, kMax)) + "..." : std::string(text);
}

void register_verifier(const std::string& name, VerifierFactory factory) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[name] = std::move(factory);
}

std::unique_ptr<Verifier> make_verifier(const std::string& name, const config::VerifierConfig& config) {
  VerifierFactory factory;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    const auto it = r.factories.find(name);
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    const std::vector<std::string> known = verifier_names();
    std::string message = "unknown verifier '" + name + "' (known: " + join(known, ", ") + ")";
    const std::string guess = closest_match(name, known);
    if (!guess.empty()) message += "; did you mean '" + guess + "'?";
    throw Error(message);
  }
  return factory(config);
}

std::vector<std::string> verifier_names() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& entry : r.factories) names.push_back(entry.first);
  return names;
}

}  // namespace rlvr::verifiers
