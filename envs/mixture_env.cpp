// "mixture": several environments trained on at once (env.mixture). Training
// task i comes from a component drawn with probability weight / sum of
// weights, then a task drawn uniformly from that component's training split,
// both from a stream of i's own (so task(kTrain, i) depends on nothing else).
// The eval split interleaves the components' eval splits round-robin, so its
// first N tasks (eval.num_tasks) hold every component. Every task carries
// meta "env" = the component's label, which the trainer reports accuracy by
// (accuracy/<label>). Components keep their own seeds and splits, so their
// train and eval stay disjoint. Thread-safe (its components are).
#include <set>

#include "core/config.h"
#include "core/error.h"
#include "core/rng.h"
#include "envs/procedural_environment.h"

namespace rlvr::envs {
namespace {

constexpr uint64_t kComponentStream = 0x6d6978ULL;  // "mix"

// A component's error located at its field: "env.level: ..." from a component
// becomes "env.mixture.component[i].env.level: ...".
[[noreturn]] void rethrow_located(int i, const Error& e) {
  const std::string prefix = "env.mixture.component[" + std::to_string(i) + "].";
  const std::string message = e.what();
  throw ConfigError(config::split_located(message) ? prefix + message : prefix + "env.name: " + message);
}

class MixtureEnvironment : public Environment {
 public:
  explicit MixtureEnvironment(const config::EnvConfig& config) : seed_(config.seed()) {
    const auto& mixture = config.mixture();
    if (mixture.component_size() == 0) {
      throw ConfigError("env.mixture.component: a mixture needs at least one component, e.g. component { weight: 2 "
                        "env { name: \"parity\" } }");
    }
    std::set<std::string> labels;
    for (int i = 0; i < mixture.component_size(); ++i) {
      const config::MixtureComponent& c = mixture.component(i);
      if (c.env().name() == "mixture") {
        throw ConfigError("env.mixture.component[" + std::to_string(i) + "].env.name: a mixture cannot contain a "
                          "mixture; list its components here instead");
      }
      if (!(c.weight() > 0)) {
        throw ConfigError("env.mixture.component[" + std::to_string(i) + "].weight: must be > 0, got " +
                          std::to_string(c.weight()));
      }
      Part part{c.label().empty() ? c.env().name() : c.label(), c.weight(), nullptr};
      if (!labels.insert(part.label).second) {
        throw ConfigError("env.mixture.component[" + std::to_string(i) + "].label: two components are called '" +
                          part.label + "'; give each a distinct label");
      }
      try {
        part.env = make_environment(c.env());
      } catch (const Error& e) {
        rethrow_located(i, e);
      }
      if (part.env->size(Split::kTrain) == 0) {
        throw ConfigError("env.mixture.component[" + std::to_string(i) + "].env: '" + part.label +
                          "' has no training tasks");
      }
      total_weight_ += part.weight;
      parts_.push_back(std::move(part));
    }
    interleave_eval();
  }

  std::string name() const override { return "mixture"; }

  // As many training indices as a procedural environment: more than any run draws.
  size_t size(Split split) const override {
    return split == Split::kTrain ? ProceduralEnvironment::kTrainSize : eval_.size();
  }

  Task task(Split split, size_t index) const override {
    if (index >= size(split)) {
      throw Error("mixture: " + std::string(split_name(split)) + " index " + std::to_string(index) +
                  " out of range (size " + std::to_string(size(split)) + ")");
    }
    if (split == Split::kEval) return labelled(eval_[index].first, eval_[index].second, Split::kEval);
    Rng rng(derive_seed(seed_, kComponentStream, index));
    double pick = uniform_unit(rng) * total_weight_;
    size_t k = 0;
    while (k + 1 < parts_.size() && pick >= parts_[k].weight) pick -= parts_[k++].weight;
    const auto train_size = static_cast<int64_t>(parts_[k].env->size(Split::kTrain));
    return labelled(k, static_cast<size_t>(uniform_int(rng, 0, train_size - 1)), Split::kTrain);
  }

 private:
  struct Part {
    std::string label;
    double weight;
    std::unique_ptr<Environment> env;
  };

  Task labelled(size_t part, size_t index, Split split) const {
    Task t = parts_[part].env->task(split, index);
    t.meta["env"] = parts_[part].label;
    if (parts_[part].label != parts_[part].env->name()) t.id = parts_[part].label + "/" + t.id;
    return t;
  }

  void interleave_eval() {
    size_t longest = 0;
    for (const Part& p : parts_) longest = std::max(longest, p.env->size(Split::kEval));
    for (size_t i = 0; i < longest; ++i) {
      for (size_t k = 0; k < parts_.size(); ++k) {
        if (i < parts_[k].env->size(Split::kEval)) eval_.emplace_back(k, i);
      }
    }
  }

  uint64_t seed_;
  double total_weight_ = 0;
  std::vector<Part> parts_;
  std::vector<std::pair<size_t, size_t>> eval_;  // (component, its eval index)
};

}  // namespace

RLVR_REGISTER_ENVIRONMENT("mixture", MixtureEnvironment);

}  // namespace rlvr::envs
