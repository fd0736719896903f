#include "scaling/distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace rlvr::scaling {
namespace {

// Continued fraction of I_x(a, b), evaluated with the modified Lentz method;
// converges fast for x < (a + 1) / (a + b + 2).
double incomplete_beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const double m2 = 2.0 * m;
    // Even step, then odd step of the fraction.
    for (const double coefficient : {m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                                     -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))}) {
      d = 1 + coefficient * d;
      if (std::abs(d) < kTiny) d = kTiny;
      c = 1 + coefficient / c;
      if (std::abs(c) < kTiny) c = kTiny;
      d = 1 / d;
      const double delta = c * d;
      h *= delta;
      if (std::abs(delta - 1) < kEpsilon) return h;
    }
  }
  return h;  // 1000 terms reach double precision for any a, b met in fits
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw Error("incomplete beta needs a, b > 0 and x in [0, 1], got a=" + std::to_string(a) +
                " b=" + std::to_string(b) + " x=" + std::to_string(x));
  }
  if (x == 0 || x == 1) return x;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  // The fraction converges on one side of the mean; use the symmetry
  // I_x(a, b) = 1 - I_{1-x}(b, a) on the other.
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * incomplete_beta_fraction(a, b, x) / a;
  return 1 - std::exp(log_front) * incomplete_beta_fraction(b, a, 1 - x) / b;
}

double f_distribution_tail(double f, double d1, double d2) {
  if (!(f > 0)) return 1;
  if (std::isinf(f)) return 0;
  return regularized_incomplete_beta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

double student_t_tail(double t, double dof) {
  const double two_sided = regularized_incomplete_beta(dof / 2, 0.5, dof / (dof + t * t));
  return t >= 0 ? two_sided / 2 : 1 - two_sided / 2;
}

namespace {

// The x in [lo, hi] where increasing `cdf` reaches p, by bisection (the CDFs
// here are cheap, and 200 halvings reach any double's precision).
template <typename Cdf>
double invert(const Cdf& cdf, double p, double lo, double hi) {
  if (!(p > 0 && p < 1)) throw Error("quantile needs p in (0, 1), got " + std::to_string(p));
  for (int i = 0; i < 200 && hi - lo > 1e-14 * std::max(1.0, std::abs(lo)); ++i) {
    const double mid = (lo + hi) / 2;
    (cdf(mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace

double student_t_quantile(double p, double dof) {
  return invert([dof](double t) { return 1 - student_t_tail(t, dof); }, p, -1e6, 1e6);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) { return invert(normal_cdf, p, -40, 40); }

double improvement_over_constant_p_value(double ss_constant, double ss_model, int points, int params) {
  if (points <= params || params <= 1) {
    throw Error("F-test needs more points (" + std::to_string(points) + ") than parameters (" +
                std::to_string(params) + ") and at least 2 parameters");
  }
  const double d1 = params - 1, d2 = points - params;
  if (ss_model >= ss_constant) return 1;
  if (ss_model <= 0) return 0;
  const double f = ((ss_constant - ss_model) / d1) / (ss_model / d2);
  return f_distribution_tail(f, d1, d2);
}

}  // namespace rlvr::scaling
