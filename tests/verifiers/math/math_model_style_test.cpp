// The project's own cases of answers as real models write them
// (model_style_cases.jsonl: no \boxed{}, relations, several answers, matrices,
// number and text formats, dataset answer styles; right, wrong and near-miss
// completions). Every case must agree: each one states the policy in
// verifiers/math/README.md. bench/math_verify_compare.py runs the same file
// beside Math-Verify.
#include <gtest/gtest.h>

#include <iostream>

#include "case_agreement.h"

namespace rlvr::verifiers {
namespace {

TEST(MathModelStyle, EveryCaseAgreesWithItsExpectedVerdict) {
  const CaseAgreement result = judge_cases(RLVR_MATH_TEST_DIR "/model_style_cases.jsonl", *make_verifier("math"), 1.0);
  ASSERT_GE(result.total, 200) << "model_style_cases.jsonl was not read";
  std::cout << result.table() << result.slow_cases;
  EXPECT_EQ(result.agree, result.total);
}

}  // namespace
}  // namespace rlvr::verifiers
