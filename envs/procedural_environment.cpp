#include "envs/procedural_environment.h"

#include <cmath>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace rlvr::envs {
namespace {

// Stream ids keep the eval draws and each train index independent of each other.
constexpr uint64_t kTrainStream = 0x747261696eULL;  // "train"
constexpr uint64_t kEvalStream = 0x6576616cULL;     // "eval"
constexpr uint64_t kBuckets = 1'000'000;

// Draws without a new eval task before the eval space counts as exhausted; it is
// divided by eval_fraction so it means ~2000 draws landing in the eval region.
constexpr double kEvalStallDraws = 2000;
// Redraws of one train index before concluding every prompt is in eval.
constexpr int kMaxTrainRedraws = 100'000;

}  // namespace

ProceduralEnvironment::ProceduralEnvironment(std::string name, const config::EnvConfig& config)
    : name_(std::move(name)),
      seed_(config.seed()),
      eval_threshold_(static_cast<uint64_t>(std::llround(config.eval_fraction() * kBuckets))),
      eval_size_(static_cast<size_t>(config.eval_size())) {
  if (eval_threshold_ == 0 || eval_threshold_ >= kBuckets) {
    throw ConfigError("env.eval_fraction must be in (0, 1), got " +
                      std::to_string(config.eval_fraction()));
  }
}

bool ProceduralEnvironment::in_eval(std::string_view prompt) const {
  return fnv1a(prompt, seed_) % kBuckets < eval_threshold_;
}

const std::vector<Task>& ProceduralEnvironment::eval_tasks() const {
  std::call_once(eval_once_, [this] {
    const double fraction = static_cast<double>(eval_threshold_) / kBuckets;
    const auto stall_limit = static_cast<uint64_t>(std::ceil(kEvalStallDraws / fraction));
    Rng rng(derive_seed(seed_, kEvalStream));
    std::unordered_set<std::string> seen;
    for (uint64_t stalled = 0; eval_.size() < eval_size_ && stalled < stall_limit;) {
      Task t = generate(rng);
      if (!in_eval(t.prompt) || !seen.insert(t.prompt).second) {
        ++stalled;
        continue;
      }
      stalled = 0;
      t.id = name_ + "/eval/" + std::to_string(eval_.size());
      eval_.push_back(std::move(t));
    }
    if (eval_.size() < eval_size_) {
      spdlog::warn("{}: the problem space only has {} eval tasks (eval_size is {}); "
                   "evaluating on those. Raise eval_fraction or enlarge the space for more.",
                   name_, eval_.size(), eval_size_);
    }
  });
  return eval_;
}

size_t ProceduralEnvironment::size(Split split) const {
  return split == Split::kTrain ? kTrainSize : eval_tasks().size();
}

Task ProceduralEnvironment::task(Split split, size_t index) const {
  if (index >= size(split)) {
    throw Error(name_ + ": " + split_name(split) + " index " + std::to_string(index) +
                " out of range (size " + std::to_string(size(split)) + ")");
  }
  if (split == Split::kEval) return eval_tasks()[index];

  Rng rng(derive_seed(seed_, kTrainStream, index));
  for (int attempt = 0; attempt < kMaxTrainRedraws; ++attempt) {
    Task t = generate(rng);
    if (in_eval(t.prompt)) continue;
    t.id = name_ + "/train/" + std::to_string(index);
    return t;
  }
  throw Error(name_ + ": no train task outside the eval split after " +
              std::to_string(kMaxTrainRedraws) + " draws; lower env.eval_fraction");
}

}  // namespace rlvr::envs
