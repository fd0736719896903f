#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/error.h"
#include "envs/environment.h"

namespace rlvr::envs {
namespace {

config::EnvConfig mixture(double arithmetic_weight, double parity_weight) {
  config::EnvConfig config;
  config.set_name("mixture");
  auto* a = config.mutable_mixture()->add_component();
  a->set_weight(arithmetic_weight);
  a->mutable_env()->set_name("arithmetic");
  a->mutable_env()->set_eval_size(30);
  auto* p = config.mutable_mixture()->add_component();
  p->set_weight(parity_weight);
  p->mutable_env()->set_name("parity");
  p->mutable_env()->set_eval_size(10);
  return config;
}

TEST(MixtureEnvironment, TrainTasksFollowTheWeightsAndCarryTheirEnvironment) {
  const auto env = make_environment(mixture(3, 1));
  std::map<std::string, int> counts;
  for (size_t i = 0; i < 4000; ++i) {
    const Task t = env->task(Split::kTrain, i);
    ++counts[t.meta.at("env")];
    EXPECT_EQ(t.verifier, t.meta.at("env") == "parity" ? "parity" : "exact_number");
  }
  EXPECT_NEAR(counts["arithmetic"] / 4000.0, 0.75, 0.03);
  EXPECT_NEAR(counts["parity"] / 4000.0, 0.25, 0.03);
  // Deterministic: the same index gives the same task.
  EXPECT_EQ(env->task(Split::kTrain, 17).prompt, make_environment(mixture(3, 1))->task(Split::kTrain, 17).prompt);
}

TEST(MixtureEnvironment, EvalInterleavesEveryComponentsEvalSplitAndStaysOutOfTraining) {
  const auto env = make_environment(mixture(1, 1));
  ASSERT_EQ(env->size(Split::kEval), 40u);
  EXPECT_EQ(env->task(Split::kEval, 0).meta.at("env"), "arithmetic");
  EXPECT_EQ(env->task(Split::kEval, 1).meta.at("env"), "parity");
  std::set<std::string> eval;
  for (size_t i = 0; i < env->size(Split::kEval); ++i) eval.insert(env->task(Split::kEval, i).prompt);
  EXPECT_EQ(eval.size(), 40u);
  for (size_t i = 0; i < 3000; ++i) EXPECT_EQ(eval.count(env->task(Split::kTrain, i).prompt), 0u);
}

void expect_error_at(const config::EnvConfig& config, const std::string& field) {
  try {
    make_environment(config);
    ADD_FAILURE() << "no error for " << field;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(field + ": ", 0), 0u) << e.what();
  }
}

TEST(MixtureEnvironment, BadComponentsNameTheirField) {
  config::EnvConfig empty;
  empty.set_name("mixture");
  expect_error_at(empty, "env.mixture.component");
  auto unknown = mixture(1, 1);
  unknown.mutable_mixture()->mutable_component(1)->mutable_env()->set_name("pariti");
  expect_error_at(unknown, "env.mixture.component[1].env.name");
  auto level = mixture(1, 1);
  level.mutable_mixture()->mutable_component(1)->mutable_env()->set_level(99);
  expect_error_at(level, "env.mixture.component[1].env.level");
  auto twice = mixture(1, 1);
  twice.mutable_mixture()->mutable_component(1)->mutable_env()->set_name("arithmetic");
  expect_error_at(twice, "env.mixture.component[1].label");
  auto zero = mixture(1, 0);
  expect_error_at(zero, "env.mixture.component[1].weight");
}

}  // namespace
}  // namespace rlvr::envs
