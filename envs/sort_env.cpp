// "sort": put a few numbers in ascending order. A task lists env.sort.count
// numbers drawn uniformly from 0..max_number: prompt "sort 3 9 1 4:", reference
// and SFT solution "1 3 4 9", meta["numbers"] "3,9,1,4" (what the verifier
// checks the answer against). Verified by "sorted_list". The example task type
// of docs/adding-a-task-type.md; thread-safe (see ProceduralEnvironment).
#include <algorithm>
#include <vector>

#include "core/error.h"
#include "core/text_util.h"
#include "envs/procedural_environment.h"

namespace rlvr::envs {
namespace {

std::string joined(const std::vector<int64_t>& numbers, std::string_view separator) {
  std::vector<std::string> texts;
  for (const int64_t n : numbers) texts.push_back(std::to_string(n));
  return join(texts, separator);
}

class SortEnvironment : public ProceduralEnvironment {
 public:
  explicit SortEnvironment(const config::EnvConfig& config)
      : ProceduralEnvironment("sort", config), config_(config.sort()) {
    // Loaded configs are range-checked already (proto/config.proto); this
    // guards configs built in code, where max_number < 0 would break uniform_int.
    if (config_.count() < 2 || config_.max_number() < 1) {
      throw ConfigError("env.sort needs count >= 2 and max_number >= 1, got " +
                        std::to_string(config_.count()) + " and " + std::to_string(config_.max_number()));
    }
  }

 protected:
  Task generate(Rng& rng) const override {
    std::vector<int64_t> numbers(config_.count());
    for (int64_t& n : numbers) n = uniform_int(rng, 0, config_.max_number());
    Task t;
    t.prompt = "sort " + joined(numbers, " ") + ":";
    t.meta["numbers"] = joined(numbers, ",");
    std::sort(numbers.begin(), numbers.end());
    t.reference = joined(numbers, " ");
    t.solution = t.reference;
    t.verifier = "sorted_list";
    return t;
  }

 private:
  config::SortConfig config_;
};

}  // namespace

RLVR_REGISTER_ENVIRONMENT("sort", SortEnvironment);

}  // namespace rlvr::envs
