#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "envs/environment.h"

namespace rlvr::envs {
namespace {

config::EnvConfig parity(int width, int min_ones, int max_ones, double worked) {
  config::EnvConfig config;
  config.set_name("parity");
  config.set_eval_size(200);
  auto* p = config.mutable_parity();
  p->set_width(width);
  p->set_min_ones(min_ones);
  p->set_max_ones(max_ones);
  p->set_worked_fraction(worked);
  return config;
}

TEST(ParityEnvironment, PromptsAreFixedWidthWithTheConfiguredNumberOfOnes) {
  const auto env = make_environment(parity(12, 2, 5, 0.25));
  std::set<int64_t> counts;
  for (size_t i = 0; i < 2000; ++i) {
    const Task t = env->task(Split::kTrain, i);
    ASSERT_EQ(t.prompt.size(), 13u) << t.prompt;
    EXPECT_EQ(t.prompt.back(), '=');
    const std::string bits = t.prompt.substr(0, 12);
    ASSERT_EQ(bits.find_first_not_of("01"), std::string::npos) << t.prompt;
    const int64_t ones = std::count(bits.begin(), bits.end(), '1');
    counts.insert(ones);
    EXPECT_EQ(t.reference, ones % 2 ? "1" : "0") << t.prompt;
    EXPECT_EQ(t.verifier, "parity");
  }
  EXPECT_EQ(counts, (std::set<int64_t>{2, 3, 4, 5}));
}

TEST(ParityEnvironment, WorkedSolutionsShowTheRunningParity) {
  const auto env = make_environment(parity(10, 0, 10, 0.25));
  int worked = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const Task t = env->task(Split::kTrain, i);
    if (t.solution == t.reference) continue;
    ++worked;
    ASSERT_EQ(t.solution.size(), 11u) << t.solution;
    EXPECT_EQ(t.solution[0], '#');
    char running = '0';
    for (int b = 0; b < 10; ++b) {
      if (t.prompt[b] == '1') running = running == '0' ? '1' : '0';
      EXPECT_EQ(t.solution[1 + b], running) << t.prompt << " " << t.solution;
    }
    EXPECT_EQ(std::string(1, t.solution.back()), t.reference);
  }
  // Binomial(4000, 0.25): sd 27; five of them.
  EXPECT_NEAR(worked, n / 4, 140);
}

TEST(ParityEnvironment, EveryOrNoSolutionWorked) {
  const auto all = make_environment(parity(8, 1, 3, 1.0));
  const auto none = make_environment(parity(8, 1, 3, 0.0));
  for (size_t i = 0; i < 200; ++i) {
    EXPECT_EQ(all->task(Split::kTrain, i).solution.size(), 9u);
    EXPECT_EQ(none->task(Split::kTrain, i).solution.size(), 1u);
  }
}

TEST(ParityEnvironment, RejectsMoreOnesThanBits) {
  EXPECT_THROW(make_environment(parity(8, 1, 9, 0.25)), ConfigError);
  EXPECT_THROW(make_environment(parity(8, 5, 4, 0.25)), ConfigError);
}

}  // namespace
}  // namespace rlvr::envs
