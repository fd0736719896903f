#include "envs/jsonl_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace rlvr::envs {
namespace {

// Gives each test a fresh temp directory for its files and removes it afterwards.
class JsonlEnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("rlvr_jsonl_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write_temp(const std::string& name, const std::string& content) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }

 private:
  std::filesystem::path dir_;
};

config::EnvConfig jsonl(const std::string& train, const std::string& eval = "") {
  config::EnvConfig config;
  config.set_name("jsonl");
  config.mutable_jsonl()->set_train_path(train);
  if (!eval.empty()) config.mutable_jsonl()->set_eval_path(eval);
  return config;
}

// The message of the rlvr::Error that building the env throws ("" if none).
std::string load_error(const config::EnvConfig& config) {
  try {
    JsonlEnvironment env(config);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_F(JsonlEnvironmentTest, LoadsTasksWithDefaults) {
  const std::string train = write_temp(
      "train.jsonl",
      "{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n"
      "\n"
      "   \r\n"
      "{\"prompt\": \"3 4 -> 7:\", \"answer\": 7, \"solution\": \"3+4\", \"verifier\": \"countdown\","
      " \"id\": \"cd/1\", \"meta\": {\"numbers\": \"3,4\"}}\n");
  const std::string eval = write_temp("eval.jsonl", "{\"prompt\": \"1+1=\", \"answer\": 2.5}");
  const JsonlEnvironment env(jsonl(train, eval));
  ASSERT_EQ(env.size(Split::kTrain), 2u);
  ASSERT_EQ(env.size(Split::kEval), 1u);

  const Task first = env.task(Split::kTrain, 0);
  EXPECT_EQ(first.id, "jsonl/train/0");
  EXPECT_EQ(first.prompt, "2+2=");
  EXPECT_EQ(first.reference, "4");
  EXPECT_EQ(first.solution, "");
  EXPECT_EQ(first.verifier, "exact_number");

  const Task second = env.task(Split::kTrain, 1);
  EXPECT_EQ(second.id, "cd/1");
  EXPECT_EQ(second.reference, "7");
  EXPECT_EQ(second.solution, "3+4");
  EXPECT_EQ(second.verifier, "countdown");
  EXPECT_EQ(second.meta.at("numbers"), "3,4");

  EXPECT_EQ(env.task(Split::kEval, 0).id, "jsonl/eval/0");
  EXPECT_EQ(env.task(Split::kEval, 0).reference, "2.5");
  EXPECT_THROW(env.task(Split::kEval, 1), Error);
}

TEST_F(JsonlEnvironmentTest, BadJsonNamesFileAndLine) {
  const std::string path =
      write_temp("bad.jsonl", "{\"prompt\": \"a\", \"answer\": \"1\"}\n\n{\"prompt\": \"b\", \"answer\": }\n");
  const std::string message = load_error(jsonl(path));
  EXPECT_NE(message.find(path + ":3: bad JSON"), std::string::npos) << message;
}

TEST_F(JsonlEnvironmentTest, MissingFieldsNameFileAndLine) {
  const std::string no_prompt = write_temp("no_prompt.jsonl", "{\"answer\": \"1\"}\n");
  EXPECT_NE(load_error(jsonl(no_prompt)).find(no_prompt + ":1: missing \"prompt\""), std::string::npos)
      << load_error(jsonl(no_prompt));
  const std::string no_answer = write_temp("no_answer.jsonl", "{\"prompt\": \"1\"}\n");
  EXPECT_NE(load_error(jsonl(no_answer)).find(no_answer + ":1: missing \"answer\""), std::string::npos);
  const std::string array = write_temp("array.jsonl", "[1, 2]\n");
  EXPECT_NE(load_error(jsonl(array)).find(array + ":1: expected a JSON object"), std::string::npos);
  const std::string bad_verifier =
      write_temp("bad_verifier.jsonl", "{\"prompt\": \"p\", \"answer\": \"1\", \"verifier\": 3}\n");
  EXPECT_NE(load_error(jsonl(bad_verifier)).find(":1: \"verifier\" must be a string"), std::string::npos);
}

TEST(JsonlEnvironment, MissingFilesAreConfigErrors) {
  EXPECT_THROW(JsonlEnvironment(jsonl("/nonexistent/train.jsonl")), ConfigError);
  EXPECT_THROW(JsonlEnvironment(jsonl("")), ConfigError);
}

}  // namespace
}  // namespace rlvr::envs
