// "running_total": one left-to-right chain of additions and subtractions,
// "12+7-3=". The SFT solution is a scratchpad of the running value after each
// operator, ';' between them, the last being the answer: "19;16". The answer is
// therefore the last number of the completion, which is what "exact_number"
// reads, so a bare "16" is as right as the worked form. ';' rather than ','
// because "19,160" would read as one number with a thousands separator.
// Values may go negative ("3-8=" -> "-5"); with only + and - left-to-right
// order is also the precedence order, so the prompt needs no parentheses.
// Difficulty: terms (numbers in the chain) and digits (per number).
#include <string>
#include <vector>

#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

class RunningTotalGenerator : public TaskGenerator {
 public:
  explicit RunningTotalGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"terms", "numbers in the chain", {2, 3, 4, 6, 8}},
            {"digits", "most digits per number", {1, 1, 2, 2, 3}}};
  }

  void check(const Difficulty& difficulty) const override {
    require_in_range("running_total", difficulty, "terms", 2, 30);
    require_in_range("running_total", difficulty, "digits", 1, 9);
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const int64_t max_number = largest_with_digits(difficulty["digits"]);
    int64_t running = uniform_int(rng, 0, max_number);
    std::string prompt = std::to_string(running);
    std::vector<int64_t> steps;
    for (int64_t term = 1; term < difficulty["terms"]; ++term) {
      const bool add = uniform_int(rng, 0, 1) == 1;
      const int64_t number = uniform_int(rng, 0, max_number);
      prompt += (add ? "+" : "-") + std::to_string(number);
      running += add ? number : -number;
      steps.push_back(running);
    }
    Task t;
    t.prompt = prompt + "=";
    t.reference = std::to_string(running);
    t.solution = join_numbers(steps, ";");
    t.verifier = "exact_number";
    return t;
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("running_total", RunningTotalGenerator);

}  // namespace rlvr::envs
