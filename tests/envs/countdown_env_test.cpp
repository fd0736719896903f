#include "envs/environment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::envs {
namespace {

config::EnvConfig countdown(int count, int max_number, int max_target) {
  config::EnvConfig config;
  config.set_name("countdown");
  config.mutable_countdown()->set_num_count(count);
  config.mutable_countdown()->set_max_number(max_number);
  config.mutable_countdown()->set_max_target(max_target);
  return config;
}

TEST(CountdownEnvironment, TasksMatchTheirConfig) {
  const auto made = make_environment(countdown(4, 25, 100));
  const Environment& env = *made;
  std::set<char> ops;
  for (size_t i = 0; i < 1000; ++i) {
    const Task t = env.task(Split::kTrain, i);
    const std::vector<std::string> numbers = split(t.meta.at("numbers"), ',');
    ASSERT_EQ(numbers.size(), 4u) << t.prompt;
    for (const std::string& n : numbers) {
      EXPECT_GE(std::stoi(n), 1);
      EXPECT_LE(std::stoi(n), 25);
    }
    const int target = std::stoi(t.reference);
    EXPECT_GE(target, 1);
    EXPECT_LE(target, 100);
    EXPECT_EQ(t.prompt, join(numbers, " ") + " -> " + t.reference + ":");
    EXPECT_EQ(t.verifier, "countdown");
    EXPECT_FALSE(t.solution.empty());
    for (char c : t.solution) {
      if (std::string("+-*/").find(c) != std::string::npos) ops.insert(c);
    }
  }
  EXPECT_EQ(ops, (std::set<char>{'+', '-', '*', '/'}));
}

// True when the parenthesised group text[open..close] changes how the expression
// parses: its top operator binds looser than the operator beside it, or equally
// loosely on the right of '-' or '/'.
bool group_needed(const std::string& text, size_t open, size_t close) {
  int inner = 3;  // a lone literal
  int depth = 0;
  for (size_t k = open + 1; k < close; ++k) {
    depth += text[k] == '(' ? 1 : text[k] == ')' ? -1 : 0;
    if (depth == 0 && (text[k] == '+' || text[k] == '-')) inner = 1;
    if (depth == 0 && (text[k] == '*' || text[k] == '/')) inner = std::min(inner, 2);
  }
  const char before = open > 0 ? text[open - 1] : ' ';
  const char after = close + 1 < text.size() ? text[close + 1] : ' ';
  const auto is = [](char c, const char* set) { return std::string(set).find(c) != std::string::npos; };
  return (inner == 1 && (is(before, "*/-") || is(after, "*/"))) || (inner == 2 && before == '/');
}

TEST(CountdownEnvironment, SolutionsUseMinimalParentheses) {
  const auto made = make_environment(countdown(6, 100, 1000));
  const Environment& env = *made;
  int groups = 0;
  for (size_t i = 0; i < 2000; ++i) {
    const std::string s = env.task(Split::kTrain, i).solution;
    std::vector<size_t> opens;
    for (size_t k = 0; k < s.size(); ++k) {
      if (s[k] == '(') opens.push_back(k);
      if (s[k] != ')') continue;
      ASSERT_FALSE(opens.empty()) << s;
      EXPECT_TRUE(group_needed(s, opens.back(), k)) << s << ": group at column " << opens.back() + 1;
      opens.pop_back();
      ++groups;
    }
    EXPECT_TRUE(opens.empty()) << s;
  }
  EXPECT_GT(groups, 100);
}

TEST(CountdownEnvironment, Deterministic) {
  const auto pa = make_environment(countdown(3, 20, 200)), pb = make_environment(countdown(3, 20, 200));
  const Environment &a = *pa, &b = *pb;
  for (size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(a.task(Split::kTrain, i).solution, b.task(Split::kTrain, i).solution);
    EXPECT_EQ(a.task(Split::kEval, i).prompt, b.task(Split::kEval, i).prompt);
  }
}

TEST(CountdownEnvironment, BadConfigIsAConfigError) {
  EXPECT_THROW(make_environment(countdown(7, 20, 200)), ConfigError);
  EXPECT_THROW(make_environment(countdown(3, 2000, 200)), ConfigError);
}

}  // namespace
}  // namespace rlvr::envs
