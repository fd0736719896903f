// Every task's own solution must pass the verifier the task names, and the
// same solution with a digit prepended must not: the contract between envs/ and verifiers/.
// Program-synthesis solutions run in the sandbox through the code verifier.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <tuple>

#include "core/error.h"
#include "envs/environment.h"
#include "envs/jsonl_env.h"
#include "envs/task_generator.h"
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

TEST(EnvSolutions, ParitySolutionsVerifyWorkedOrNot) {
  config::EnvConfig config;
  config.set_name("parity");
  config.set_eval_size(200);
  config.mutable_parity()->set_worked_fraction(0.5);
  expect_solutions_verify(config, 2000);
}

// A prepended digit does not break a fenced program, so the wrong answer here is
// the next task's program (another prompt): it reads other input or prints
// another expression, which its tests tell apart.
TEST(EnvSolutions, ProgramSynthesisSolutionsPassTheirTests) {
  config::EnvConfig config;
  config.set_name("program_synthesis");
  config.set_eval_size(31);
  const auto env = envs::make_environment(config);
  const auto verifier = verifiers::make_verifier("code");
  for (const envs::Split split : {envs::Split::kTrain, envs::Split::kEval}) {
    for (size_t i = 0; i < 30; ++i) {
      const Task t = env->task(split, i);
      const verifiers::Verdict right = verifier->verify(t, t.solution);
      EXPECT_TRUE(right.correct) << t.id << " " << t.prompt << t.solution << ": " << right.detail;
      const Task other = env->task(split, i + 1);
      if (other.prompt == t.prompt) continue;
      const verifiers::Verdict wrong = verifier->verify(t, other.solution);
      EXPECT_FALSE(wrong.correct) << t.id << " " << t.prompt << " passed by " << other.solution;
    }
  }
}

// The solution with its last letter or digit moved on by one ('9' -> '0',
// 'z' -> 'a'): the final answer (a number's last digit, a role, a grid's last
// cell, a path's last node) changes, whatever the task's format. Unchanged
// when it has neither, which the test then reports as a correct "wrong" answer.
std::string with_answer_changed(std::string solution) {
  const auto last = std::find_if(solution.rbegin(), solution.rend(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
  if (last == solution.rend()) return solution;
  char& c = *last;
  c = c == '9' ? '0' : c == 'z' ? 'a' : c == 'Z' ? 'A' : static_cast<char>(c + 1);
  return solution;
}

struct GeneratorLevel {
  std::string name;
  int level;
};

std::vector<GeneratorLevel> every_generator_level() {
  std::vector<GeneratorLevel> all;
  for (const std::string& name : envs::generator_names()) {
    const int levels = envs::make_generator(name, config::EnvConfig())->num_levels();
    for (int level = 0; level < levels; ++level) all.push_back({name, level});
  }
  return all;
}

class GeneratorSolutions : public ::testing::TestWithParam<GeneratorLevel> {};

// At every level of every generator, each task's own solution earns the full
// reward of the verifier it names, and a changed final answer earns less.
TEST_P(GeneratorSolutions, SolutionsScoreOneAndChangedAnswersLess) {
  config::EnvConfig config;
  config.set_name(GetParam().name);
  config.set_level(GetParam().level);
  config.set_eval_size(100);
  const auto env = envs::make_environment(config);
  for (const envs::Split split : {envs::Split::kTrain, envs::Split::kEval}) {
    for (size_t i = 0; i < std::min<size_t>(300, env->size(split)); ++i) {
      const Task t = env->task(split, i);
      const auto verifier = verifiers::make_verifier(t.verifier);
      const verifiers::Verdict right = verifier->verify(t, t.solution);
      ASSERT_TRUE(right.correct) << t.id << " " << t.prompt << " " << t.solution << ": " << right.detail;
      ASSERT_EQ(right.reward, 1) << t.id << " " << t.prompt << " " << t.solution;
      const std::string changed = with_answer_changed(t.solution);
      const verifiers::Verdict wrong = verifier->verify(t, changed);
      EXPECT_FALSE(wrong.correct) << t.id << " " << t.prompt << " answered " << changed;
      EXPECT_LT(wrong.reward, 1) << t.id << " " << t.prompt << " answered " << changed;
      EXPECT_GE(wrong.reward, 0) << t.id << " " << t.prompt << " answered " << changed;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryGeneratorLevel, GeneratorSolutions, ::testing::ValuesIn(every_generator_level()),
                         [](const ::testing::TestParamInfo<GeneratorLevel>& info) {
                           return info.param.name + "_level" + std::to_string(info.param.level);
                         });

}  // namespace
}  // namespace rlvr

namespace rlvr {
namespace {

envs::JsonlEnvironment dataset(const std::string& file, config::JsonlFormat format) {
  config::EnvConfig c;
  c.set_name("jsonl");
  c.mutable_jsonl()->set_train_path(std::string(RLVR_SOURCE_DIR) + "/tests/data/" + file);
  c.mutable_jsonl()->set_eval_path(std::string(RLVR_SOURCE_DIR) + "/tests/data/" + file);
  c.mutable_jsonl()->set_format(format);
  return envs::JsonlEnvironment(c);
}

// Dataset files in GSM8K and MATH layouts become tasks whose worked solutions
// the math verifier accepts and whose references it compares exactly.
TEST(DatasetFormats, Gsm8kAndMathSolutionsVerify) {
  const auto verifier = verifiers::make_verifier("math");
  const auto gsm8k = dataset("gsm8k_sample.jsonl", config::GSM8K);
  const auto math = dataset("math_sample.jsonl", config::MATH);
  ASSERT_EQ(gsm8k.size(envs::Split::kTrain), 5u);
  ASSERT_EQ(math.size(envs::Split::kEval), 6u);
  EXPECT_EQ(gsm8k.task(envs::Split::kTrain, 0).reference, "29");
  EXPECT_EQ(math.task(envs::Split::kTrain, 0).reference, "\\frac{11}{12}");
  EXPECT_EQ(math.task(envs::Split::kTrain, 4).reference, "\\{-3, 3\\}");
  for (const auto* env : {&gsm8k, &math}) {
    for (size_t i = 0; i < env->size(envs::Split::kTrain); ++i) {
      const Task t = env->task(envs::Split::kTrain, i);
      EXPECT_EQ(t.verifier, "math");
      EXPECT_TRUE(verifier->verify(t, t.solution).correct) << t.id << ": " << t.solution;
      EXPECT_FALSE(verifier->verify(t, "the answer is \\boxed{1000001}").correct) << t.id;
    }
  }
}

// QA rows become "fact" tasks whose aliases are the reference; each row's
// solution (its first answer) is correct, and so is any alias in a sentence.
TEST(DatasetFormats, QaAnswersAreFactAliases) {
  const auto verifier = verifiers::make_verifier("fact");
  const auto qa = dataset("qa_sample.jsonl", config::QA);
  ASSERT_EQ(qa.size(envs::Split::kTrain), 12u);
  const Task tolstoy = qa.task(envs::Split::kTrain, 1);
  EXPECT_EQ(tolstoy.verifier, "fact");
  EXPECT_EQ(tolstoy.reference, R"(["Leo Tolstoy","Tolstoy","Lev Tolstoy"])");
  EXPECT_TRUE(verifier->verify(tolstoy, "I believe the answer is Lev Tolstoy.").correct);
  for (size_t i = 0; i < qa.size(envs::Split::kTrain); ++i) {
    const Task t = qa.task(envs::Split::kTrain, i);
    EXPECT_TRUE(verifier->verify(t, t.solution).correct) << t.id << ": " << t.solution;
    EXPECT_FALSE(verifier->verify(t, "The answer is Atlantis.").correct) << t.id;
  }
}

// The format picks the extraction: GSM8K tasks read the "####" line first and
// the number in it; MATH tasks a box, then Minerva's closing sentence.
TEST(DatasetFormats, FormatPicksTheAnswerStyle) {
  const auto verifier = verifiers::make_verifier("math");
  const Task g = dataset("gsm8k_sample.jsonl", config::GSM8K).task(envs::Split::kTrain, 0);
  ASSERT_EQ(g.reference, "29");
  EXPECT_EQ(g.meta.at("answer_style"), "gsm8k");
  EXPECT_TRUE(verifier->verify(g, "First \\boxed{28}, then\n#### 29 dollars a week").correct);
  const Task m = dataset("math_sample.jsonl", config::MATH).task(envs::Split::kTrain, 0);
  ASSERT_EQ(m.reference, "\\frac{11}{12}");
  EXPECT_EQ(m.meta.at("answer_style"), "math");
  const std::string minerva = "#### 5\nFinal Answer: The final answer is $\\frac{11}{12}$. I hope it is correct.";
  EXPECT_TRUE(verifier->verify(m, minerva).correct);
  Task general = m;
  general.meta.erase("answer_style");
  EXPECT_FALSE(verifier->verify(general, minerva).correct);  // the general order reads "####" first
}

TEST(DatasetFormats, MalformedRowsNameFileAndLine) {
  const std::string path = ::testing::TempDir() + "bad_gsm8k.jsonl";
  std::ofstream(path) << "{\"question\": \"q\", \"answer\": \"4\\n#### 4\"}\n"
                      << "{\"question\": \"q\", \"answer\": \"no marker\"}\n";
  config::EnvConfig c;
  c.mutable_jsonl()->set_train_path(path);
  c.mutable_jsonl()->set_format(config::GSM8K);
  try {
    envs::JsonlEnvironment env(c);
    FAIL() << "a GSM8K answer without #### must be rejected";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2: \"answer\" has no"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rlvr
