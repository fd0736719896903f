// The shared code tasks (RLVR_CONFORMANCE_DIR/code/tasks.jsonl, read in place;
// ../shared/conformance in the workspace; skipped, naming the path, without
// them) through the CODE jsonl format and the real sandbox: every reference
// solution scores 1, and every wrong solution gets exactly its expected
// per-test verdicts and, with FRACTION rewards, the fraction of AC among them.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/code_task.h"
#include "core/text_util.h"
#include "envs/jsonl_env.h"
#include "verifiers/code/code_verifier.h"

namespace rlvr::verifiers {
namespace {

const std::string kTasksPath = RLVR_CONFORMANCE_DIR "/code/tasks.jsonl";

struct WrongSolution {
  std::string code;
  std::vector<std::string> expected_verdicts;
};

// Wrong solutions by task id; the environment ignores them, so they are read here.
std::map<std::string, std::vector<WrongSolution>> wrong_solutions() {
  std::map<std::string, std::vector<WrongSolution>> by_id;
  std::ifstream in(kTasksPath);
  std::string line;
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    const nlohmann::json row = nlohmann::json::parse(line);
    for (const auto& wrong : row.at("wrong_solutions")) {
      by_id[row.at("id").get<std::string>()].push_back(
          {wrong.at("code").get<std::string>(), wrong.at("expected_verdicts").get<std::vector<std::string>>()});
    }
  }
  return by_id;
}

// Runs `check(i)` for i in [0, n) on a few threads: the verifier is shared, as in training.
template <typename F>
void parallel_for(size_t n, F check) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) check(i);
    });
  }
  for (std::thread& th : threads) th.join();
}

TEST(CodeConformance, ReferencesPassAndWrongSolutionsGetTheirVerdicts) {
  if (!std::filesystem::exists(kTasksPath)) {
    GTEST_SKIP() << "no code conformance tasks at " << kTasksPath
                 << " (the shared conformance suites sit beside the repository)";
  }
  config::EnvConfig env_config;
  env_config.set_name("jsonl");
  env_config.mutable_jsonl()->set_train_path(kTasksPath);
  env_config.mutable_jsonl()->set_format(config::CODE);
  const envs::JsonlEnvironment env(env_config);
  ASSERT_EQ(env.size(envs::Split::kTrain), 30u);
  const auto wrong = wrong_solutions();

  config::CodeVerifierConfig verifier_config;
  verifier_config.set_reward(config::FRACTION);
  verifier_config.set_stop_on_first_failure(false);
  const CodeVerifier verifier(verifier_config);

  std::atomic<int> references{0};
  std::atomic<int> wrong_checked{0};
  parallel_for(env.size(envs::Split::kTrain), [&](size_t i) {
    const Task task = env.task(envs::Split::kTrain, i);
    const Verdict right = verifier.verify(task, task.solution);
    EXPECT_TRUE(right.correct) << task.id << ": " << right.detail;
    EXPECT_EQ(right.reward, 1) << task.id;
    ++references;

    for (const WrongSolution& w : wrong.at(task.id)) {
      const Verdict v = verifier.verify(task, fenced_program(w.code, "python"));
      const size_t accepted = std::count(w.expected_verdicts.begin(), w.expected_verdicts.end(), "AC");
      const std::string expected = std::to_string(accepted) + "/" + std::to_string(w.expected_verdicts.size()) +
                                   " passed: " + join(w.expected_verdicts, " ");
      EXPECT_EQ(v.detail, expected) << task.id;
      EXPECT_DOUBLE_EQ(v.reward, static_cast<double>(accepted) / w.expected_verdicts.size()) << task.id;
      EXPECT_FALSE(v.correct) << task.id;
      ++wrong_checked;
    }
  });
  EXPECT_EQ(references, 30);
  EXPECT_EQ(wrong_checked, 33);
}

}  // namespace
}  // namespace rlvr::verifiers
