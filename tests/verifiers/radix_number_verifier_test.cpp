#include <gtest/gtest.h>

#include "core/error.h"
#include "tests/verifiers/hostile_output.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

Task number_task(const std::string& reference, const std::string& base) {
  Task t;
  t.id = "radix_conversion/eval/0";
  t.prompt = "13_10->2=";
  t.reference = reference;
  t.solution = reference;
  t.verifier = "radix_number";
  t.meta["base"] = base;
  return t;
}

Verdict verdict_of(const std::string& completion, const std::string& reference = "1101",
                   const std::string& base = "2") {
  return make_verifier("radix_number")->verify(number_task(reference, base), completion);
}

TEST(RadixNumberVerifier, TheSameNumberInTheBaseIsCorrect) {
  for (const char* answer : {"1101", "001101", " 1101\nso 13", "<answer>1101</answer>"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kCorrect) << answer << ": " << v.detail;
    EXPECT_EQ(v.answer, "1101");
  }
  EXPECT_TRUE(verdict_of("1a", "1A", "16").correct);
  EXPECT_TRUE(verdict_of("000", "0", "10").correct);
  EXPECT_TRUE(verdict_of("FFFF", "FFFF", "16").correct);
}

TEST(RadixNumberVerifier, PartialCreditCountsPlacesFromTheLastDigit) {
  const Verdict one_place = verdict_of("1100");
  EXPECT_EQ(one_place.status, VerdictStatus::kWrong);
  EXPECT_FALSE(one_place.correct);
  EXPECT_DOUBLE_EQ(one_place.reward, 0.75);
  EXPECT_DOUBLE_EQ(verdict_of("101").reward, 0.75) << "a dropped leading digit keeps the low places";
  EXPECT_DOUBLE_EQ(verdict_of("11010").reward, 0.2) << "a shifted number agrees in few places";
  EXPECT_DOUBLE_EQ(verdict_of("1B", "1A", "16").reward, 0.5);
  EXPECT_DOUBLE_EQ(verdict_of("10", "1101", "2").reward, 0);
  EXPECT_NE(one_place.detail.find("answered 1100, expected 1101 (base 2)"), std::string::npos) << one_place.detail;
}

TEST(RadixNumberVerifier, ADigitOutsideTheBaseIsInvalid) {
  EXPECT_EQ(verdict_of("").status, VerdictStatus::kNoAnswer);
  for (const char* answer : {"1102", "13", "0b1101", "11 01", "-1101", "1101.0", "G"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kInvalid) << answer;
    EXPECT_EQ(v.reward, 0);
  }
  EXPECT_EQ(verdict_of("0x1A", "1A", "16").status, VerdictStatus::kInvalid);
  EXPECT_EQ(verdict_of(std::string(81, '1')).status, VerdictStatus::kInvalid);
}

TEST(RadixNumberVerifier, HostileOutputIsAVerdict) {
  expect_hostile_outputs_are_verdicts("radix_number", number_task("1101", "2"), "1101");
  expect_hostile_outputs_are_verdicts("radix_number", number_task("7F", "16"), "7F");
}

TEST(RadixNumberVerifier, ABadBaseOrReferenceIsTheEnvironmentsBug) {
  const auto verifier = make_verifier("radix_number");
  for (const auto& [reference, base] : std::vector<std::pair<std::string, std::string>>{
           {"1101", "1"}, {"1101", "17"}, {"1101", "two"}, {"12", "2"}, {"", "2"}}) {
    EXPECT_THROW(verifier->verify(number_task(reference, base), "1101"), Error) << reference << " base " << base;
  }
  Task no_base = number_task("1101", "2");
  no_base.meta.clear();
  EXPECT_THROW(verifier->verify(no_base, "1101"), Error);
}

}  // namespace
}  // namespace rlvr::verifiers
