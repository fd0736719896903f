#include "verifiers/exact_number_verifier.h"

#include <gtest/gtest.h>

namespace rlvr::verifiers {
namespace {

Task task_with(const std::string& reference) {
  Task t;
  t.id = "test/0";
  t.reference = reference;
  t.verifier = "exact_number";
  return t;
}

Verdict verify(const std::string& reference, const std::string& completion) {
  return ExactNumberVerifier().verify(task_with(reference), completion);
}

TEST(ExactNumberVerifier, RightAnswers) {
  for (const auto& [reference, completion] : std::vector<std::pair<std::string, std::string>>{
           {"132", "132"},
           {"132", "0132"},
           {"132", "so 100+32 = 132"},
           {"2.5", "2.50"},
           {"2.50", "it is 2.5"},
           {"0", "-0"},
           {"-7", "The result is -7."},
           {"1234", "1,234"},
           {"1,234", "1234"},
           {"42", "first 41, then <answer>42</answer>"},
           {"-3", "<answer>-3</answer>"},
       }) {
    const Verdict v = verify(reference, completion);
    EXPECT_TRUE(v.correct) << reference << " vs " << completion << ": " << v.detail;
    EXPECT_EQ(v.status, VerdictStatus::kCorrect);
    EXPECT_EQ(v.reward, 1);
  }
}

TEST(ExactNumberVerifier, WrongAnswers) {
  for (const auto& [reference, completion] : std::vector<std::pair<std::string, std::string>>{
           {"132", "131"},
           {"132", "132 no wait 133"},
           {"2.5", "25"},
           {"-7", "7"},
           {"42", "<answer>41</answer> but really 42"},
       }) {
    const Verdict v = verify(reference, completion);
    EXPECT_FALSE(v.correct) << reference << " vs " << completion;
    EXPECT_EQ(v.status, VerdictStatus::kWrong) << completion;
    EXPECT_EQ(v.reward, 0);
  }
  // A '-' after a digit is subtraction, so "3-7" ends in the number 7.
  EXPECT_TRUE(verify("7", "3-7").correct);
  EXPECT_FALSE(verify("-7", "3-7").correct);
}

// Reversed and fixed-width answers ("052" is 250 written backwards) must
// match digit for digit: "52" would reward a different number.
TEST(ExactNumberVerifier, LeadingZeroReferencesAreDigitStrings) {
  EXPECT_TRUE(verify("052", "052").correct);
  EXPECT_TRUE(verify("052", "<answer>052</answer>").correct);
  EXPECT_FALSE(verify("052", "52").correct);
  EXPECT_FALSE(verify("052", "0052").correct);
  EXPECT_TRUE(verify("-05", "-05").correct);
  EXPECT_FALSE(verify("-05", "-5").correct);
  EXPECT_TRUE(verify("0", "0").correct);  // a lone zero is an ordinary number
  EXPECT_TRUE(verify("0.5", "0.50").correct);  // a decimal point is no fixed width
}

TEST(ExactNumberVerifier, ReportsTheAnswerAndGroupsEqualNumbers) {
  const ExactNumberVerifier v;
  EXPECT_EQ(v.verify(task_with("132"), "so it is 0132").answer, "0132");
  EXPECT_EQ(v.verify(task_with("132"), "no idea").answer, "");
  EXPECT_TRUE(v.same_answer(task_with("132"), "0132", "132"));
  EXPECT_TRUE(v.same_answer(task_with("7"), "2.50", "2.5"));
  EXPECT_FALSE(v.same_answer(task_with("7"), "25", "2.5"));
  EXPECT_FALSE(v.same_answer(task_with("052"), "052", "52"));  // fixed width: digit strings
}

TEST(ExactNumberVerifier, DetailNamesBothSides) {
  EXPECT_EQ(verify("132", "I think 131").detail, "extracted 131, expected 132");
  EXPECT_LT(verify("1", std::string(100'000, '9')).detail.size(), 200u);
}

TEST(ExactNumberVerifier, NoAnswer) {
  EXPECT_EQ(verify("5", "I do not know").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(verify("5", "").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(verify("5", "12 <answer>none</answer>").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(verify("5", "I do not know").reward, 0);
}

TEST(ExactNumberVerifier, NonNumericReferenceComparesText) {
  EXPECT_TRUE(verify("yes", "  yes \n").correct);
  EXPECT_TRUE(verify("x+1", "so... <answer> x+1 </answer>").correct);
  EXPECT_EQ(verify("yes", "no").status, VerdictStatus::kWrong);
  EXPECT_EQ(verify("yes", "  ").status, VerdictStatus::kNoAnswer);
}

}  // namespace
}  // namespace rlvr::verifiers
