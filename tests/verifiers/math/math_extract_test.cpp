#include "verifiers/math/math_extract.h"
#include "verifiers/verifier.h"

#include <gtest/gtest.h>

namespace rlvr::verifiers::math {
namespace {

TEST(MathExtract, LastBoxWinsAndBalancesBraces) {
  EXPECT_EQ(extract_final_answer("so \\boxed{\\frac{1}{2}}."), "\\frac{1}{2}");
  EXPECT_EQ(extract_final_answer("\\boxed{3} or \\boxed{4}"), "4");
  EXPECT_EQ(extract_final_answer("$\\boxed{\\{1,2\\}}$"), "\\{1,2\\}");
  EXPECT_EQ(extract_final_answer("\\fbox{12}"), "12");
  EXPECT_EQ(extract_final_answer("gives $\\boxed 5$"), "5");
  EXPECT_EQ(extract_final_answer("$\\boxed{\\boxed{8}}$"), "8");
  EXPECT_EQ(extract_final_answer("\\boxed{12}. Check: 12 - 2 = 10"), "12");
}

TEST(MathExtract, UnclosedOrEmptyBoxIsNoAnswer) {
  EXPECT_EQ(extract_final_answer("first 5, then $\\boxed{\\frac{1}{2}$"), std::nullopt);
  EXPECT_EQ(extract_final_answer("The answer is \\boxed{"), std::nullopt);
  EXPECT_EQ(extract_final_answer("$\\boxed{}$"), std::nullopt);
  EXPECT_EQ(extract_final_answer(""), std::nullopt);
  EXPECT_EQ(extract_final_answer("  \n\t "), std::nullopt);
  EXPECT_EQ(extract_final_answer("I cannot determine this."), std::nullopt);
}

TEST(MathExtract, TagsMarkersPhrasesThenLastNumber) {
  EXPECT_EQ(extract_final_answer("<think>7*3</think><answer> 0.75 </answer>"), "0.75");
  EXPECT_EQ(extract_final_answer("6*7 = 42 pencils.\n#### 1,234"), "1,234");
  EXPECT_EQ(extract_final_answer("Final Answer: The final answer is $\\frac{5}{2}$. I hope it is correct."),
            "\\frac{5}{2}");
  EXPECT_EQ(extract_final_answer("**Answer:** 19"), "19");
  EXPECT_EQ(extract_final_answer("The answer is: 64"), "64");
  EXPECT_EQ(extract_final_answer("The final answer is 2/3."), "2/3");
  EXPECT_EQ(extract_final_answer("the answer is either 3 or 4."), "either 3 or 4");
  EXPECT_EQ(extract_final_answer("30 apples minus 7 leaves 23 apples."), "23");
}

}  // namespace
}  // namespace rlvr::verifiers::math

namespace rlvr::verifiers::math {
namespace {

// verifier.math.extraction_priority reorders (or restricts) the formats.
TEST(MathExtractPriority, OrderIsConfigurable) {
  const std::string text = "<answer>7</answer> so the answer is \\boxed{9}. #### 11";
  EXPECT_EQ(extract_final_answer(text), "9");  // default: boxed first
  EXPECT_EQ(extract_final_answer(text, {config::ANSWER_TAG, config::BOXED}), "7");
  EXPECT_EQ(extract_final_answer(text, {config::GSM8K_HASHES}), "11");
  EXPECT_EQ(extract_final_answer("no markers, 12 and 13", {config::BOXED, config::ANSWER_TAG}),
            std::nullopt);
  EXPECT_EQ(extract_final_answer("no markers, 12 and 13", {config::BOXED, config::LAST_NUMBER}), "13");
}

TEST(MathExtractPriority, VerifierReadsItsConfig) {
  config::VerifierConfig c;
  c.mutable_math()->add_extraction_priority(config::ANSWER_TAG);
  c.mutable_math()->add_extraction_priority(config::BOXED);
  const auto tag_first = verifiers::make_verifier("math", c);
  const auto standard = verifiers::make_verifier("math");
  rlvr::Task task;
  task.reference = "7";
  const std::string completion = "<answer>7</answer> then \\boxed{9}";
  EXPECT_TRUE(tag_first->verify(task, completion).correct);
  EXPECT_FALSE(standard->verify(task, completion).correct);
}

}  // namespace
}  // namespace rlvr::verifiers::math

namespace rlvr::verifiers::math {
namespace {

// maj@k groups answers by the verifier's equality: "0.5" and "\frac12" are
// one answer, "1/3" another.
TEST(MathSameAnswer, EquivalentSpellingsVoteTogether) {
  const auto verifier = verifiers::make_verifier("math");
  rlvr::Task task;
  task.reference = "\\frac12";
  const std::string a = verifier->verify(task, "so \\boxed{0.5}").answer;
  const std::string b = verifier->verify(task, "thus \\boxed{\\frac{1}{2}}").answer;
  EXPECT_EQ(a, "0.5");
  EXPECT_TRUE(verifier->same_answer(task, a, b));
  EXPECT_FALSE(verifier->same_answer(task, "0.5", "1/3"));
}

}  // namespace
}  // namespace rlvr::verifiers::math
