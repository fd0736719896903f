#include <gtest/gtest.h>

#include "core/error.h"
#include "tests/verifiers/hostile_output.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

Task roles_task(const std::string& reference = "A=knight B=knave C=knight") {
  Task t;
  t.id = "knights_knaves/eval/0";
  t.prompt = "A: B knave. B: C knave. C: A knight. ->";
  t.reference = reference;
  t.solution = reference;
  t.verifier = "role_assignment";
  return t;
}

Verdict verdict_of(const std::string& completion) {
  return make_verifier("role_assignment")->verify(roles_task(), completion);
}

TEST(RoleAssignmentVerifier, EveryNameRightInAnyOrderCaseOrSeparator) {
  for (const char* answer : {"A=knight B=knave C=knight", "C=knight A=knight B=knave", "A=knight, B=knave, C=knight",
                             "  A=Knight B=KNAVE C=knight \nrest", "<answer>A=knight B=knave C=knight</answer>"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kCorrect) << answer << ": " << v.detail;
    EXPECT_EQ(v.reward, 1) << answer;
    EXPECT_EQ(v.answer, "A=knight B=knave C=knight") << "one canonical answer for majority votes";
  }
}

TEST(RoleAssignmentVerifier, PartialCreditIsTheFractionOfNamesRight) {
  const Verdict one_wrong = verdict_of("A=knight B=knight C=knight");
  EXPECT_EQ(one_wrong.status, VerdictStatus::kWrong);
  EXPECT_FALSE(one_wrong.correct);
  EXPECT_DOUBLE_EQ(one_wrong.reward, 2.0 / 3);
  EXPECT_NE(one_wrong.detail.find("2 of 3 right"), std::string::npos) << one_wrong.detail;
  EXPECT_DOUBLE_EQ(verdict_of("A=knight C=knight").reward, 2.0 / 3) << "a missing name counts as wrong";
  EXPECT_DOUBLE_EQ(verdict_of("A=knave B=knight C=knave").reward, 0);
  EXPECT_EQ(verdict_of("A=knave B=knight C=knave").status, VerdictStatus::kWrong);
  EXPECT_DOUBLE_EQ(verdict_of("B=knave").reward, 1.0 / 3);
}

TEST(RoleAssignmentVerifier, MalformedAnswersEarnNothing) {
  EXPECT_EQ(verdict_of("").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(verdict_of(" ,, ").status, VerdictStatus::kNoAnswer) << "separators but no pair";
  for (const char* answer : {"A knight B knave C knight", "A=knight B= C=knight", "=knight", "A=knight D=knave",
                             "A=knight A=knave B=knave C=knight"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kInvalid) << answer << ": " << v.detail;
    EXPECT_EQ(v.reward, 0) << answer;
  }
  EXPECT_NE(verdict_of("A=knight A=knave").detail.find("'A' is given twice"), std::string::npos);
}

TEST(RoleAssignmentVerifier, HostileOutputIsAVerdict) {
  expect_hostile_outputs_are_verdicts("role_assignment", roles_task(), "A=knight");
}

TEST(RoleAssignmentVerifier, ABadReferenceIsTheEnvironmentsBug) {
  for (const char* reference : {"", "A knight", "A=knight A=knave"}) {
    EXPECT_THROW(make_verifier("role_assignment")->verify(roles_task(reference), "A=knight"), Error) << reference;
  }
}

}  // namespace
}  // namespace rlvr::verifiers
