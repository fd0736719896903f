#include <gtest/gtest.h>

#include "core/error.h"
#include "tests/verifiers/hostile_output.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

// Three blanks: row 1 column 3, row 2 column 3, row 4 column 2.
Task sudoku_task(const std::string& puzzle = "12.4/34.2/2143/4.21") {
  Task t;
  t.id = "sudoku/eval/0";
  t.prompt = puzzle + "=";
  t.reference = "1234/3412/2143/4321";
  t.solution = t.reference;
  t.verifier = "grid";
  t.meta["puzzle"] = puzzle;
  return t;
}

Verdict verdict_of(const std::string& completion) { return make_verifier("grid")->verify(sudoku_task(), completion); }

TEST(GridVerifier, TheFilledGridIsCorrect) {
  for (const char* answer :
       {"1234/3412/2143/4321", " 1234/3412/2143/4321 \n", "<answer>1234/3412/2143/4321</answer>"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kCorrect) << answer << ": " << v.detail;
    EXPECT_EQ(v.reward, 1);
  }
}

TEST(GridVerifier, PartialCreditIsTheFractionOfBlanksRight) {
  const Verdict one_wrong = verdict_of("1234/3422/2143/4321");
  EXPECT_EQ(one_wrong.status, VerdictStatus::kWrong);
  EXPECT_FALSE(one_wrong.correct);
  EXPECT_DOUBLE_EQ(one_wrong.reward, 2.0 / 3);
  EXPECT_NE(one_wrong.detail.find("2 of 3 blanks right"), std::string::npos) << one_wrong.detail;
  EXPECT_DOUBLE_EQ(verdict_of("1214/3422/2143/4121").reward, 0);
}

TEST(GridVerifier, ChangingAGivenCellEarnsNothing) {
  const Verdict v = verdict_of("1234/3412/2143/4312");
  EXPECT_EQ(v.status, VerdictStatus::kWrong);
  EXPECT_EQ(v.reward, 0);
  EXPECT_NE(v.detail.find("changes the given"), std::string::npos) << v.detail;
}

TEST(GridVerifier, AnAnswerNotShapedLikeTheGridIsInvalid) {
  EXPECT_EQ(verdict_of("").status, VerdictStatus::kNoAnswer);
  for (const char* answer : {"1234341221434321", "1234/3412/2143", "1234/3412/2143/43210", "1234 3412 2143 4321",
                             "12.4/34.2/2143/4.21", "1234/3412/2143/432x", "1234/3412\n2143/4321"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kInvalid) << answer << ": " << v.detail;
    EXPECT_EQ(v.reward, 0) << answer;
  }
}

TEST(GridVerifier, HostileOutputIsAVerdict) {
  expect_hostile_outputs_are_verdicts("grid", sudoku_task(), "1234/3412/2143/4321");
}

TEST(GridVerifier, APuzzleUnlikeItsReferenceIsTheEnvironmentsBug) {
  const auto grid = make_verifier("grid");
  for (const char* puzzle : {"1234/3412/2143/4321", "12.4/34.2/2143", "12.4-34.2/2143/4.21"}) {
    EXPECT_THROW(grid->verify(sudoku_task(puzzle), "1234/3412/2143/4321"), Error) << puzzle;
  }
  Task no_puzzle = sudoku_task();
  no_puzzle.meta.clear();
  EXPECT_THROW(grid->verify(no_puzzle, "1234/3412/2143/4321"), Error);
}

}  // namespace
}  // namespace rlvr::verifiers
