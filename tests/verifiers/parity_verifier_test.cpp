#include <gtest/gtest.h>

#include "core/error.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

Task parity_task(const std::string& reference) {
  Task t;
  t.id = "parity/eval/0";
  t.prompt = "0110=";
  t.reference = reference;
  t.verifier = "parity";
  return t;
}

VerdictStatus status_of(const std::string& completion, const std::string& reference = "0") {
  return make_verifier("parity")->verify(parity_task(reference), completion).status;
}

TEST(ParityVerifier, AcceptsTheBitAloneOrAfterWorkedSteps) {
  EXPECT_EQ(status_of("0"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of(" 0 \n"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of("#0110"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of("1", "1"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of("#0111", "1"), VerdictStatus::kCorrect);
  // Only the last step is graded: the working is the model's own.
  EXPECT_EQ(status_of("#1110"), VerdictStatus::kCorrect);
  EXPECT_EQ(status_of("<answer>#00</answer>"), VerdictStatus::kCorrect);
}

TEST(ParityVerifier, WrongAnswers) {
  EXPECT_EQ(status_of("1"), VerdictStatus::kWrong);
  EXPECT_EQ(status_of("#0111"), VerdictStatus::kWrong);
  const Verdict v = make_verifier("parity")->verify(parity_task("0"), "#01");
  EXPECT_EQ(v.answer, "1");
  EXPECT_NE(v.detail.find("expected 0"), std::string::npos) << v.detail;
}

TEST(ParityVerifier, MalformedOutputIsAVerdict) {
  EXPECT_EQ(status_of(""), VerdictStatus::kNoAnswer);
  EXPECT_EQ(status_of("#"), VerdictStatus::kNoAnswer);
  EXPECT_EQ(status_of("01"), VerdictStatus::kInvalid);
  EXPECT_EQ(status_of("#01x"), VerdictStatus::kInvalid);
  EXPECT_EQ(status_of("##0"), VerdictStatus::kInvalid);
  EXPECT_EQ(status_of("zero"), VerdictStatus::kInvalid);
  EXPECT_EQ(status_of(std::string(100000, '#')), VerdictStatus::kInvalid);
  EXPECT_FALSE(make_verifier("parity")->verify(parity_task("0"), "1\n0").correct) << "first line decides";
}

TEST(ParityVerifier, ABadReferenceIsTheEnvironmentsBug) {
  EXPECT_THROW(make_verifier("parity")->verify(parity_task("2"), "0"), Error);
}

}  // namespace
}  // namespace rlvr::verifiers
