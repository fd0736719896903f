// Registry: factories by name, for the extension points a config names
// (environments, verifiers). Header-only and torch-free; thread-safe.
//
// Implementations register themselves: their .cpp declares a namespace-scope
// Registration (through RLVR_REGISTER_ENVIRONMENT / RLVR_REGISTER_VERIFIER),
// which adds the factory while the program starts. A static library drops
// objects nothing references, registrations included, so the libraries holding
// implementations are linked whole-archive (envs/ and verifiers/ CMakeLists).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr {

template <typename Factory>
class Registry {
 public:
  // `kind` names an entry in errors: "environment", "verifier".
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  // Adds `factory` under `name`, replacing one of the same name.
  void add(const std::string& name, Factory factory) {
    std::lock_guard<std::mutex> lock(mutex_);
    factories_[name] = std::move(factory);
  }

  // The factory registered as `name`; throws rlvr::Error
  // "unknown <kind> '<name>' (known: a, b); did you mean 'a'?" when there is none.
  Factory get(const std::string& name) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto it = factories_.find(name);
      if (it != factories_.end()) return it->second;
    }
    const std::vector<std::string> known = names();
    std::string message = "unknown " + kind_ + " '" + name + "' (known: " + join(known, ", ") + ")";
    const std::string guess = closest_match(name, known);
    if (!guess.empty()) message += "; did you mean '" + guess + "'?";
    throw Error(message);
  }

  // Registered names, sorted.
  std::vector<std::string> names() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto& entry : factories_) out.push_back(entry.first);
    return out;
  }

 private:
  const std::string kind_;
  mutable std::mutex mutex_;
  std::map<std::string, Factory> factories_;
};

// Runs `add` once, during static initialisation: what the RLVR_REGISTER_*
// macros declare. A registry those adds reach must be built on first use (a
// function-local static), since files initialise in no fixed order.
struct Registration {
  template <typename Add>
  explicit Registration(Add add) {
    add();
  }
};

}  // namespace rlvr

#define RLVR_REGISTRY_CONCAT_(a, b) a##b
#define RLVR_REGISTRY_CONCAT(a, b) RLVR_REGISTRY_CONCAT_(a, b)
// A uniquely named file-local Registration running the statement `...`.
#define RLVR_REGISTRATION(...)                                                              \
  static const ::rlvr::Registration RLVR_REGISTRY_CONCAT(rlvr_registration_, __COUNTER__)( \
      [] { __VA_ARGS__; })
