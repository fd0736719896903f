// Every task's own solution must pass the verifier the task names, and the
// same solution with a digit prepended must not: the contract between envs/ and verifiers/.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "envs/environment.h"
#include "verifiers/verifier.h"

namespace rlvr {
namespace {

void expect_solutions_verify(const config::EnvConfig& config, size_t count) {
  const auto env = envs::make_environment(config);
  for (const envs::Split split : {envs::Split::kTrain, envs::Split::kEval}) {
    for (size_t i = 0; i < std::min(count, env->size(split)); ++i) {
      const Task t = env->task(split, i);
      const auto verifier = verifiers::make_verifier(t.verifier);
      const verifiers::Verdict right = verifier->verify(t, t.solution);
      ASSERT_TRUE(right.correct) << t.id << " " << t.prompt << " " << t.solution << ": "
                                 << right.detail;
      const verifiers::Verdict wrong = verifier->verify(t, "1" + t.solution);
      EXPECT_FALSE(wrong.correct) << t.id << " " << t.prompt << " " << " corrupted to 1" << t.solution;
    }
  }
}

TEST(EnvSolutions, ArithmeticSolutionsVerify) {
  config::EnvConfig config;
  config.set_name("arithmetic");
  config.mutable_arithmetic()->set_digits(3);
  config.mutable_arithmetic()->set_operators("+-*");
  expect_solutions_verify(config, 2000);
  config.mutable_arithmetic()->set_reverse_answer(true);
  expect_solutions_verify(config, 2000);
}

TEST(EnvSolutions, CountdownSolutionsVerify) {
  config::EnvConfig config;
  config.set_name("countdown");
  for (const auto& [count, max_number, max_target] :
       std::vector<std::tuple<int, int, int>>{{2, 10, 100}, {3, 20, 200}, {6, 100, 1000}, {6, 1000, 1000000}}) {
    config.mutable_countdown()->set_num_count(count);
    config.mutable_countdown()->set_max_number(max_number);
    config.mutable_countdown()->set_max_target(max_target);
    expect_solutions_verify(config, 2000);
  }
}

}  // namespace
}  // namespace rlvr
