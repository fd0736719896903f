#include "trainer/curriculum.h"

#include <gtest/gtest.h>

namespace rlvr::trainer {
namespace {

config::EnvConfig parity_curriculum(int top_level, int start_level, int window) {
  config::EnvConfig env;
  env.set_name("parity");
  env.set_eval_size(20);
  env.set_level(top_level);
  auto* c = env.mutable_curriculum();
  c->set_start_level(start_level);
  c->set_window(window);
  c->set_promote_at(0.75);
  c->set_demote_at(0.3);
  return env;
}

TEST(Curriculum, PromotesOnAFullWindowAtThePromoteRateAndStopsAtTheTargetLevel) {
  LoopState state;
  Curriculum curriculum(parity_curriculum(2, 0, 4), state);
  EXPECT_EQ(curriculum.level(), 0);
  EXPECT_FALSE(curriculum.observe({1, 1, 1}));  // the window is not full yet
  const auto up = curriculum.observe({1});
  ASSERT_TRUE(up);
  EXPECT_EQ(up->from, 0);
  EXPECT_EQ(up->to, 1);
  EXPECT_DOUBLE_EQ(up->pass_rate, 1.0);
  EXPECT_TRUE(state.curriculum_window.empty());  // a new level starts a new window
  EXPECT_FALSE(curriculum.observe({1, 0, 1, 0}));  // 0.5: stay
  EXPECT_EQ(curriculum.observe({1, 1, 1, 1})->to, 2);  // the rolling window: last 4 are 1,1,1,1
  EXPECT_FALSE(curriculum.observe({1, 1, 1, 1}));  // already at env.level
  EXPECT_EQ(curriculum.level(), 2);
}

TEST(Curriculum, DemotesAtTheDemoteRateButNotBelowTheStartLevel) {
  LoopState state;
  Curriculum curriculum(parity_curriculum(3, 1, 2), state);
  EXPECT_FALSE(curriculum.observe({0, 0}));  // at start_level already
  EXPECT_EQ(curriculum.observe({1, 1})->to, 2);
  const auto down = curriculum.observe({0, 0});
  ASSERT_TRUE(down);
  EXPECT_EQ(down->to, 1);
  EXPECT_DOUBLE_EQ(down->pass_rate, 0);
}

TEST(Curriculum, NeverDemotesByDefault) {
  auto env = parity_curriculum(3, 0, 2);
  env.mutable_curriculum()->clear_demote_at();
  LoopState state;
  Curriculum curriculum(env, state);
  EXPECT_EQ(curriculum.observe({1, 1})->to, 1);
  EXPECT_FALSE(curriculum.observe({0, 0}));
  EXPECT_FALSE(curriculum.observe({0, 0, 0, 0}));
  EXPECT_EQ(curriculum.level(), 1);
}

TEST(Curriculum, ItsPositionLivesInTheLoopStateSoAResumedRunContinues) {
  LoopState state;
  {
    Curriculum curriculum(parity_curriculum(3, 0, 4), state);
    curriculum.observe({1, 1, 1, 1});
    curriculum.observe({1, 0});
  }
  EXPECT_EQ(state.curriculum_level, 1);
  Curriculum resumed(parity_curriculum(3, 0, 4), state);
  EXPECT_EQ(resumed.level(), 1);
  EXPECT_DOUBLE_EQ(resumed.pass_rate(), 0.5);
  EXPECT_EQ(resumed.observe({1, 1})->to, 2);  // the window {1, 0} carried over: 3 of 4
}

TEST(Curriculum, TrainTasksComeFromTheCurrentLevel) {
  LoopState state;
  Curriculum curriculum(parity_curriculum(3, 0, 1), state);
  const std::string easy = curriculum.train_env().task(envs::Split::kTrain, 0).prompt;
  curriculum.observe({1});
  curriculum.observe({1});
  const std::string hard = curriculum.train_env().task(envs::Split::kTrain, 0).prompt;
  EXPECT_NE(easy, hard);
}

}  // namespace
}  // namespace rlvr::trainer
