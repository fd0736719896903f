#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

Registry<VerifierFactory>& registry() {
  // Built on first use: registrations run while the program starts, in no
  // fixed order across files.
  static Registry<VerifierFactory> instance("verifier");
  return instance;
}

}  // namespace

void register_verifier(const std::string& name, VerifierFactory factory) {
  registry().add(name, std::move(factory));
}

std::unique_ptr<Verifier> make_verifier(const std::string& name, const config::VerifierConfig& config) {
  return registry().get(name)(config);
}

std::vector<std::string> verifier_names() { return registry().names(); }

}  // namespace rlvr::verifiers
