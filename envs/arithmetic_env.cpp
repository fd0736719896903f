// "arithmetic": integer problems "a<op>b=" (e.g. "07+42="), operands uniform in
// [0, 10^digits - 1], the operator uniform over config.arithmetic().operators.
// The reference (and the SFT solution) is the result in decimal; with
// reverse_answer it is |result| zero-padded to the widest result of the operator
// (digits+1 for '+', digits for '-', 2*digits for '*'), written least-significant
// digit first, with a leading '-' when negative: 07+95= -> "201" (102 reversed).
// Verified by "exact_number". A TaskGenerator (envs/task_generator.h) whose one
// difficulty attribute is digits, levels 0..5 = 1..6 digits; at env.level -1
// it is env.arithmetic.digits. Thread-safe (see ProceduralEnvironment).
// Operators, zero_pad and reverse_answer stay settings of env.arithmetic: they
// change the task's form, not how hard it is.
#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

std::string padded(int64_t value, int64_t width) {
  std::string s = std::to_string(value);
  if (static_cast<int64_t>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

class ArithmeticGenerator : public TaskGenerator {
 public:
  explicit ArithmeticGenerator(const config::EnvConfig& config) : config_(config.arithmetic()) {
    const std::string& ops = config_.operators();
    if (ops.empty() || ops.find_first_not_of("+-*") != std::string::npos) {
      throw ConfigError("env.arithmetic.operators must be a non-empty string of '+', '-', '*', got \"" + ops +
                        "\"");
    }
  }

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"digits", "digits per operand", {1, 2, 3, 4, 5, 6}}};
  }

  Difficulty configured_difficulty(const config::EnvConfig& config) const override {
    return Difficulty({{"digits", config.arithmetic().digits()}});
  }

  void check(const Difficulty& difficulty) const override {
    // Nine digits keep a product of two operands below 10^18, inside int64.
    if (difficulty["digits"] < 1 || difficulty["digits"] > 9) {
      throw ConfigError("env.arithmetic.digits must be in 1..9, got " + std::to_string(difficulty["digits"]));
    }
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const int64_t digits = difficulty["digits"];
    const int64_t max_operand = largest_with_digits(digits);
    const int64_t a = uniform_int(rng, 0, max_operand);
    const int64_t b = uniform_int(rng, 0, max_operand);
    const std::string& ops = config_.operators();
    const char op = ops[uniform_int(rng, 0, static_cast<int64_t>(ops.size()) - 1)];
    const int64_t result = op == '+' ? a + b : op == '-' ? a - b : a * b;

    const int64_t operand_width = config_.zero_pad() ? digits : 0;
    Task t;
    t.prompt = padded(a, operand_width) + op + padded(b, operand_width) + "=";
    if (config_.reverse_answer()) {
      const int64_t width = op == '+' ? digits + 1 : op == '-' ? digits : 2 * digits;
      std::string s = padded(std::llabs(result), width);
      std::reverse(s.begin(), s.end());
      t.reference = result < 0 ? "-" + s : s;
    } else {
      t.reference = std::to_string(result);
    }
    t.solution = t.reference;
    t.verifier = "exact_number";
    return t;
  }

 private:
  config::ArithmeticConfig config_;
};

}  // namespace

RLVR_REGISTER_GENERATOR("arithmetic", ArithmeticGenerator);

}  // namespace rlvr::envs
