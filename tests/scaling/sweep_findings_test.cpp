// The sentences and the by-size table of a sweep summary, on hand-built
// results whose fits have known parameters.
#include "scaling/sweep_findings.h"

#include <gtest/gtest.h>

#include <memory>
#include <tuple>
#include <string>

namespace rlvr::scaling {
namespace {

FitResult sigmoid_fit(double a, double c_mid, bool a_pinned = true) {
  FitResult f;
  f.model = "sigmoid";
  f.range = MetricRange{0, 1};
  f.params = {{"A", a, a - 0.01, a + 0.01, a_pinned}, {"B", 1.5, 1.2, 1.8, true}, {"C_mid", c_mid, c_mid / 2, c_mid * 2, true},
              {"R0", 0.1, 0.1, 0.1, true}};
  ExtrapolationCheck x;
  x.observed = a;
  x.predicted = a + 0.02;
  f.extrapolation = x;
  return f;
}

SweepPointResult point(int64_t parameters, double a, double c_mid, bool a_pinned = true) {
  SweepPointResult p;
  p.finished = true;
  p.parameters = parameters;
  p.rl_eval.fit = sigmoid_fit(a, c_mid, a_pinned);
  p.rl_eval.start_accuracy = 0.1;
  p.rl_eval.accuracy = {0.3, a};
  return p;
}

TEST(SweepFindingsTest, RlFitsAreGroupedBySizeAndOnlyPinnedParametersCount) {
  SweepResults r;
  r.points = {point(1000000, 0.8, 1e11), point(100000, 0.6, 1e12), point(100000, 0.62, 1e12, false)};
  r.points.emplace_back();  // an unfinished point
  const auto sizes = rl_fits_by_size(r);
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[0].parameters, 100000);
  EXPECT_EQ(sizes[0].points, 2);
  EXPECT_EQ(sizes[0].asymptotes, std::vector<double>{0.6});
  EXPECT_EQ(sizes[0].midpoints.size(), 2u);
  ASSERT_EQ(sizes[0].extrapolation_errors.size(), 2u);
  EXPECT_NEAR(sizes[0].extrapolation_errors[0], 2.0, 1e-9);
  EXPECT_EQ(sizes[1].parameters, 1000000);
}

TEST(SweepFindingsTest, BySizeTableSaysHowTheAsymptoteAndMidpointMoveWithSize) {
  SweepResults r;
  r.points = {point(100000, 0.6, 1e12), point(100000, 0.6, 1e12), point(1000000, 0.8, 1e11)};
  const std::string md = rl_by_size_markdown(rl_fits_by_size(r));
  for (const char* needle : {"### RL fits by model size",
                             "| 100000 | 2 | 10.0% -> 60.0% | 0.600 +- 0.000 (2 fits) | 1e+12 [1e+12, 1e+12] | 2.0 |",
                             "RL raised the fitted metric at 2 of 2 sizes",
                             "moves by +0.200 per decade", "C_mid ~ N^-1.00 (over 2 sizes)",
                             "larger models need less RL compute"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
  r.points = {point(100000, 0.6, 1e12), point(1000000, 0.6, 1e12)};
  EXPECT_NE(rl_by_size_markdown(rl_fits_by_size(r)).find("does not move with size"), std::string::npos);
  // A curve that ends below its start is counted as not risen, fitted or not.
  r.points[1].rl_eval.accuracy = {0.05};
  r.points[1].rl_eval.fit.reset();
  EXPECT_NE(rl_by_size_markdown(rl_fits_by_size(r)).find("at 1 of 2 sizes"), std::string::npos);
  EXPECT_EQ(rl_by_size_markdown({}), "");
}

TEST(SweepFindingsTest, PreTrainingFindingJudgesTheExponentsIntervalAndTheSizeExtrapolation) {
  FitResult f;
  f.model = "power";
  f.params = {{"E", 1.2, 1.1, 1.3, true}, {"a", 200, 150, 250, true}, {"alpha", 0.3, 0.25, 0.35, true}};
  ExtrapolationCheck x;
  x.fit_up_to = 4e5;
  x.observed = 1.5;
  x.predicted = 1.53;
  x.lower = 1.45;
  x.upper = 1.6;
  x.relative_error = 0.02;
  f.extrapolation = x;
  std::string md = pre_training_finding(f);
  for (const char* needle : {"alpha = 0.3 (95% interval [0.25, 0.35], +-17% of alpha: the exponent is pinned)",
                             "E = 1.2", "up to 4e+05 parameters", "at 1.53 against 1.5 observed, a 2.0% error, inside the fit's band"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
  f.params[2] = {"alpha", 0.3, 0.05, 0.9, true};
  EXPECT_NE(pre_training_finding(f).find("the exponent is not pinned"), std::string::npos);
  f.params[2].constrained = false;
  EXPECT_NE(pre_training_finding(f).find("do not pin the exponent"), std::string::npos);
}

TEST(SweepFindingsTest, TestTimeFindingSummarisesCeilingsExponentsAndCrossovers) {
  SweepResults r;
  EXPECT_EQ(test_time_finding(r), "");
  for (const auto& [pi0, alpha, crossover] : {std::tuple{0.1, 0.5, 8}, std::tuple{0.3, 0.9, 32}}) {
    SweepPointResult p;
    p.finished = true;
    TestTimeLawSummary law;
    law.law.pi0 = pi0;
    law.law.alpha = alpha;
    TestTimeExtrapolation check;
    check.predicted = 0.8;
    check.observed = 0.79;
    law.checks = {check};
    p.test_time_law.final_policy = PolicyTestTime{"t.csv", {}, law};
    p.test_time_law.crossover = TestTimeCrossover{crossover, 10.0};
    r.points.push_back(p);
  }
  const std::string md = test_time_finding(r);
  for (const char* needle : {"Over 2 final policies", "ceiling 1 - pi0 at 0.700-0.900", "alpha at 0.5-0.9",
                             "within 1.0 points on average", "catches up with the RL policy at k = 8-32", "on 2 points"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
}

}  // namespace
}  // namespace rlvr::scaling
