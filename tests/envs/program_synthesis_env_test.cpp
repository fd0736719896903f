#include "envs/program_synthesis_env.h"

#include <gtest/gtest.h>

#include <set>

#include "core/code_task.h"
#include "core/error.h"

namespace rlvr::envs {
namespace {

config::EnvConfig synthesis(std::vector<std::string> templates = {}) {
  config::EnvConfig config;
  config.set_name("program_synthesis");
  config.set_eval_size(40);
  for (const std::string& t : templates) config.mutable_program_synthesis()->add_templates(t);
  return config;
}

TEST(ProgramSynthesisEnvironment, TasksCarryTestsAndAFencedReference) {
  const ProgramSynthesisEnvironment env(synthesis());
  std::set<std::string> openings;
  for (size_t i = 0; i < 500; ++i) {
    const Task t = env.task(Split::kTrain, i);
    EXPECT_EQ(t.verifier, "code");
    EXPECT_EQ(t.solution, "```python\n" + t.reference + "```") << t.prompt;
    EXPECT_LE(t.prompt.size() + t.solution.size(), 120u) << t.prompt << t.solution;
    EXPECT_EQ(t.prompt.rfind("Read ", 0), 0u);
    EXPECT_EQ(t.prompt.back(), '\n');
    const CodeTaskSpec spec = read_code_task(t);
    EXPECT_EQ(spec.language, "python");
    EXPECT_EQ(spec.tests.size(), 4u);
    for (const CodeTest& test : spec.tests) {
      EXPECT_FALSE(test.is_call());
      EXPECT_EQ(test.stdin_text.back(), '\n');
      EXPECT_EQ(test.expected_stdout.back(), '\n');
    }
    openings.insert(t.prompt.substr(0, t.prompt.find(';')));
  }
  EXPECT_EQ(openings, (std::set<std::string>{"Read x", "Read a b", "Read list v"}));
}

TEST(ProgramSynthesisEnvironment, ExpectedOutputsFollowPython) {
  config::EnvConfig config = synthesis({"mod"});
  config.mutable_program_synthesis()->set_max_constant(5);
  config.mutable_program_synthesis()->set_num_tests(20);
  const ProgramSynthesisEnvironment env(config);
  bool negative_seen = false;
  for (size_t i = 0; i < 50; ++i) {
    const Task t = env.task(Split::kTrain, i);
    const int64_t m = std::stoll(t.prompt.substr(t.prompt.find('%') + 1));
    for (const CodeTest& test : read_code_task(t).tests) {
      const int64_t x = std::stoll(test.stdin_text);
      const int64_t r = std::stoll(test.expected_stdout);
      negative_seen = negative_seen || x < 0;
      EXPECT_GE(r, 0) << x << "%" << m;  // Python's %, unlike C++'s, is never negative here
      EXPECT_LT(r, m);
      EXPECT_EQ((x - r) % m, 0);
    }
  }
  EXPECT_TRUE(negative_seen);
}

TEST(ProgramSynthesisEnvironment, ListTemplatesPrintSpaceSeparated) {
  config::EnvConfig config = synthesis({"reverse"});
  config.mutable_program_synthesis()->set_max_constant(5);
  const ProgramSynthesisEnvironment env(config);
  const Task t = env.task(Split::kTrain, 0);
  const std::string k = t.prompt.substr(t.prompt.find('+') + 1, t.prompt.find('.') - t.prompt.find('+') - 1);
  EXPECT_EQ(t.prompt, "Read list v; print v reversed, each +" + k + ".\n");
  EXPECT_EQ(t.reference, "v=list(map(int,input().split()))\nprint(*[e+" + k + " for e in v[::-1]])\n");
  for (const CodeTest& test : read_code_task(t).tests) {
    std::vector<std::string> reversed;
    for (size_t start = 0; start + 1 < test.stdin_text.size();) {
      const size_t end = test.stdin_text.find_first_of(" \n", start);
      reversed.insert(reversed.begin(), std::to_string(std::stoll(test.stdin_text.substr(start, end - start)) + std::stoll(k)));
      start = end + 1;
    }
    std::string expected;
    for (const std::string& v : reversed) expected += (expected.empty() ? "" : " ") + v;
    EXPECT_EQ(test.expected_stdout, expected + "\n");
  }
}

TEST(ProgramSynthesisEnvironment, DeterministicWithDisjointSplits) {
  const ProgramSynthesisEnvironment a(synthesis());
  const ProgramSynthesisEnvironment b(synthesis());
  std::set<std::string> eval_prompts;
  ASSERT_EQ(a.size(Split::kEval), 40u);
  for (size_t i = 0; i < a.size(Split::kEval); ++i) {
    const Task t = a.task(Split::kEval, i);
    EXPECT_EQ(t.meta, b.task(Split::kEval, i).meta);
    EXPECT_TRUE(eval_prompts.insert(t.prompt).second) << "eval prompts are distinct";
  }
  for (size_t i = 0; i < 3000; ++i) {
    const Task t = a.task(Split::kTrain, i);
    const Task u = b.task(Split::kTrain, i);
    EXPECT_EQ(t.prompt, u.prompt);
    EXPECT_EQ(t.meta, u.meta);
    EXPECT_EQ(eval_prompts.count(t.prompt), 0u) << t.prompt << " is in both splits";
  }
  config::EnvConfig other_seed = synthesis();
  other_seed.set_seed(7);
  const ProgramSynthesisEnvironment c(other_seed);
  int differing = 0;
  for (size_t i = 0; i < 20; ++i) differing += c.task(Split::kTrain, i).meta != a.task(Split::kTrain, i).meta;
  EXPECT_GT(differing, 15);
}

TEST(ProgramSynthesisEnvironment, TemplatesAreChecked) {
  const ProgramSynthesisEnvironment only_sum(synthesis({"sum"}));
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(only_sum.task(Split::kTrain, i).prompt.rfind("Read a b; print a+b+", 0), 0u);
  try {
    ProgramSynthesisEnvironment env(synthesis({"sum", "revrse"}));
    FAIL() << "an unknown template must be rejected";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("env.program_synthesis.templates: unknown template 'revrse' (known: affine, mod"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("did you mean 'reverse'?"), std::string::npos) << message;
  }
  EXPECT_EQ(ProgramSynthesisEnvironment::template_names().size(), 14u);
  config::EnvConfig too_wide = synthesis();
  too_wide.mutable_program_synthesis()->set_max_input(2'000'000);
  EXPECT_THROW(ProgramSynthesisEnvironment env(too_wide), ConfigError);
}

TEST(ProgramSynthesisEnvironment, IsRegistered) {
  EXPECT_EQ(make_environment(synthesis())->name(), "program_synthesis");
}

}  // namespace
}  // namespace rlvr::envs
