#include "verifiers/countdown_verifier.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/error.h"

namespace rlvr::verifiers {
namespace {

Verdict verify(const std::string& completion, const std::string& numbers = "3,7,25",
               const std::string& target = "46") {
  Task t;
  t.id = "countdown/test/0";
  t.prompt = "3 7 25 -> 46:";
  t.reference = target;
  t.verifier = "countdown";
  t.meta["numbers"] = numbers;
  return CountdownVerifier().verify(t, completion);
}

TEST(CountdownVerifier, RightAnswers) {
  for (const char* completion : {"25+3*7", " 25 + 3 * 7 ", "3*7+25 = 46", "25+3*7=46\nmore text",
                                 "\n\n25+7*3", "thinking\n<answer>(7*3)+25</answer>"}) {
    const Verdict v = verify(completion);
    EXPECT_TRUE(v.correct) << completion << ": " << v.detail;
    EXPECT_EQ(v.status, VerdictStatus::kCorrect);
    EXPECT_EQ(v.reward, 1);
  }
  // Not every number has to be used; exact rationals allow fractional steps.
  EXPECT_TRUE(verify("25*2", "2,25,9", "50").correct);
  EXPECT_TRUE(verify("7/2*4", "2,4,7", "14").correct);
}

TEST(CountdownVerifier, WrongValue) {
  const Verdict v = verify("25+3+7");
  EXPECT_EQ(v.status, VerdictStatus::kWrong);
  EXPECT_EQ(v.reward, 0);
  EXPECT_EQ(v.detail, "value 35, expected 46");
  EXPECT_EQ(verify("7/3", "3,7", "2").status, VerdictStatus::kWrong);
  EXPECT_EQ(verify("7/3", "3,7", "2").detail, "value 7/3, expected 2");
}

TEST(CountdownVerifier, ReusingANumberIsInvalid) {
  const Verdict v = verify("25+7+7+7");
  EXPECT_EQ(v.status, VerdictStatus::kInvalid);
  EXPECT_NE(v.detail.find("uses 7 more often than given"), std::string::npos) << v.detail;
  // Given twice, it may be used twice.
  EXPECT_TRUE(verify("7*7-3", "3,7,7", "46").correct);
}

TEST(CountdownVerifier, IllegalNumberIsInvalid) {
  const Verdict v = verify("46");
  EXPECT_EQ(v.status, VerdictStatus::kInvalid);
  EXPECT_NE(v.detail.find("uses 46"), std::string::npos) << v.detail;
}

TEST(CountdownVerifier, ParseErrorsAreInvalid) {
  EXPECT_EQ(verify("25+3*7)").detail, "unexpected ')' at column 7");
  EXPECT_EQ(verify("(25+3*7").status, VerdictStatus::kInvalid);
  EXPECT_EQ(verify("25/(7-7)", "7,7,25").detail, "division by zero at column 3");
  EXPECT_EQ(verify("-3+49", "3,49").status, VerdictStatus::kInvalid);
  EXPECT_EQ(verify("the answer is 46").status, VerdictStatus::kInvalid);
}

TEST(CountdownVerifier, NoAnswer) {
  EXPECT_EQ(verify("").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(verify(" \n \n").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(verify("25+3*7 <answer></answer>").status, VerdictStatus::kNoAnswer);
}

TEST(CountdownVerifier, HugeOrDeepInputGetsAVerdictQuickly) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(verify(std::string(5'000'000, '(')).status, VerdictStatus::kInvalid);
  EXPECT_EQ(verify(std::string(500, '(') + "3" + std::string(500, ')')).status,
            VerdictStatus::kInvalid);
  std::string sum = "3";
  for (int i = 0; i < 300; ++i) sum += "+3";
  EXPECT_EQ(verify(sum).status, VerdictStatus::kInvalid);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(CountdownVerifier, MalformedTaskThrows) {
  Task t;
  t.id = "x/0";
  t.reference = "4";
  EXPECT_THROW(CountdownVerifier().verify(t, "2+2"), Error);
}

}  // namespace
}  // namespace rlvr::verifiers
