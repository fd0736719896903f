#include "verifiers/agreement.h"

#include <gtest/gtest.h>

namespace rlvr::verifiers {
namespace {

TEST(AgreementTally, UnjudgedIsCountedApartAndLeftOutOfTheRate) {
  AgreementTally tally;
  EXPECT_EQ(tally.add("a", make_verdict(VerdictStatus::kCorrect, ""), true), Agreement::kAgree);
  EXPECT_EQ(tally.add("a", make_verdict(VerdictStatus::kWrong, ""), true), Agreement::kDisagree);
  EXPECT_EQ(tally.add("a", make_verdict(VerdictStatus::kUnjudged, "SE"), false), Agreement::kUnjudged);
  EXPECT_EQ(tally.add("b", make_verdict(VerdictStatus::kUnjudged, "SE"), true), Agreement::kUnjudged);
  const AgreementCounts& a = tally.per_category().at("a");
  EXPECT_EQ(a.cases, 3);
  EXPECT_EQ(a.agree, 1);
  EXPECT_EQ(a.unjudged, 1);
  EXPECT_DOUBLE_EQ(*a.rate(), 0.5);  // 1 of the 2 judged, not 1 of 3
  EXPECT_EQ(tally.per_category().at("b").rate(), std::nullopt);
  EXPECT_EQ(tally.total().unjudged, 2);
  EXPECT_EQ(tally.table(),
            "category                  agree unjudged  cases     rate\n"
            "a                             1        1      3    50.0%\n"
            "b                             0        1      1        -\n"
            "overall                       1        2      4    50.0%\n"
            "  correct    1\n"
            "  unjudged   2\n"
            "  wrong      1\n");
}

TEST(AgreementTally, UnlabelledCasesAgreeWhenCorrect) {
  AgreementTally tally;
  EXPECT_EQ(tally.add("all", make_verdict(VerdictStatus::kCorrect, ""), std::nullopt), Agreement::kAgree);
  EXPECT_EQ(tally.add("all", make_verdict(VerdictStatus::kNoAnswer, ""), std::nullopt), Agreement::kDisagree);
  EXPECT_EQ(tally.add("all", make_verdict(VerdictStatus::kWrong, ""), false), Agreement::kAgree);
}

}  // namespace
}  // namespace rlvr::verifiers
