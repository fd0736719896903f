// The "sort" task type: its environment and the "sorted_list" verifier, reached
// through the registries as a run reaches them, and configs/sort.pbtxt trained
// end to end by the rlvr binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "core/text_util.h"
#include "envs/environment.h"
#include "tests/scratch_dir.h"
#include "verifiers/verifier.h"

namespace rlvr {
namespace {

using verifiers::VerdictStatus;

std::unique_ptr<envs::Environment> sort_env(int count = 4, int max_number = 9) {
  config::EnvConfig config;
  config.set_name("sort");
  config.set_eval_size(50);
  config.mutable_sort()->set_count(count);
  config.mutable_sort()->set_max_number(max_number);
  return envs::make_environment(config);
}

Task task_of(const std::string& numbers) {
  Task t;
  t.id = "sort/test";
  t.verifier = "sorted_list";
  t.meta["numbers"] = numbers;
  return t;
}

VerdictStatus status_of(const Task& task, const std::string& completion) {
  return verifiers::make_verifier("sorted_list")->verify(task, completion).status;
}

TEST(SortTask, PromptsListTheNumbersAndSolutionsSortThem) {
  const auto env = sort_env(5, 99);
  const Task t = env->task(envs::Split::kTrain, 3);
  EXPECT_EQ(t.verifier, "sorted_list");
  EXPECT_EQ(t.prompt.rfind("sort ", 0), 0u) << t.prompt;
  EXPECT_EQ(t.prompt.back(), ':');
  EXPECT_EQ(t.solution, t.reference);
  std::vector<std::string> shown = split(t.prompt.substr(5, t.prompt.size() - 6), ' ');
  ASSERT_EQ(shown.size(), 5u);
  EXPECT_EQ(join(shown, ","), t.meta.at("numbers"));
  EXPECT_EQ(env->task(envs::Split::kTrain, 3).prompt, t.prompt);  // a pure function of the index
}

TEST(SortTask, EverySolutionVerifiesAndACorruptedOneDoesNot) {
  const auto env = sort_env();
  const auto verifier = verifiers::make_verifier("sorted_list");
  for (const envs::Split split : {envs::Split::kTrain, envs::Split::kEval}) {
    for (size_t i = 0; i < std::min<size_t>(200, env->size(split)); ++i) {
      const Task t = env->task(split, i);
      EXPECT_TRUE(verifier->verify(t, t.solution).correct) << t.prompt << " " << t.solution;
      EXPECT_FALSE(verifier->verify(t, "1" + t.solution).correct) << t.prompt;
    }
  }
}

TEST(SortTask, OutOfRangeSettingsAreConfigErrors) {
  EXPECT_THROW(sort_env(1, 9), ConfigError);
  EXPECT_THROW(sort_env(4, 0), ConfigError);
}

TEST(SortedListVerifier, ChecksTheTasksNumbersNotAString) {
  const Task t = task_of("3,9,1,4");
  EXPECT_EQ(status_of(t, "1 3 4 9"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of(t, "1, 3, 4, 9\nmore text"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of(t, "so: <answer>1 3 4 9</answer>"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of(t, "1 3 9 4"), VerdictStatus::kWrong);    // not ascending
  EXPECT_EQ(status_of(t, "1 3 4"), VerdictStatus::kWrong);      // a number missing
  EXPECT_EQ(status_of(t, "1 3 4 8"), VerdictStatus::kWrong);    // not the task's numbers
  EXPECT_EQ(status_of(t, "1 3 4 9 9"), VerdictStatus::kWrong);  // one too many
  EXPECT_EQ(status_of(task_of("2,2,1"), "1 2 2"), VerdictStatus::kCorrect);
}

TEST(SortedListVerifier, MalformedOutputIsAVerdictNotAnException) {
  const Task t = task_of("3,9,1,4");
  EXPECT_EQ(status_of(t, ""), VerdictStatus::kNoAnswer);
  EXPECT_EQ(status_of(t, " ,\n , "), VerdictStatus::kNoAnswer);
  EXPECT_EQ(status_of(t, "1 3 four 9"), VerdictStatus::kInvalid);
  EXPECT_EQ(status_of(t, "1 3 4 99999999999999999999999"), VerdictStatus::kInvalid);
  EXPECT_EQ(status_of(t, std::string(1 << 20, '7')), VerdictStatus::kInvalid);
  const verifiers::Verdict v = verifiers::make_verifier("sorted_list")->verify(t, "1 3 x 9");
  EXPECT_EQ(v.detail, "'x' is not an integer");
  EXPECT_FALSE(v.correct);
  EXPECT_EQ(v.reward, 0);
}

TEST(SortedListVerifier, ATaskWithoutNumbersIsABugInTheEnvironment) {
  EXPECT_THROW(verifiers::make_verifier("sorted_list")->verify(Task{}, "1 2"), Error);
}

// configs/sort.pbtxt as a user runs it: SFT, then RL steps, in well under a minute.
TEST(SortTask, ConfigTrainsEndToEnd) {
  namespace fs = std::filesystem;
  const fs::path dir = test_support::fresh_scratch_dir("rlvr_sort_task");
  const std::string log = (dir / "log").string();
  const std::string cmd = std::string("cd ") + RLVR_SOURCE_DIR + " && " + RLVR_BINARY +
                          " train configs/sort.pbtxt --set output.run_dir=" + (dir / "run").string() +
                          " >" + log + " 2>&1 </dev/null";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd << "\n" << read_file(log);
  int rl_records = 0;
  double best_reward = 0;  // the verifier's rewards reach RL: some step scores above 0
  std::ifstream metrics(dir / "run" / "metrics.jsonl");
  for (std::string line; std::getline(metrics, line);) {
    const nlohmann::json record = nlohmann::json::parse(line);
    if (record.value("kind", "") != "rl") continue;
    ++rl_records;
    best_reward = std::max(best_reward, record.value("reward/mean", 0.0));
  }
  EXPECT_GT(rl_records, 0) << "no RL step in " << (dir / "run" / "metrics.jsonl");
  EXPECT_GT(best_reward, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rlvr
