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

TEST(MathExtract, AnswersWithoutABox) {
  EXPECT_EQ(extract_final_answer("Final Answer: The final answer is $10,455$. I hope it is correct."), "10,455");
  EXPECT_EQ(extract_final_answer("Final Answer: The largest $n$ is 34."), "34");
  EXPECT_EQ(extract_final_answer("we have $2x = 10$, so $x = 5$."), "x = 5");
  EXPECT_EQ(extract_final_answer("The distance is $\\sqrt{8} = 2\\sqrt{2}$."), "2\\sqrt{2}");
  EXPECT_EQ(extract_final_answer("Therefore $a + b = 7$."), "7");
  EXPECT_EQ(extract_final_answer("The line is $y = 2x + 1$."), "y = 2x + 1");
  EXPECT_EQ(extract_final_answer("Thus the area is\n\\[\\frac{1}{2}.\\]"), "\\frac{1}{2}.");
  EXPECT_EQ(extract_final_answer("so $x = 2$ or $x = -3$."), "x = 2 \\text{ or } x = -3");
  EXPECT_EQ(extract_final_answer("It costs \\$5 and then $7$."), "7");
  EXPECT_EQ(extract_final_answer("The sum is $5$ and the product is $6$."), "6");
  EXPECT_EQ(extract_final_answer("So she makes $\\$80$ every day."), "\\$80");
  // Dollar amounts are not math groups: the last number answers.
  EXPECT_EQ(extract_final_answer("She sells 9 eggs at $2 each, making $18."), "18");
  EXPECT_EQ(extract_final_answer("Two books at $12 each and one at $5 cost $29 in all."), "29");
  EXPECT_EQ(extract_final_answer("It costs $5 and $x$ is 3, so $y = x + 2$"), "y = x + 2");
  EXPECT_EQ(extract_final_answer("Final Answer: The final answer is $(2,2)$ and $(6,2)$. I hope it is correct."),
            "(2,2), (6,2)");
}

TEST(MathExtract, JoinedBoxesAreOneAnswerSet) {
  EXPECT_EQ(extract_final_answer("$\\boxed{(2, 2)}$ and $\\boxed{(6, 2)}$."), "(2, 2), (6, 2)");
  EXPECT_EQ(extract_final_answer("\\boxed{1}, \\boxed{2}, \\boxed{3}"), "1, 2, 3");
  EXPECT_EQ(extract_final_answer("\\boxed{3} or \\boxed{4}"), "4");  // hedging: the last box
  EXPECT_EQ(extract_final_answer("\\boxed{3}. Wait, it is \\boxed{4}"), "4");
}

TEST(MathExtract, TextAfterANewTurnIsIgnored) {
  EXPECT_EQ(extract_final_answer("The answer is 6.<|im_end|>\n<|im_start|>user\nWhat is 3+4?"), "6");
  EXPECT_EQ(extract_final_answer("\\boxed{6}<|im_end|><|im_start|>assistant\n\\boxed{4}"), "6");
  EXPECT_EQ(extract_final_answer("So 12.\n\nHuman: And 5*5?\n\nAssistant: 25"), "12");
  EXPECT_EQ(extract_final_answer("The answer is 18.\n\nQuestion: What is 2+3?\nAnswer: 5"), "18");
  EXPECT_EQ(extract_final_answer("<|im_start|>assistant\nThe answer is 9."), "9");  // a template's own header
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

// verifier.math.answer_style, float_min_digits and set_matching change the policy.
TEST(MathExtractPriority, VerifierReadsItsPolicySettings) {
  rlvr::Task task;
  task.reference = "5";
  const std::string hashes_after_box = "\\boxed{4}\n#### 5";
  config::VerifierConfig gsm8k;
  gsm8k.mutable_math()->set_answer_style(config::GSM8K_STYLE);
  EXPECT_TRUE(verifiers::make_verifier("math", gsm8k)->verify(task, hashes_after_box).correct);
  EXPECT_FALSE(verifiers::make_verifier("math")->verify(task, hashes_after_box).correct);

  task.reference = "\\frac{1}{12}";
  config::VerifierConfig exact;
  exact.mutable_math()->set_float_min_digits(0);
  EXPECT_TRUE(verifiers::make_verifier("math")->verify(task, "\\boxed{0.0833333333333333}").correct);
  EXPECT_FALSE(verifiers::make_verifier("math", exact)->verify(task, "\\boxed{0.0833333333333333}").correct);

  task.reference = "(1, 2)";
  config::VerifierConfig lenient;
  lenient.mutable_math()->set_set_matching(config::LENIENT_SETS);
  EXPECT_TRUE(verifiers::make_verifier("math", lenient)->verify(task, "\\boxed{\\{2, 1\\}}").correct);
  EXPECT_FALSE(verifiers::make_verifier("math")->verify(task, "\\boxed{\\{2, 1\\}}").correct);
}

// A reference that is not mathematics (a name) is compared as words.
TEST(MathExtractPriority, TextReferencesCompareAsWords) {
  const auto verifier = verifiers::make_verifier("math");
  rlvr::Task task;
  task.reference = "\\text{Evelyn}";
  EXPECT_TRUE(verifier->verify(task, "The fastest is \\boxed{\\text{Evelyn}}.").correct);
  EXPECT_TRUE(verifier->verify(task, "The answer is evelyn.").correct);
  EXPECT_FALSE(verifier->verify(task, "\\boxed{\\text{Evelyn's}}").correct);
  EXPECT_FALSE(verifier->verify(task, "\\boxed{5}").correct);
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
