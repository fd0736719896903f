#include "verifiers/verifier.h"

#include <map>
#include <mutex>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/code/code_verifier.h"
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
      {"code", [](const config::VerifierConfig& c) { return std::make_unique<CodeVerifier>(c.code()); }},
      {"countdown", [](const config::VerifierConfig&) { return std::make_unique<CountdownVerifier>(); }},
      {"math", [](const config::VerifierConfig& c) { return std::make_unique<MathVerifier>(c.math()); }},
  };
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

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
