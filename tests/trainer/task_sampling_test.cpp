#include "trainer/task_sampling.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/error.h"

namespace rlvr::trainer {
namespace {

std::unique_ptr<envs::Environment> parity_env() {
  config::EnvConfig config;
  config.set_name("parity");
  config.set_eval_size(50);
  auto* p = config.mutable_parity();
  p->set_width(16);
  p->set_min_ones(1);
  p->set_max_ones(15);
  p->set_worked_fraction(0.1);
  return envs::make_environment(config);
}

std::set<std::string> prompts(const std::vector<Task>& tasks) {
  std::set<std::string> out;
  for (const Task& t : tasks) out.insert(t.prompt);
  return out;
}

TEST(TaskSampling, AllRlPromptsAreEachRlStepsPromptsInOrder) {
  const auto env = parity_env();
  const auto all = all_rl_prompts(*env, 7, 3, 4);
  ASSERT_EQ(all.size(), 12u);
  for (int64_t step = 1; step <= 3; ++step) {
    const auto step_prompts = rl_step_prompts(*env, 7, step, 4);
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(all[(step - 1) * 4 + i].prompt, step_prompts[i].prompt);
  }
}

// The answer-only control draws its batches this way: only RL's prompts, never
// one RL did not see, reproducibly by step.
TEST(TaskSampling, PoolDrawsStayInThePoolAndRepeatByStep) {
  const auto env = parity_env();
  const auto pool = all_rl_prompts(*env, 7, 5, 8);
  const auto in_pool = prompts(pool);
  std::set<std::string> drawn;
  for (int64_t step = 1; step <= 50; ++step) {
    const auto batch = sample_from_pool(pool, 7, 0xAB, step, 16);
    ASSERT_EQ(batch.size(), 16u);
    for (const Task& t : batch) EXPECT_TRUE(in_pool.count(t.prompt)) << t.prompt;
    for (const std::string& p : prompts(batch)) drawn.insert(p);
    EXPECT_EQ(prompts(sample_from_pool(pool, 7, 0xAB, step, 16)), prompts(batch));
  }
  EXPECT_EQ(drawn, in_pool);  // 800 draws among 40 prompts reach every one
  EXPECT_NE(prompts(sample_from_pool(pool, 7, 0xAB, 1, 16)), prompts(sample_from_pool(pool, 7, 0xAB, 2, 16)));
  EXPECT_THROW(sample_from_pool({}, 7, 0xAB, 1, 4), Error);
}

}  // namespace
}  // namespace rlvr::trainer
