// "word_problems": a count that changes step by step, told in words:
//   prompt   "Ann has 3 pens, buys 4, loses 2. How many?"
//   solution "3+4-2=5" (the sum the story stands for), reference "5".
// Verified by "exact_number", which reads the last number, so "5" alone is
// right too. The skill is mapping verbs to operations (buys/finds/gets add;
// gives/loses/sells take away) over several steps; a step never takes away
// more than there is, so every count in the story is a natural number and the
// sum is evaluated left to right without parentheses.
// Difficulty: steps (changes after the start) and max_number (largest number
// in the story).
#include <algorithm>
#include <array>
#include <string>

#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

constexpr std::array<const char*, 10> kNames = {"Ann", "Bob", "Cy", "Dan", "Eve", "Kim", "Max", "Sam", "Tom", "Zoe"};
constexpr std::array<const char*, 8> kItems = {"apples", "pens", "cards", "coins", "eggs", "books", "rocks", "stamps"};
constexpr std::array<const char*, 3> kGains = {"buys", "finds", "gets"};
constexpr std::array<const char*, 3> kLosses = {"gives", "loses", "sells"};

template <size_t N>
const char* pick_word(const std::array<const char*, N>& words, Rng& rng) {
  return words[uniform_int(rng, 0, static_cast<int64_t>(N) - 1)];
}

class WordProblemsGenerator : public TaskGenerator {
 public:
  explicit WordProblemsGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"steps", "changes to the count after the start", {1, 2, 3, 4, 6}},
            {"max_number", "largest number in the story", {5, 9, 20, 50, 99}}};
  }

  void check(const Difficulty& difficulty) const override {
    require_in_range("word_problems", difficulty, "steps", 1, 20);
    require_in_range("word_problems", difficulty, "max_number", 1, 1'000'000);
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const int64_t max_number = difficulty["max_number"];
    const std::string name = pick_word(kNames, rng);
    const std::string items = pick_word(kItems, rng);
    int64_t count = uniform_int(rng, 1, max_number);
    std::string story = name + " has " + std::to_string(count) + " " + items;
    std::string sum = std::to_string(count);
    for (int64_t step = 0; step < difficulty["steps"]; ++step) {
      const bool gain = count == 0 || uniform_int(rng, 0, 1) == 1;
      const int64_t amount = uniform_int(rng, 1, gain ? max_number : std::min(count, max_number));
      const char* verb = gain ? pick_word(kGains, rng) : pick_word(kLosses, rng);
      story += std::string(", ") + verb + " " + std::to_string(amount);
      sum += (gain ? "+" : "-") + std::to_string(amount);
      count += gain ? amount : -amount;
    }
    Task t;
    t.prompt = story + ". How many?";
    t.reference = std::to_string(count);
    t.solution = sum + "=" + t.reference;
    t.verifier = "exact_number";
    return t;
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("word_problems", WordProblemsGenerator);

}  // namespace rlvr::envs
