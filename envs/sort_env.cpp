// "sort": put a few numbers in ascending order. A task lists `count` numbers
// drawn uniformly from 0..max_number: prompt "sort 3 9 1 4:", reference and SFT
// solution "1 3 4 9", meta["numbers"] "3,9,1,4" (what the verifier checks the
// answer against). Verified by "sorted_list". Its difficulty attributes, count
// and max_number, have a value per level (env.level) and come from env.sort at
// level -1. The example task type of docs/adding-a-task-type.md; thread-safe
// (see ProceduralEnvironment).
#include <algorithm>
#include <vector>

#include "core/error.h"
#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

class SortGenerator : public TaskGenerator {
 public:
  explicit SortGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"count", "numbers to sort", {3, 4, 5, 7, 10}},
            {"max_number", "numbers are drawn from 0..max_number", {9, 9, 20, 99, 999}}};
  }

  Difficulty configured_difficulty(const config::EnvConfig& config) const override {
    return Difficulty({{"count", config.sort().count()}, {"max_number", config.sort().max_number()}});
  }

  // Loaded configs are range-checked already (proto/config.proto); this guards
  // configs built in code and env.difficulty, where max_number < 0 would break uniform_int.
  void check(const Difficulty& difficulty) const override {
    if (difficulty["count"] < 2 || difficulty["max_number"] < 1) {
      throw ConfigError("env.sort needs count >= 2 and max_number >= 1, got " + std::to_string(difficulty["count"]) +
                        " and " + std::to_string(difficulty["max_number"]));
    }
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    std::vector<int64_t> numbers(difficulty["count"]);
    for (int64_t& n : numbers) n = uniform_int(rng, 0, difficulty["max_number"]);
    Task t;
    t.prompt = "sort " + join_numbers(numbers, " ") + ":";
    t.meta["numbers"] = join_numbers(numbers, ",");
    std::sort(numbers.begin(), numbers.end());
    t.reference = join_numbers(numbers, " ");
    t.solution = t.reference;
    t.verifier = "sorted_list";
    return t;
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("sort", SortGenerator);

}  // namespace rlvr::envs
