#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/rng.h"
#include "scaling/distributions.h"
#include "scaling/fit.h"

namespace rlvr::scaling {
namespace {

using Truth = std::map<std::string, double>;

double sigmoid(const Truth& t, double c) {
  return t.at("R0") + (t.at("A") - t.at("R0")) / (1 + std::pow(t.at("C_mid") / c, t.at("B")));
}
double power_law(const Truth& t, double x) { return t.at("E") + t.at("a") * std::pow(x, -t.at("alpha")); }

// A standard normal draw from the platform-independent uniform (Box-Muller).
double normal(Rng& rng) {
  const double u1 = 1 - uniform_unit(rng), u2 = uniform_unit(rng);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

// n points log-spaced over [lo, hi]; y = f(x) * (1 + noise * N(0, 1)), seeded.
template <typename F>
Series make_series(F f, double lo, double hi, int n, double noise, uint64_t seed) {
  Rng rng(derive_seed(seed, 1));
  Series s;
  for (int i = 0; i < n; ++i) {
    const double x = lo * std::pow(hi / lo, static_cast<double>(i) / (n - 1));
    s.xs.push_back(x);
    s.ys.push_back(f(x) * (1 + noise * normal(rng)));
  }
  return s;
}

void expect_recovered(const FitResult& r, const Truth& truth) {
  for (const auto& p : r.params) {
    const double t = truth.at(p.name);
    std::printf("  %-6s true %-12.5g fitted %-12.5g (%+.2f%%)  95%% CI [%.5g, %.5g]\n",
                p.name.c_str(), t, p.value, 100 * (p.value - t) / t, p.lower, p.upper);
    EXPECT_NEAR(p.value, t, 0.05 * std::abs(t)) << p.name;
    EXPECT_LE(p.lower, t) << p.name << " interval misses the truth";
    EXPECT_GE(p.upper, t) << p.name << " interval misses the truth";
  }
  EXPECT_GT(r.bootstrap_used, 190);
}

const Truth kSigmoid = {{"A", 0.62}, {"B", 1.3}, {"C_mid", 4e20}, {"R0", 0.12}};
// x spans 1..1e4: far above 1, a = a_ref * x_ref^alpha inherits alpha's error
// amplified by log x_ref, and 2% noise no longer pins a to 5%.
const Truth kPower = {{"E", 1.7}, {"a", 5.0}, {"alpha", 0.5}};

TEST(FitSeries, RecoversSigmoidFromNoisyPoints) {
  const Series s = make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 4e22, 40, 0.02, 7);
  const FitResult r = fit_series(s, Model::kSigmoid);
  EXPECT_EQ(r.model, "sigmoid");
  EXPECT_GT(r.r_squared, 0.98);
  expect_recovered(r, kSigmoid);
}

TEST(FitSeries, RecoversPowerLawFromNoisyPoints) {
  const Series s = make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 40, 0.02, 11);
  const FitResult r = fit_series(s, Model::kPowerLaw);
  EXPECT_EQ(r.model, "power");
  EXPECT_GT(r.r_squared, 0.98);
  expect_recovered(r, kPower);
}

TEST(FitSeries, PinnedR0IsKeptAndTheRestRecovered) {
  const Series s = make_series([](double c) { return sigmoid(kSigmoid, c); }, 1e17, 4e22, 30, 0.0, 1);
  FitOptions options;
  options.fixed_r0 = kSigmoid.at("R0");
  options.bootstrap_resamples = 0;
  const FitResult r = fit_series(s, Model::kSigmoid, options);
  EXPECT_DOUBLE_EQ(r.param("R0"), kSigmoid.at("R0"));
  EXPECT_NEAR(r.param("A"), kSigmoid.at("A"), 1e-4);
  EXPECT_NEAR(r.param("B"), kSigmoid.at("B"), 1e-3);
  EXPECT_TRUE(std::isnan(r.params[0].lower));  // no resamples, no interval
}

TEST(FitSeries, ExtrapolationFromTheFirstHalfOfXIsAccurateOnNoiselessData) {
  for (const Model model : {Model::kSigmoid, Model::kPowerLaw}) {
    const Series s = model == Model::kSigmoid
                         ? make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 4e22, 30, 0.0, 0)
                         : make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 30, 0.0, 0);
    FitOptions options;
    options.bootstrap_resamples = 0;
    const FitResult r = fit_series(s, model, options);
    ASSERT_TRUE(r.extrapolation.has_value());
    // Log-spaced x: x <= 0.5 * max keeps the points with i/29 <= 1 - log10(2)/4.
    EXPECT_EQ(r.extrapolation->fit_points, 27);
    EXPECT_DOUBLE_EQ(r.extrapolation->fit_up_to, 0.5 * s.xs.back());
    EXPECT_DOUBLE_EQ(r.extrapolation->x, s.xs.back());
    ASSERT_NE(r.extrapolation->fit, nullptr);
    EXPECT_FALSE(r.extrapolation->fit->extrapolation.has_value());
    EXPECT_LT(r.extrapolation->relative_error, 1e-3) << r.model;
    EXPECT_GT(r.r_squared, 0.999999);
  }
}

TEST(FitSeries, ExtrapolationUpToAGivenXPredictsTheLargest) {
  // The size extrapolation: fit every size but the largest.
  const Series s = make_series([](double x) { return power_law(kPower, x); }, 1e4, 1e6, 7, 0.0, 0);
  FitOptions options;
  options.bootstrap_resamples = 20;
  options.fit_up_to = s.xs[5];
  const FitResult r = fit_series(s, Model::kPowerLaw, options);
  ASSERT_TRUE(r.extrapolation.has_value());
  EXPECT_EQ(r.extrapolation->fit_points, 6);
  EXPECT_NEAR(r.extrapolation->predicted, s.ys.back(), 1e-6);
  EXPECT_LE(r.extrapolation->lower, r.extrapolation->predicted + 1e-9);
  EXPECT_GE(r.extrapolation->upper, r.extrapolation->predicted - 1e-9);
}

TEST(FitSeries, ExtrapolationNeedsMorePointsBelowTheCutThanParameters) {
  // Cut at half of 1e4: three points (1, 21.5, 464) below it, as many as parameters.
  const Series s = make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 4, 0.0, 0);
  FitOptions options;
  options.bootstrap_resamples = 0;
  EXPECT_FALSE(fit_series(s, Model::kPowerLaw, options).extrapolation.has_value());
  options.fit_fraction = 0;
  options.fit_up_to.reset();
  EXPECT_FALSE(fit_series(make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 30, 0.0, 0),
                          Model::kPowerLaw, options)
                   .extrapolation.has_value());
}

TEST(FitSeries, EarlyWindowIsLeftOut) {
  // The first decade follows a different curve (a run still settling): with
  // it excluded the fit recovers the truth exactly.
  Series s = make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 4e22, 41, 0.0, 0);
  for (size_t i = 0; i < 10; ++i) s.ys[i] = 0.5;
  FitOptions options;
  options.bootstrap_resamples = 0;
  options.exclude_below = 4e19 / 4e22 * 0.999;
  const FitResult r = fit_series(s, Model::kSigmoid, options);
  EXPECT_EQ(r.excluded_points, 10);
  EXPECT_EQ(r.num_points, 31);
  EXPECT_NEAR(r.param("A"), kSigmoid.at("A"), 1e-4);
  EXPECT_NEAR(r.param("R0"), kSigmoid.at("R0"), 1e-3);
}

TEST(FitSeries, BoundedSigmoidKeepsTheAsymptoteInTheMetricRange) {
  // Accuracy that saturates at 1 with noise above 1: unbounded, A would pass 1.
  const Truth truth = {{"A", 1.0}, {"B", 2.0}, {"C_mid", 1e10}, {"R0", 0.5}};
  Series s = make_series([&](double c) { return sigmoid(truth, c); }, 1e9, 1e12, 16, 0.0, 0);
  Rng rng(derive_seed(5, 2));
  for (double& y : s.ys) y += 0.01 * normal(rng);
  FitOptions options;
  options.range = MetricRange{0, 1};
  const FitResult r = fit_series(s, Model::kSigmoid, options);
  EXPECT_LE(r.param("A"), 1.0);
  EXPECT_GE(r.param("A"), r.param("R0"));
  EXPECT_LE(r.estimate("A").upper, 1.0);
  EXPECT_GE(r.estimate("R0").lower, 0.0);
  EXPECT_NEAR(r.param("A"), 1.0, 0.02);
  EXPECT_TRUE(r.constrained) << r.unconstrained_reason;
  for (double x : {1e9, 1e11, 1e14}) {
    const auto [lo, hi] = r.band(x);
    EXPECT_LE(lo, r.predict(x) + 1e-9);
    EXPECT_GE(hi, r.predict(x) - 1e-9);
    EXPECT_LE(hi, 1.0);
  }
}

TEST(FitSeries, PowerLawOffsetIsNeverNegative) {
  // Truth E = 0: unconstrained, noise pushes the fitted offset below zero.
  const Truth truth = {{"E", 0.0}, {"a", 30.0}, {"alpha", 0.4}};
  const Series s = make_series([&](double x) { return power_law(truth, x); }, 1e4, 1e6, 8, 0.03, 2);
  const FitResult r = fit_series(s, Model::kPowerLaw);
  EXPECT_GE(r.param("E"), 0.0);
  EXPECT_GE(r.estimate("E").lower, 0.0);
  EXPECT_NEAR(r.param("alpha"), 0.4, 0.1);
}

TEST(FitSeries, FlatSeriesIsUnconstrained) {
  Rng rng(derive_seed(9, 3));
  Series s;
  for (int i = 0; i < 14; ++i) {
    s.xs.push_back(std::pow(10.0, 9 + i / 4.0));
    s.ys.push_back(0.4 + 0.01 * normal(rng));
  }
  for (const bool bounded : {false, true}) {
    FitOptions options;
    if (bounded) options.range = MetricRange{0, 1};
    const FitResult r = fit_series(s, Model::kSigmoid, options);
    EXPECT_FALSE(r.constrained);
    EXPECT_GT(r.flat_p_value, 0.05);
    EXPECT_NE(r.unconstrained_reason.find("flat"), std::string::npos) << r.unconstrained_reason;
    for (const auto& p : r.params) EXPECT_FALSE(p.constrained) << p.name;
  }
  const FitResult power = fit_series(s, Model::kPowerLaw);
  EXPECT_FALSE(power.constrained);
}

TEST(FitSeries, CurveThatHasNotSaturatedLeavesItsAsymptoteUnconstrained) {
  // Only the foot of the sigmoid is seen: the asymptote could be almost anything.
  const Series s = make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 1.5e20, 14, 0.01, 4);
  const FitResult r = fit_series(s, Model::kSigmoid);
  EXPECT_FALSE(r.estimate("A").constrained) << r.estimate("A").lower << " " << r.estimate("A").upper;
  EXPECT_FALSE(r.constrained);
  EXPECT_NE(r.unconstrained_reason.find("A"), std::string::npos) << r.unconstrained_reason;
}

TEST(FitSeries, AsymptoteStoppedByTheMetricsMaximumIsNotPinned) {
  // A slow rise from 0.15 that ends near 0.45: the bounded fit runs A into its
  // maximum of 1, where every resample stops too. The zero-width interval there
  // is the bound's, not the data's.
  const Truth truth = {{"A", 1.0}, {"B", 0.4}, {"C_mid", 1e16}, {"R0", 0.1}};
  const Series s = make_series([&](double c) { return sigmoid(truth, c); }, 1e9, 1e13, 16, 0.005, 6);
  FitOptions options;
  options.range = MetricRange{0, 1};
  const FitResult r = fit_series(s, Model::kSigmoid, options);
  ASSERT_GT(r.param("A"), 1 - 1e-6) << "this case must reach the bound to test the rule";
  EXPECT_FALSE(r.estimate("A").constrained) << r.estimate("A").lower << " " << r.estimate("A").upper;
  EXPECT_FALSE(r.constrained);
  EXPECT_NE(r.unconstrained_reason.find("A"), std::string::npos) << r.unconstrained_reason;
}

TEST(FitSeries, WeightedFitUsesTheStandardErrors) {
  // One wild point with a large standard error barely moves a weighted fit.
  Series s = make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 4e22, 20, 0.0, 0);
  s.sigmas.assign(s.xs.size(), 0.005);
  s.ys[10] += 0.3;
  s.sigmas[10] = 3.0;
  FitOptions options;
  options.bootstrap_resamples = 0;
  const FitResult weighted = fit_series(s, Model::kSigmoid, options);
  EXPECT_NEAR(weighted.param("A"), kSigmoid.at("A"), 0.005);
  s.sigmas.clear();
  const FitResult plain = fit_series(s, Model::kSigmoid, options);
  EXPECT_GT(std::abs(plain.param("A") - kSigmoid.at("A")), 0.005);
}

// Runs the fit expecting rlvr::Error whose message contains `needle`.
void expect_error(const Series& s, Model model, const std::string& needle, const FitOptions& options = {}) {
  try {
    const FitResult r = fit_series(s, model, options);
    ADD_FAILURE() << "expected an error containing '" << needle << "', got " << r.params[0].value;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(FitSeries, DegenerateInputsGiveClearErrors) {
  expect_error({{1, 2, 3}, {0.1, 0.2, 0.3}, {}}, Model::kSigmoid, "3 distinct x values but the model has 4");
  expect_error({{1, 1, 1, 1, 1}, {0.1, 0.2, 0.3, 0.4, 0.5}, {}}, Model::kPowerLaw, "1 distinct x");
  expect_error({{}, {}, {}}, Model::kPowerLaw, "0 distinct x");
  expect_error({{1, 2, 3, 4, 5}, {0.3, 0.3, 0.3, 0.3, 0.3}, {}}, Model::kSigmoid, "y is constant");
  expect_error({{0, 2, 3, 4, 5}, {0.1, 0.2, 0.3, 0.4, 0.5}, {}}, Model::kSigmoid, "needs x > 0");
  expect_error({{-1, 2, 3, 4}, {3, 2, 1.5, 1.2}, {}}, Model::kPowerLaw, "needs x > 0");
  expect_error({{1, 2, 3, 4}, {3, NAN, 1.5, 1.2}, {}}, Model::kPowerLaw, "not finite");
  expect_error({{1, 2, 3}, {3, 2}, {}}, Model::kPowerLaw, "3 x values but 2 y values");
  expect_error({{1, 2, 3, 4}, {3, 2, 1.5, 1.2}, {0.1, 0.1}}, Model::kPowerLaw, "4 points but 2 standard errors");
  expect_error({{1, 2, 3, 4}, {3, 2, 1.5, 1.2}, {0.1, 0, 0.1, 0.1}}, Model::kPowerLaw,
               "point 1 has standard error 0");
  FitOptions bad_range;
  bad_range.range = MetricRange{1, 0};
  expect_error({{1, 2, 3, 4, 5}, {0.1, 0.2, 0.3, 0.4, 0.5}, {}}, Model::kSigmoid, "range [1, 0] is empty",
               bad_range);
  FitOptions outside;
  outside.range = MetricRange{0, 1};
  outside.fixed_r0 = 1.5;
  expect_error({{1, 2, 3, 4, 5}, {0.1, 0.2, 0.3, 0.4, 0.5}, {}}, Model::kSigmoid, "outside the metric range",
               outside);
}

TEST(Distributions, MatchReferenceValues) {
  // Reference values from scipy.stats (f.sf, beta.cdf, t.ppf, t.sf, norm.ppf).
  EXPECT_NEAR(student_t_quantile(0.975, 12), 2.1788128296672284, 1e-9);
  EXPECT_NEAR(student_t_tail(2.0, 7), 0.042809664281488025, 1e-10);
  EXPECT_NEAR(normal_quantile(0.0146), -2.1807758452405013, 1e-9);
  EXPECT_NEAR(normal_cdf(-1.959963984540054), 0.025, 1e-12);
  EXPECT_NEAR(f_distribution_tail(3.0, 3, 10), 0.08174695180982475, 1e-10);
  EXPECT_NEAR(f_distribution_tail(0.5, 3, 8), 0.6926248669438465, 1e-10);
  EXPECT_NEAR(f_distribution_tail(25, 3, 12), 1.8962069870910665e-05, 1e-12);
  EXPECT_NEAR(regularized_incomplete_beta(2.5, 4.0, 0.3), 0.3521975859067672, 1e-10);
  EXPECT_DOUBLE_EQ(improvement_over_constant_p_value(1.0, 1.0, 10, 4), 1.0);
  EXPECT_DOUBLE_EQ(improvement_over_constant_p_value(1.0, 0.0, 10, 4), 0.0);
  EXPECT_THROW(improvement_over_constant_p_value(1.0, 0.5, 4, 4), Error);
}

TEST(FitSeries, ParsesModelNames) {
  EXPECT_EQ(parse_model("sigmoid"), Model::kSigmoid);
  EXPECT_EQ(parse_model("power"), Model::kPowerLaw);
  EXPECT_THROW(parse_model("linear"), Error);
}

TEST(FitSeries, BootstrapIsReproducibleForASeed) {
  const Series s = make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 20, 0.02, 3);
  FitOptions options;
  options.bootstrap_resamples = 30;
  const FitResult a = fit_series(s, Model::kPowerLaw, options);
  const FitResult b = fit_series(s, Model::kPowerLaw, options);
  options.seed = 1;
  const FitResult c = fit_series(s, Model::kPowerLaw, options);
  EXPECT_EQ(a.params[2].lower, b.params[2].lower);
  EXPECT_NE(a.params[2].lower, c.params[2].lower);
}

}  // namespace
}  // namespace rlvr::scaling
