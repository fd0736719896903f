// Do the fit's intervals mean what they say? Over many simulated data sets
// with a known truth, a 95% interval must contain the truth about 95% of the
// time, and the estimates must centre on the truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

#include "core/rng.h"
#include "scaling/fit.h"

namespace rlvr::scaling {
namespace {

using Truth = std::map<std::string, double>;

double normal(Rng& rng) {
  const double u1 = 1 - uniform_unit(rng), u2 = uniform_unit(rng);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

double sigmoid(const Truth& t, double c) {
  return t.at("R0") + (t.at("A") - t.at("R0")) / (1 + std::pow(t.at("C_mid") / c, t.at("B")));
}
double power_law(const Truth& t, double x) { return t.at("E") + t.at("a") * std::pow(x, -t.at("alpha")); }

struct Experiment {
  Model model;
  Truth truth;
  std::function<double(const Truth&, double)> curve;
  double lo, hi;
  int points;
  // Standard error of the point at x with true value y.
  std::function<double(double x, double y)> sigma;
  bool weighted = false;  // pass the sigmas to the fit
  FitOptions options;
};

struct Coverage {
  std::map<std::string, int> covered;
  std::map<std::string, std::vector<double>> estimates;
  int datasets = 0;
};

Coverage simulate(const Experiment& e, int datasets) {
  Coverage c;
  for (int d = 0; d < datasets; ++d) {
    Rng rng(derive_seed(fnv1a("fit_coverage"), d));
    Series s;
    for (int i = 0; i < e.points; ++i) {
      const double x = e.lo * std::pow(e.hi / e.lo, static_cast<double>(i) / (e.points - 1));
      const double y = e.curve(e.truth, x);
      s.xs.push_back(x);
      s.ys.push_back(y + e.sigma(x, y) * normal(rng));
      if (e.weighted) s.sigmas.push_back(e.sigma(x, y));
    }
    FitOptions options = e.options;
    options.seed = d;
    const FitResult r = fit_series(s, e.model, options);
    for (const auto& p : r.params) {
      const double t = e.truth.at(p.name);
      c.covered[p.name] += p.lower <= t && t <= p.upper;
      c.estimates[p.name].push_back(p.value);
    }
    ++c.datasets;
  }
  return c;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void expect_calibrated(const Experiment& e, const std::string& what) {
  const Coverage c = simulate(e, 200);
  for (const auto& [name, hits] : c.covered) {
    const double coverage = static_cast<double>(hits) / c.datasets;
    const double truth = e.truth.at(name);
    const double m = median(c.estimates.at(name));
    std::printf("  %s %-6s coverage %.3f  median estimate %.5g (truth %.5g, %+.2f%%)\n", what.c_str(),
                name.c_str(), coverage, m, truth, 100 * (m - truth) / truth);
    EXPECT_GE(coverage, 0.90) << what << " " << name;
    EXPECT_LE(coverage, 0.97) << what << " " << name;
    EXPECT_NEAR(m, truth, 0.05 * std::abs(truth)) << what << " " << name;
  }
}

// An RL curve as rlvr logs it: 16 evaluations over three decades of compute,
// accuracy from 0.3 to 0.8 with the noise of a sampled pass@1 over ~2,000
// samples (0.01).
Experiment rl_curve() {
  Experiment e;
  e.model = Model::kSigmoid;
  e.truth = {{"A", 0.8}, {"B", 1.5}, {"C_mid", 3e10}, {"R0", 0.3}};
  e.curve = sigmoid;
  e.lo = 1e9;
  e.hi = 1e12;
  e.points = 16;
  e.sigma = [](double, double) { return 0.01; };
  e.options.range = MetricRange{0, 1};
  e.options.fit_fraction = 0;
  return e;
}

TEST(FitCoverage, BoundedSigmoidIntervalsCoverTheTruth) { expect_calibrated(rl_curve(), "sigmoid"); }

TEST(FitCoverage, WeightedSigmoidIntervalsCoverTheTruth) {
  // Binomial standard errors that shrink as accuracy rises, given to the fit.
  Experiment e = rl_curve();
  e.sigma = [](double, double y) { return std::sqrt(y * (1 - y) / 1000); };
  e.weighted = true;
  expect_calibrated(e, "weighted sigmoid");
}

TEST(FitCoverage, PowerLawIntervalsCoverTheTruth) {
  // Final losses of 10 model sizes over two decades, 1% noise.
  Experiment e;
  e.model = Model::kPowerLaw;
  e.truth = {{"E", 0.8}, {"a", 40.0}, {"alpha", 0.45}};
  e.curve = power_law;
  e.lo = 3e4;
  e.hi = 3e6;
  e.points = 10;
  e.sigma = [](double, double y) { return 0.01 * y; };
  e.options.fit_fraction = 0;
  expect_calibrated(e, "power");
}

}  // namespace
}  // namespace rlvr::scaling
