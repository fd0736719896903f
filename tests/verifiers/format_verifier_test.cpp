#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

config::VerifierConfig format_config(config::FormatLayout layout, bool partial_credit = false,
                                     const std::string& pattern = "") {
  config::VerifierConfig config;
  config.mutable_format()->set_layout(layout);
  config.mutable_format()->set_partial_credit(partial_credit);
  config.mutable_format()->set_pattern(pattern);
  return config;
}

Verdict judge(config::FormatLayout layout, const std::string& completion, bool partial_credit = false,
              const std::string& pattern = "") {
  return make_verifier("format", format_config(layout, partial_credit, pattern))->verify(Task{}, completion);
}

// The reward with partial credit; the verdict without it must then be 0 (or 1 when correct).
double partial(config::FormatLayout layout, const std::string& completion) {
  const Verdict graded = judge(layout, completion, /*partial_credit=*/true);
  const Verdict strict = judge(layout, completion);
  EXPECT_EQ(strict.reward, graded.correct ? 1 : 0) << completion;
  EXPECT_EQ(strict.status, graded.status) << completion;
  return graded.reward;
}

// The ConfigError message of building the verifier, or "" when it builds.
std::string config_error(const config::VerifierConfig& config) {
  try {
    make_verifier("format", config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(FormatVerifier, ThinkAnswerWellFormed) {
  const Verdict v = judge(config::THINK_ANSWER, "<think>2 + 2 = 4</think><answer>4</answer>");
  EXPECT_TRUE(v.correct);
  EXPECT_EQ(v.status, VerdictStatus::kCorrect);
  EXPECT_EQ(v.reward, 1);
  EXPECT_EQ(v.answer, "4");
  EXPECT_TRUE(judge(config::THINK_ANSWER, "\n  <think>\nsteps\n</think>\n\n<answer> 4 </answer>\n\t").correct);
  // The think block is free text, tags included; only answers outside it count.
  const Verdict drafted = judge(config::THINK_ANSWER, "<think>maybe <answer>3</answer>?</think><answer>4</answer>");
  EXPECT_TRUE(drafted.correct);
  EXPECT_EQ(drafted.answer, "4");
  const Verdict unicode = judge(config::THINK_ANSWER, "<think>café, 中文, 🙂</think><answer>中文 🙂 é</answer>");
  EXPECT_TRUE(unicode.correct) << unicode.detail;
  EXPECT_EQ(unicode.answer, "中文 🙂 é");
}

// Checks: think opened, think closed, exactly one non-blank answer outside the
// think block, every answer after it, nothing else outside them.
TEST(FormatVerifier, ThinkAnswerPartialCredit) {
  const auto layout = config::THINK_ANSWER;
  EXPECT_EQ(partial(layout, "<think>a</think><answer>4</answer>"), 1.0);
  EXPECT_EQ(partial(layout, "<think>a</think><answer>1</answer><answer>2</answer>"), 4.0 / 5);
  EXPECT_EQ(partial(layout, "<answer>1</answer><think>a</think>"), 4.0 / 5);
  EXPECT_EQ(partial(layout, "<think>a</think> so the answer is <answer>1</answer>"), 4.0 / 5);
  EXPECT_EQ(partial(layout, "<think>a</think><answer> \n</answer>"), 4.0 / 5);
  EXPECT_EQ(partial(layout, "<think>a</think>"), 3.0 / 5);
  EXPECT_EQ(partial(layout, "<think>a</think><answer>4"), 2.0 / 5);  // truncated: a stray tag, no answer
  EXPECT_EQ(partial(layout, "<think>truncated reasoning"), 2.0 / 5);
  EXPECT_EQ(partial(layout, "<think>forgot to close <answer>4</answer>"), 2.0 / 5);
  EXPECT_EQ(partial(layout, "<answer>4</answer>"), 2.0 / 5);
  EXPECT_EQ(partial(layout, "reasoning</think><answer>4</answer>"), 1.0 / 5);
  EXPECT_EQ(partial(layout, "just 4"), 0.0);
}

TEST(FormatVerifier, ThinkAnswerDetailNamesTheFailedChecks) {
  const Verdict two = judge(config::THINK_ANSWER, "<think>a</think><answer>1</answer><answer>2</answer>", true);
  EXPECT_EQ(two.status, VerdictStatus::kWrong);
  EXPECT_FALSE(two.correct);
  EXPECT_EQ(two.detail, "format: 2 answers outside the think block, expected exactly one");
  EXPECT_EQ(two.answer, "2");
  const Verdict plain = judge(config::THINK_ANSWER, "just 4");
  EXPECT_EQ(plain.status, VerdictStatus::kWrong);
  EXPECT_EQ(plain.detail,
            "format: no <think>; no </think> closing the think block; 0 answers outside the think block, "
            "expected exactly one; the answer does not follow the think block; text outside the think block "
            "and the answer");
  EXPECT_EQ(plain.answer, "");
  EXPECT_EQ(judge(config::THINK_ANSWER, "<think>a</think><answer> </answer>").detail, "format: the answer is blank");
  const Verdict unclosed = judge(config::THINK_ANSWER, "<think>forgot to close <answer>4</answer>");
  EXPECT_EQ(unclosed.answer, "");  // it is inside the think block
}

TEST(FormatVerifier, AnswerOnly) {
  const auto layout = config::ANSWER_ONLY;
  const Verdict v = judge(layout, "Free reasoning, even <think> or a stray <answer> tag.\n<answer> 7 </answer>\n");
  EXPECT_TRUE(v.correct) << v.detail;
  EXPECT_EQ(v.answer, "7");
  EXPECT_TRUE(judge(layout, "<answer>Zürich — 中文 🙂</answer>").correct);
  // Checks: an answer present, exactly one and not blank, nothing after it.
  EXPECT_EQ(partial(layout, "<answer>7</answer>"), 1.0);
  EXPECT_EQ(partial(layout, "<answer>7</answer> and more"), 2.0 / 3);
  EXPECT_EQ(partial(layout, "<answer>1</answer> <answer>2</answer>"), 2.0 / 3);
  EXPECT_EQ(partial(layout, "<answer>  </answer>"), 2.0 / 3);
  EXPECT_EQ(partial(layout, "<answer>7"), 0.0);
  EXPECT_EQ(partial(layout, "7"), 0.0);
  const Verdict after = judge(layout, "<answer>7</answer> and more");
  EXPECT_EQ(after.status, VerdictStatus::kWrong);
  EXPECT_EQ(after.detail, "format: the completion does not end with the answer");
  EXPECT_EQ(after.answer, "7");
  EXPECT_EQ(judge(layout, "<answer>1</answer><answer>2</answer>").answer, "2");
}

TEST(FormatVerifier, Pattern) {
  const std::string pattern = R"(<think>[\s\S]*</think>\s*<answer>-?\d+</answer>\s*)";
  const Verdict v = judge(config::PATTERN, "<think>so 中文 🙂\n</think>\n<answer>-12</answer>\n", false, pattern);
  EXPECT_TRUE(v.correct) << v.detail;
  EXPECT_EQ(v.answer, "-12");
  const Verdict wrong = judge(config::PATTERN, "<think>x</think><answer>twelve</answer>", true, pattern);
  EXPECT_EQ(wrong.status, VerdictStatus::kWrong);
  EXPECT_EQ(wrong.reward, 0);  // one check: no partial credit
  EXPECT_EQ(wrong.detail, "format: does not match the pattern");
  EXPECT_EQ(wrong.answer, "twelve");
  EXPECT_FALSE(judge(config::PATTERN, "<answer>12</answer>", false, pattern).correct);
}

TEST(FormatVerifier, BlankCompletionsHaveNoAnswer) {
  for (const auto layout : {config::THINK_ANSWER, config::ANSWER_ONLY, config::PATTERN}) {
    for (const std::string blank : {"", " \n\t "}) {
      const Verdict v = judge(layout, blank, true, layout == config::PATTERN ? R"(\s*)" : "");
      EXPECT_EQ(v.status, VerdictStatus::kNoAnswer);
      EXPECT_EQ(v.reward, 0);
    }
  }
}

TEST(FormatVerifier, MegabyteCompletions) {
  std::string reasoning;
  while (reasoning.size() < 1'000'000) reasoning += "step <answer>é 中文 🙂</answer> (a*)*b\n";
  const std::string completion = "<think>" + reasoning + "</think>\n<answer>5</answer>";
  const Verdict think = judge(config::THINK_ANSWER, completion);
  EXPECT_TRUE(think.correct) << think.detail;
  EXPECT_EQ(think.answer, "5");
  const Verdict pattern =
      judge(config::PATTERN, completion, false, R"(<think>((((.|\n)*)*)*)</think>\s*<answer>\d+</answer>)");
  EXPECT_TRUE(pattern.correct);
  EXPECT_FALSE(judge(config::PATTERN, completion, false, R"(<think>(a*)*b</think>[\s\S]*)").correct);

  // Adversarial tags: a million strays and thousands of answers stay linear.
  std::string strays;
  while (strays.size() < 1'000'000) strays += "<answer><think></answer>";
  EXPECT_EQ(judge(config::ANSWER_ONLY, strays, true).reward, 2.0 / 3);
  EXPECT_EQ(judge(config::THINK_ANSWER, strays, true).reward, 1.0 / 5);
}

TEST(FormatVerifier, HostileOutputIsAVerdictNotAnError) {
  constexpr size_t kMegabyte = size_t{1} << 20;
  std::string random_bytes(kMegabyte, '\0');
  Rng rng(42);
  for (char& c : random_bytes) c = static_cast<char>(rng() & 0xff);
  std::string opened_tags;
  while (opened_tags.size() < kMegabyte) opened_tags += "<think><answer>";
  const std::vector<std::string> outputs = {
      std::string("\xFF\xFE\x00\x80 \xC3", 6),  // not UTF-8, with a NUL
      std::string(kMegabyte, '<'),
      opened_tags,
      random_bytes,
  };
  for (const auto layout : {config::THINK_ANSWER, config::ANSWER_ONLY, config::PATTERN}) {
    const auto verifier = make_verifier(
        "format", format_config(layout, true, layout == config::PATTERN ? R"([\s\S]*<answer>\d+</answer>\s*)" : ""));
    for (size_t i = 0; i < outputs.size(); ++i) {
      Verdict v;
      ASSERT_NO_THROW(v = verifier->verify(Task{}, outputs[i])) << "layout " << layout << " output " << i;
      EXPECT_FALSE(v.correct) << "layout " << layout << " output " << i;
      EXPECT_GE(v.reward, 0);
      EXPECT_LT(v.reward, 1);
    }
  }
}

TEST(FormatVerifier, ConfigErrors) {
  EXPECT_EQ(config_error(format_config(config::PATTERN, false, R"(<answer>\d+</answer>)")), "");
  EXPECT_EQ(config_error(format_config(config::PATTERN)).rfind("verifier.format.pattern: empty", 0), 0u);
  EXPECT_EQ(config_error(format_config(config::PATTERN, false, "<answer>(\\d+</answer>")),
            R"(verifier.format.pattern: unclosed '(' at 8 in "<answer>(\\d+</answer>")");
  EXPECT_EQ(config_error(format_config(config::THINK_ANSWER, false, "x")),
            "verifier.format.pattern: set, but verifier.format.layout is THINK_ANSWER; only layout PATTERN uses it");
}

}  // namespace
}  // namespace rlvr::verifiers
