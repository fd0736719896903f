#include "scaling/rl_eval_curve.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace rlvr::scaling {
namespace {

// RL evaluations on a rising sigmoid: greedy accuracy at every point and,
// when `sampled`, pass@1 with its standard error at every point but `gap`.
std::vector<MetricsRecord> records(bool sampled, int gap = -1) {
  std::vector<MetricsRecord> out;
  out.push_back(MetricsRecord{"sft", 10, {{"flops/total", 50}}});
  for (int step = 0; step <= 12; ++step) {
    const double flops = 100 + 10 * step * step;
    const double x = flops - 100;
    const double pass = step == 0 ? 0.2 : 0.2 + 0.6 / (1 + std::pow(300 / x, 1.5));
    MetricsRecord r{"rl_eval", step, {{"flops/total", flops}, {"eval/accuracy", pass + 0.05}}};
    if (sampled && step != gap) r.add("eval/pass@1", pass).add("eval/pass@1_stderr", 0.02);
    out.push_back(r);
  }
  return out;
}

TEST(RlEvalCurveTest, FitsSampledPassAtOneWithItsErrorsWhenEveryEvaluationHasIt) {
  const RlEvalCurve c = rl_eval_curve(records(true));
  EXPECT_EQ(c.metric, "eval/pass@1");
  ASSERT_EQ(c.flops.size(), 12u);
  EXPECT_DOUBLE_EQ(c.start_accuracy, 0.2);
  EXPECT_EQ(c.stderrs, std::vector<double>(12, 0.02));
  ASSERT_TRUE(c.fit) << c.fit_error;
  EXPECT_NEAR(c.fit->param("A"), 0.8, 0.02);
  EXPECT_DOUBLE_EQ(c.fit->param("R0"), 0.2);
}

TEST(RlEvalCurveTest, FallsBackToGreedyAccuracyWhenAnEvaluationLacksPassAtOne) {
  for (const auto& recs : {records(false), records(true, 5)}) {
    const RlEvalCurve c = rl_eval_curve(recs);
    EXPECT_EQ(c.metric, "eval/accuracy");
    EXPECT_DOUBLE_EQ(c.start_accuracy, 0.25);
    EXPECT_TRUE(c.stderrs.empty()) << "greedy accuracy without logged errors is fitted unweighted";
    ASSERT_EQ(c.accuracy.size(), 12u);
    EXPECT_GT(c.accuracy.back(), c.accuracy.front());
  }
}

TEST(RlEvalCurveTest, TooFewEvaluationsSayWhyThereIsNoFit) {
  std::vector<MetricsRecord> recs = records(true);
  recs.resize(4);
  const RlEvalCurve c = rl_eval_curve(recs);
  EXPECT_FALSE(c.fit);
  EXPECT_NE(c.fit_error.find("fewer than 5 RL evaluations"), std::string::npos) << c.fit_error;
}

}  // namespace
}  // namespace rlvr::scaling
