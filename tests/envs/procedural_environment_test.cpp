// Split behaviour of ProceduralEnvironment, exercised through the arithmetic env.
#include "envs/procedural_environment.h"

#include <gtest/gtest.h>

#include <thread>
#include <unordered_set>

#include "core/error.h"

namespace rlvr::envs {
namespace {

config::EnvConfig arithmetic(uint64_t seed, int digits = 3, const std::string& ops = "+-*") {
  config::EnvConfig config;
  config.set_name("arithmetic");
  config.set_seed(seed);
  config.mutable_arithmetic()->set_digits(digits);
  config.mutable_arithmetic()->set_operators(ops);
  return config;
}

std::unordered_set<std::string> eval_prompts(const Environment& env) {
  std::unordered_set<std::string> prompts;
  for (size_t i = 0; i < env.size(Split::kEval); ++i) prompts.insert(env.task(Split::kEval, i).prompt);
  return prompts;
}

TEST(ProceduralEnvironment, SameSeedSameTasksDifferentSeedDifferentTasks) {
  const auto pa = make_environment(arithmetic(7)), pb = make_environment(arithmetic(7)), pc = make_environment(arithmetic(8));
  const Environment &a = *pa, &b = *pb, &c = *pc;
  int differ = 0;
  for (size_t i = 0; i < 100; ++i) {
    EXPECT_EQ(a.task(Split::kTrain, i).prompt, b.task(Split::kTrain, i).prompt);
    EXPECT_EQ(a.task(Split::kEval, i).prompt, b.task(Split::kEval, i).prompt);
    differ += a.task(Split::kTrain, i).prompt != c.task(Split::kTrain, i).prompt;
  }
  EXPECT_GT(differ, 90);
  EXPECT_NE(eval_prompts(a), eval_prompts(c));
}

TEST(ProceduralEnvironment, TrainTaskDoesNotDependOnAccessOrder) {
  const auto pa = make_environment(arithmetic(7)), pb = make_environment(arithmetic(7));
  const Environment &a = *pa, &b = *pb;
  const Task late = a.task(Split::kTrain, 12345);
  for (size_t i = 0; i < 10; ++i) a.task(Split::kTrain, i);
  EXPECT_EQ(b.task(Split::kTrain, 12345).prompt, late.prompt);
}

TEST(ProceduralEnvironment, TrainAndEvalAreDisjoint) {
  const auto made = make_environment(arithmetic(1234));
  const Environment& env = *made;
  const std::unordered_set<std::string> eval = eval_prompts(env);
  ASSERT_EQ(eval.size(), 500u);  // the default eval_size, all distinct
  for (size_t i = 0; i < 20000; ++i) {
    ASSERT_EQ(eval.count(env.task(Split::kTrain, i).prompt), 0u) << "train task " << i;
  }
}

TEST(ProceduralEnvironment, IdsNameEnvSplitAndIndex) {
  const auto made = make_environment(arithmetic(1));
  const Environment& env = *made;
  EXPECT_EQ(env.task(Split::kTrain, 42).id, "arithmetic/train/42");
  EXPECT_EQ(env.task(Split::kEval, 3).id, "arithmetic/eval/3");
  EXPECT_EQ(env.size(Split::kTrain), ProceduralEnvironment::kTrainSize);
}

TEST(ProceduralEnvironment, SmallProblemSpaceGivesEveryEvalPromptOnce) {
  // 1-digit addition has 100 prompts; about 10 of them hash into the eval region.
  config::EnvConfig config = arithmetic(5, 1, "+");
  config.set_eval_fraction(0.1);
  const auto made = make_environment(config);
  const Environment& env = *made;
  const std::unordered_set<std::string> eval = eval_prompts(env);
  EXPECT_EQ(eval.size(), env.size(Split::kEval));
  EXPECT_GT(eval.size(), 0u);
  EXPECT_LT(eval.size(), 30u);
  // Every eval-region prompt of the space is found, so the stall rule stopped late enough.
  std::unordered_set<std::string> train;
  for (size_t i = 0; i < 3000; ++i) train.insert(env.task(Split::kTrain, i).prompt);
  EXPECT_EQ(train.size() + eval.size(), 100u);
  for (const std::string& p : train) EXPECT_EQ(eval.count(p), 0u) << p;
}

TEST(ProceduralEnvironment, OutOfRangeIndexThrows) {
  const auto made = make_environment(arithmetic(1));
  const Environment& env = *made;
  EXPECT_THROW(env.task(Split::kEval, env.size(Split::kEval)), Error);
  EXPECT_THROW(env.task(Split::kTrain, ProceduralEnvironment::kTrainSize), Error);
}

TEST(ProceduralEnvironment, ConcurrentFirstEvalAccessSeesOneSplit) {
  const auto made = make_environment(arithmetic(99));
  const Environment& env = *made;
  std::vector<std::string> first(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < first.size(); ++t) {
    threads.emplace_back([&, t] { first[t] = env.task(Split::kEval, 499).prompt; });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& p : first) EXPECT_EQ(p, first[0]);
}

}  // namespace
}  // namespace rlvr::envs
