#include "envs/jsonl_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/code_task.h"
#include "core/error.h"
#include "tests/scratch_dir.h"

namespace rlvr::envs {
namespace {

// Gives each test a fresh temp directory for its files and removes it afterwards.
class JsonlEnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_jsonl");
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

config::EnvConfig code_jsonl(const std::string& train) {
  config::EnvConfig config = jsonl(train);
  config.mutable_jsonl()->set_format(config::CODE);
  return config;
}

TEST_F(JsonlEnvironmentTest, CodeFormatBuildsCodeTasks) {
  const std::string path = write_temp(
      "code.jsonl",
      R"j({"id": "sum", "prompt": "Print a+b.", "language": "python", "time_limit": 1.5, "memory_limit": 128, )j"
      R"j("checker": "tokens", "reference_solution": "print(sum(map(int, input().split())))\n", )j"
      R"j("tests": [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "0 0\n", "stdout": "0\n"}], )j"
      R"j("wrong_solutions": [{"code": "print(0)", "expected_verdicts": ["WA", "AC"]}]})j"
      "\n"
      R"j({"prompt": "Define f(x) returning x*2.", "tests": [{"call": "f", "input": [2], "output": 4}]})j"
      "\n"
      R"j({"prompt": "C++: print 1.", "language": "cpp", "reference_solution": "int main() { return 0; }", )j"
      R"j("tests": [{"stdin": "", "stdout": "1"}]})j"
      "\n");
  const JsonlEnvironment env(code_jsonl(path));
  ASSERT_EQ(env.size(Split::kTrain), 3u);

  const Task sum = env.task(Split::kTrain, 0);
  EXPECT_EQ(sum.id, "sum");
  EXPECT_EQ(sum.prompt, "Print a+b.");
  EXPECT_EQ(sum.verifier, "code");
  EXPECT_EQ(sum.reference, "print(sum(map(int, input().split())))\n");
  EXPECT_EQ(sum.solution, "```python\nprint(sum(map(int, input().split())))\n```");
  const CodeTaskSpec spec = read_code_task(sum);
  EXPECT_EQ(*spec.time_limit_s, 1.5);
  EXPECT_EQ(*spec.memory_limit_mb, 128);
  ASSERT_EQ(spec.tests.size(), 2u);
  EXPECT_EQ(spec.tests[0].stdin_text, "1 2\n");
  EXPECT_EQ(spec.tests[1].expected_stdout, "0\n");

  const Task call = env.task(Split::kTrain, 1);
  EXPECT_EQ(call.id, "jsonl/train/1");
  EXPECT_EQ(call.solution, "");
  const CodeTaskSpec call_spec = read_code_task(call);
  EXPECT_FALSE(call_spec.time_limit_s);
  EXPECT_EQ(call_spec.tests[0].function, "f");
  EXPECT_EQ(call_spec.tests[0].output_json, "4");

  EXPECT_EQ(env.task(Split::kTrain, 2).solution, "```cpp\nint main() { return 0; }\n```");
  EXPECT_EQ(read_code_task(env.task(Split::kTrain, 2)).language, "cpp");
}

TEST_F(JsonlEnvironmentTest, CodeFormatErrorsNameFileLineAndField) {
  const std::string good = R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}]})j";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"j({"tests": [{"stdin": "", "stdout": "1"}]})j", "missing \"prompt\" (a string)"},
      {R"j({"prompt": "p"})j", "missing \"tests\" (an array"},
      {R"j({"prompt": "p", "tests": []})j", "\"tests\" is empty"},
      {R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}, {"stdin": "2"}]})j",
       "tests[1]: missing \"stdout\" (a string)"},
      {R"j({"prompt": "p", "tests": [{"call": "f", "input": [], "output": 1}], "language": "cpp"})j",
       "function-call tests need language \"python\""},
      {R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}], "language": "rust"})j",
       "\"language\" must be \"python\" or \"cpp\""},
      {R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}], "time_limit": "2"})j",
       "\"time_limit\" must be a positive number (seconds)"},
      {R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}], "memory_limit": 1.5})j",
       "\"memory_limit\" must be a positive integer (MB)"},
      {R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}], "checker": "float"})j",
       "\"checker\" \"float\" is not supported (only \"tokens\")"},
      {R"j({"prompt": "p", "tests": [{"stdin": "", "stdout": "1"}], "reference_solution": 3})j",
       "\"reference_solution\" must be a string"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = write_temp("bad" + std::to_string(i) + ".jsonl", good + "\n\n" + cases[i].first + "\n");
    const std::string message = load_error(code_jsonl(path));
    EXPECT_NE(message.find(path + ":3: " + cases[i].second), std::string::npos) << message;
  }
}

TEST(JsonlEnvironment, MissingFilesAreConfigErrors) {
  EXPECT_THROW(JsonlEnvironment(jsonl("/nonexistent/train.jsonl")), ConfigError);
  EXPECT_THROW(JsonlEnvironment(jsonl("")), ConfigError);
}

}  // namespace
}  // namespace rlvr::envs
