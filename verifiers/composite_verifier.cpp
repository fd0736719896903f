// "composite": a weighted sum of named sub-verifiers (verifier.composite),
// the shape of real reward functions: correctness plus format and other terms.
//
// reward = sum over rewarded components of weight x reward, where a component
// with a gate counts only when the gate component's verdict is correct
// ("correctness counts only if the format passes"); monitor-only components
// are judged and logged but add nothing. Every component's own (ungated,
// unweighted) reward is in Verdict::components, logged as reward/<name>.
// Status, correctness and answer are the correctness component's, so
// accuracy means what it means without the extra terms; a rewarded component
// that could not judge makes the whole verdict unjudged (its reward is unknown).
#include <algorithm>
#include <map>
#include <mutex>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

struct Component {
  std::string name;
  std::string verifier;  // empty: the task's own
  double weight = 1;
  int gate = -1;  // index of the gating component, -1 for none
  bool monitor_only = false;
};

std::string component_path(int i, const std::string& field) {
  return "verifier.composite.component[" + std::to_string(i) + "]." + field;
}

class CompositeVerifier : public Verifier {
 public:
  explicit CompositeVerifier(const config::VerifierConfig& config) : config_(config) {
    const auto& composite = config.composite();
    if (composite.component_size() == 0) {
      throw ConfigError("verifier.composite.component: the composite verifier needs at least one component, e.g. "
                        "component { verifier: \"format\" } component { name: \"correct\" }");
    }
    std::map<std::string, int> by_name;
    for (int i = 0; i < composite.component_size(); ++i) {
      const config::CompositeComponent& c = composite.component(i);
      Component component{c.name(), c.verifier(), c.weight(), -1, c.monitor_only()};
      if (component.verifier == "composite") {
        throw ConfigError(component_path(i, "verifier") + ": a composite cannot contain a composite");
      }
      if (!component.verifier.empty()) built(component.verifier, component_path(i, "verifier"));
      if (component.name.empty()) component.name = component.verifier.empty() ? "task" : component.verifier;
      if (!(component.weight >= 0)) {
        throw ConfigError(component_path(i, "weight") + ": must be >= 0, got " + std::to_string(component.weight));
      }
      if (!by_name.emplace(component.name, i).second) {
        throw ConfigError(component_path(i, "name") + ": two components are named '" + component.name +
                          "'; give each a distinct name");
      }
      components_.push_back(component);
    }
    for (int i = 0; i < composite.component_size(); ++i) {
      const std::string& gate = composite.component(i).gate();
      if (gate.empty()) continue;
      const auto it = by_name.find(gate);
      if (it == by_name.end() || it->second == i) {
        throw ConfigError(component_path(i, "gate") + ": '" + gate + "' is not another component (components: " +
                          join(names(), ", ") + ")");
      }
      components_[i].gate = it->second;
    }
    correctness_ = correctness_index(composite.correctness(), by_name);
  }

  std::string name() const override { return "composite"; }

  Verdict verify(const Task& task, std::string_view completion) const override {
    std::vector<Verdict> verdicts;
    verdicts.reserve(components_.size());
    for (const Component& c : components_) {
      verdicts.push_back(unjudged_on_failure([&] { return sub_verifier(c, task).verify(task, completion); }));
    }
    Verdict out = verdicts[correctness_];
    out.reward = 0;
    std::string detail;
    for (size_t i = 0; i < components_.size(); ++i) {
      const Component& c = components_[i];
      const Verdict& v = verdicts[i];
      out.components.emplace_back(c.name, v.reward);
      detail += (detail.empty() ? "" : "; ") + c.name + ": " + v.detail;
      if (c.monitor_only) continue;
      if (v.status == VerdictStatus::kUnjudged) out.status = VerdictStatus::kUnjudged;
      const bool counted = c.gate < 0 || verdicts[static_cast<size_t>(c.gate)].correct;
      if (counted) out.reward += c.weight * v.reward;
    }
    if (out.status == VerdictStatus::kUnjudged) out.correct = false;
    out.detail = clip_for_detail(detail);
    return out;
  }

  bool same_answer(const Task& task, const std::string& a, const std::string& b) const override {
    return sub_verifier(components_[correctness_], task).same_answer(task, a, b);
  }

 private:
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Component& c : components_) out.push_back(c.name);
    return out;
  }

  size_t correctness_index(const std::string& wanted, const std::map<std::string, int>& by_name) const {
    if (!wanted.empty()) {
      const auto it = by_name.find(wanted);
      if (it == by_name.end()) {
        throw ConfigError("verifier.composite.correctness: '" + wanted + "' is not a component (components: " +
                          join(names(), ", ") + ")");
      }
      return static_cast<size_t>(it->second);
    }
    const auto first = std::find_if(components_.begin(), components_.end(),
                                    [](const Component& c) { return !c.monitor_only; });
    if (first == components_.end()) {
      throw ConfigError("verifier.composite.component: every component is monitor_only; the reward needs one");
    }
    return static_cast<size_t>(first - components_.begin());
  }

  const Verifier& sub_verifier(const Component& c, const Task& task) const {
    return built(c.verifier.empty() ? task.verifier : c.verifier, "");
  }

  // The verifier called `name`, built once; `field` names the config field in
  // errors (empty at verify time, where the task named it).
  const Verifier& built(const std::string& name, const std::string& field) const {
    if (name == "composite") throw Error("a composite verifier cannot judge a task that names \"composite\"");
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = built_[name];
    if (!slot) {
      try {
        slot = make_verifier(name, config_);
      } catch (const ConfigError&) {
        built_.erase(name);
        throw;
      } catch (const Error& e) {
        built_.erase(name);
        if (field.empty()) throw;
        throw ConfigError(field + ": " + e.what());
      }
    }
    return *slot;
  }

  config::VerifierConfig config_;
  std::vector<Component> components_;
  size_t correctness_ = 0;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<Verifier>> built_;
};

}  // namespace

RLVR_REGISTER_VERIFIER("composite",
                       [](const config::VerifierConfig& c) { return std::make_unique<CompositeVerifier>(c); });

}  // namespace rlvr::verifiers
