#include "envs/environment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/error.h"

namespace rlvr::envs {
namespace {

config::EnvConfig arithmetic(int digits, const std::string& ops, bool zero_pad, bool reverse) {
  config::EnvConfig config;
  config.set_name("arithmetic");
  config.mutable_arithmetic()->set_digits(digits);
  config.mutable_arithmetic()->set_operators(ops);
  config.mutable_arithmetic()->set_zero_pad(zero_pad);
  config.mutable_arithmetic()->set_reverse_answer(reverse);
  return config;
}

struct Parsed {
  std::string a, b;
  char op;
};

Parsed parse_prompt(const std::string& prompt) {
  static const std::regex kPrompt(R"(^(\d+)([-+*])(\d+)=$)");
  std::smatch m;
  EXPECT_TRUE(std::regex_match(prompt, m, kPrompt)) << prompt;
  return Parsed{m[1], m[3], m[2].str()[0]};
}

int64_t apply(const Parsed& p) {
  const int64_t a = std::stoll(p.a), b = std::stoll(p.b);
  return p.op == '+' ? a + b : p.op == '-' ? a - b : a * b;
}

TEST(ArithmeticEnvironment, AnswersAreCorrectForEveryOperator) {
  const auto made = make_environment(arithmetic(4, "+-*", /*zero_pad=*/true, /*reverse=*/false));
  const Environment& env = *made;
  std::set<char> seen;
  for (size_t i = 0; i < 2000; ++i) {
    const Task t = env.task(Split::kTrain, i);
    const Parsed p = parse_prompt(t.prompt);
    EXPECT_EQ(p.a.size(), 4u) << t.prompt;
    EXPECT_EQ(p.b.size(), 4u) << t.prompt;
    EXPECT_EQ(t.reference, std::to_string(apply(p))) << t.prompt;
    EXPECT_EQ(t.solution, t.reference);
    EXPECT_EQ(t.verifier, "exact_number");
    seen.insert(p.op);
  }
  EXPECT_EQ(seen, (std::set<char>{'+', '-', '*'}));
}

TEST(ArithmeticEnvironment, WithoutZeroPadOperandsHaveNoLeadingZeros) {
  const auto made = make_environment(arithmetic(3, "+", /*zero_pad=*/false, false));
  const Environment& env = *made;
  bool short_operand = false;
  for (size_t i = 0; i < 500; ++i) {
    const Parsed p = parse_prompt(env.task(Split::kTrain, i).prompt);
    for (const std::string& operand : {p.a, p.b}) {
      EXPECT_TRUE(operand == "0" || operand[0] != '0') << operand;
      short_operand |= operand.size() < 3;
    }
  }
  EXPECT_TRUE(short_operand);
}

TEST(ArithmeticEnvironment, ReversedAnswersAreFixedWidthLeastSignificantFirst) {
  const auto made = make_environment(arithmetic(3, "+-*", true, /*reverse=*/true));
  const Environment& env = *made;
  bool negative = false;
  for (size_t i = 0; i < 2000; ++i) {
    const Task t = env.task(Split::kTrain, i);
    const Parsed p = parse_prompt(t.prompt);
    const int64_t result = apply(p);
    const size_t width = p.op == '+' ? 4 : p.op == '-' ? 3 : 6;
    std::string digits = t.reference;
    if (result < 0) {
      ASSERT_EQ(digits[0], '-') << t.prompt << " " << t.reference;
      digits.erase(0, 1);
      negative = true;
    }
    ASSERT_EQ(digits.size(), width) << t.prompt << " " << t.reference;
    std::reverse(digits.begin(), digits.end());
    EXPECT_EQ(std::stoll(digits), std::llabs(result)) << t.prompt << " " << t.reference;
    EXPECT_EQ(t.prompt.back(), '=') << "no marker is appended to the prompt";
  }
  EXPECT_TRUE(negative);
}

TEST(ArithmeticEnvironment, BadOperatorsAreConfigErrors) {
  EXPECT_THROW(make_environment(arithmetic(2, "+/", true, false)), ConfigError);
  EXPECT_THROW(make_environment(arithmetic(2, "", true, false)), ConfigError);
}

}  // namespace
}  // namespace rlvr::envs
