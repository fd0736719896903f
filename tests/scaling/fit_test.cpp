#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/rng.h"
#include "scaling/fit.h"

namespace rlvr::scaling {
namespace {

using Truth = std::map<std::string, double>;

double sigmoid(const Truth& t, double c) {
  return t.at("R0") + (t.at("A") - t.at("R0")) / (1 + std::pow(t.at("C_mid") / c, t.at("B")));
}
double power_law(const Truth& t, double x) { return t.at("E") + t.at("a") * std::pow(x, -t.at("alpha")); }

// n points log-spaced over [lo, hi]; y = f(x) * (1 + noise * N(0, 1)), seeded.
template <typename F>
void make_series(F f, double lo, double hi, int n, double noise, uint64_t seed,
                 std::vector<double>& xs, std::vector<double>& ys) {
  Rng rng(derive_seed(seed, 1));
  for (int i = 0; i < n; ++i) {
    const double x = lo * std::pow(hi / lo, static_cast<double>(i) / (n - 1));
    // Box–Muller from the platform-independent uniform.
    const double u1 = 1 - uniform_unit(rng), u2 = uniform_unit(rng);
    const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    xs.push_back(x);
    ys.push_back(f(x) * (1 + noise * z));
  }
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
  std::vector<double> xs, ys;
  make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 4e22, 40, 0.02, 7, xs, ys);
  const FitResult r = fit_series(xs, ys, Model::kSigmoid);
  EXPECT_EQ(r.model, "sigmoid");
  EXPECT_GT(r.r_squared, 0.98);
  expect_recovered(r, kSigmoid);
}

TEST(FitSeries, RecoversPowerLawFromNoisyPoints) {
  std::vector<double> xs, ys;
  make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 40, 0.02, 11, xs, ys);
  const FitResult r = fit_series(xs, ys, Model::kPowerLaw);
  EXPECT_EQ(r.model, "power");
  EXPECT_GT(r.r_squared, 0.98);
  expect_recovered(r, kPower);
}

TEST(FitSeries, FixedR0PinsTheFirstPoint) {
  std::vector<double> xs, ys;
  make_series([](double c) { return sigmoid(kSigmoid, c); }, 1e17, 4e22, 30, 0.0, 1, xs, ys);
  FitOptions options;
  options.fix_r0_to_first_point = true;
  options.bootstrap_resamples = 0;
  const FitResult r = fit_series(xs, ys, Model::kSigmoid, options);
  EXPECT_DOUBLE_EQ(r.param("R0"), ys.front());
  EXPECT_NEAR(r.param("A"), kSigmoid.at("A"), 0.01);
  EXPECT_TRUE(std::isnan(r.params[0].lower));  // no resamples, no interval
}

TEST(FitSeries, ExtrapolationFromTheFirstHalfIsAccurateOnNoiselessData) {
  for (const Model model : {Model::kSigmoid, Model::kPowerLaw}) {
    std::vector<double> xs, ys;
    if (model == Model::kSigmoid) {
      make_series([](double c) { return sigmoid(kSigmoid, c); }, 4e18, 4e22, 30, 0.0, 0, xs, ys);
    } else {
      make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 30, 0.0, 0, xs, ys);
    }
    FitOptions options;
    options.bootstrap_resamples = 0;
    const FitResult r = fit_series(xs, ys, model, options);
    ASSERT_TRUE(r.extrapolation.has_value());
    EXPECT_EQ(r.extrapolation->fit_points, 15);
    EXPECT_DOUBLE_EQ(r.extrapolation->x, xs.back());
    EXPECT_LT(r.extrapolation->relative_error, 1e-3) << r.model;
    EXPECT_GT(r.r_squared, 0.999999);
  }
}

TEST(FitSeries, ExtrapolationNeedsEnoughPointsBelowTheFraction) {
  std::vector<double> xs, ys;
  make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 5, 0.0, 0, xs, ys);
  FitOptions options;
  options.bootstrap_resamples = 0;
  EXPECT_FALSE(fit_series(xs, ys, Model::kPowerLaw, options).extrapolation.has_value());
}

// Runs the fit expecting rlvr::Error whose message contains `needle`.
void expect_error(const std::vector<double>& xs, const std::vector<double>& ys, Model model,
                  const std::string& needle) {
  try {
    const FitResult r = fit_series(xs, ys, model);
    ADD_FAILURE() << "expected an error containing '" << needle << "', got " << r.params[0].value;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(FitSeries, DegenerateInputsGiveClearErrors) {
  expect_error({1, 2, 3}, {0.1, 0.2, 0.3}, Model::kSigmoid, "3 distinct x values but the model has 4");
  expect_error({1, 1, 1, 1, 1}, {0.1, 0.2, 0.3, 0.4, 0.5}, Model::kPowerLaw, "1 distinct x");
  expect_error({}, {}, Model::kPowerLaw, "0 distinct x");
  expect_error({1, 2, 3, 4, 5}, {0.3, 0.3, 0.3, 0.3, 0.3}, Model::kSigmoid, "y is constant");
  expect_error({0, 2, 3, 4, 5}, {0.1, 0.2, 0.3, 0.4, 0.5}, Model::kSigmoid, "needs x > 0");
  expect_error({-1, 2, 3, 4}, {3, 2, 1.5, 1.2}, Model::kPowerLaw, "needs x > 0");
  expect_error({1, 2, 3, 4}, {3, NAN, 1.5, 1.2}, Model::kPowerLaw, "not finite");
  expect_error({1, 2, 3}, {3, 2}, Model::kPowerLaw, "3 x values but 2 y values");
}

TEST(FitSeries, ParsesModelNames) {
  EXPECT_EQ(parse_model("sigmoid"), Model::kSigmoid);
  EXPECT_EQ(parse_model("power"), Model::kPowerLaw);
  EXPECT_THROW(parse_model("linear"), Error);
}

TEST(FitSeries, BootstrapIsReproducibleForASeed) {
  std::vector<double> xs, ys;
  make_series([](double x) { return power_law(kPower, x); }, 1, 1e4, 20, 0.02, 3, xs, ys);
  FitOptions options;
  options.bootstrap_resamples = 30;
  const FitResult a = fit_series(xs, ys, Model::kPowerLaw, options);
  const FitResult b = fit_series(xs, ys, Model::kPowerLaw, options);
  options.seed = 1;
  const FitResult c = fit_series(xs, ys, Model::kPowerLaw, options);
  EXPECT_EQ(a.params[2].lower, b.params[2].lower);
  EXPECT_NE(a.params[2].lower, c.params[2].lower);
}

}  // namespace
}  // namespace rlvr::scaling
