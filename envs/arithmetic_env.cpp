#include "envs/arithmetic_env.h"

#include <algorithm>
#include <cstdlib>

#include "core/error.h"

namespace rlvr::envs {
namespace {

std::string padded(int64_t value, int width) {
  std::string s = std::to_string(value);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

}  // namespace

ArithmeticEnvironment::ArithmeticEnvironment(const config::EnvConfig& config)
    : ProceduralEnvironment("arithmetic", config), config_(config.arithmetic()) {
  // Nine digits keep a product of two operands below 10^18, inside int64.
  if (config_.digits() < 1 || config_.digits() > 9) {
    throw ConfigError("env.arithmetic.digits must be in 1..9, got " +
                      std::to_string(config_.digits()));
  }
  const std::string& ops = config_.operators();
  if (ops.empty() || ops.find_first_not_of("+-*") != std::string::npos) {
    throw ConfigError("env.arithmetic.operators must be a non-empty string of '+', '-', '*', got \"" +
                      ops + "\"");
  }
  max_operand_ = 1;
  for (int i = 0; i < config_.digits(); ++i) max_operand_ *= 10;
  --max_operand_;
}

Task ArithmeticEnvironment::generate(Rng& rng) const {
  const int digits = config_.digits();
  const int64_t a = uniform_int(rng, 0, max_operand_);
  const int64_t b = uniform_int(rng, 0, max_operand_);
  const std::string& ops = config_.operators();
  const char op = ops[uniform_int(rng, 0, static_cast<int64_t>(ops.size()) - 1)];
  const int64_t result = op == '+' ? a + b : op == '-' ? a - b : a * b;

  const int operand_width = config_.zero_pad() ? digits : 0;
  Task t;
  t.prompt = padded(a, operand_width) + op + padded(b, operand_width) + "=";
  if (config_.reverse_answer()) {
    const int width = op == '+' ? digits + 1 : op == '-' ? digits : 2 * digits;
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

RLVR_REGISTER_ENVIRONMENT("arithmetic", ArithmeticEnvironment);

}  // namespace rlvr::envs
