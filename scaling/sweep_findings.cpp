#include "scaling/sweep_findings.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/stats.h"
#include "scaling/test_time_summary.h"

namespace rlvr::scaling {
namespace {

// |d log C_mid / d log N| below this reads as "does not move".
constexpr double kFlatSlope = 0.05;

// The mean of `v`, NaN when it is empty (an absent statistic, not a zero one).
double average(const std::vector<double>& v) { return v.empty() ? NAN : mean_of(v.data(), v.size()); }

double geometric_mean(const std::vector<double>& v) {
  std::vector<double> logs;
  for (double x : v) logs.push_back(std::log(x));
  return std::exp(average(logs));
}

// Least-squares slope of y against x; NaN with fewer than two distinct x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = average(x), my = average(y);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : NAN;
}

const ParameterEstimate* pinned(const FitResult& fit, const std::string& name) {
  for (const auto& e : fit.params) {
    if (e.name == name && e.constrained) return &e;
  }
  return nullptr;
}

}  // namespace

std::vector<RlFitsOfSize> rl_fits_by_size(const SweepResults& results) {
  std::map<int64_t, RlFitsOfSize> by_size;
  for (const auto& p : results.points) {
    if (!p.finished) continue;
    RlFitsOfSize& size = by_size[p.parameters];
    size.parameters = p.parameters;
    ++size.points;
    if (std::isfinite(p.rl_eval.start_accuracy) && !p.rl_eval.accuracy.empty()) {
      size.starts.push_back(p.rl_eval.start_accuracy);
      size.finals.push_back(p.rl_eval.accuracy.back());
    }
    if (!p.rl_eval.fit) continue;
    const FitResult& f = *p.rl_eval.fit;
    const ParameterEstimate* a = pinned(f, "A");
    const ParameterEstimate* c_mid = pinned(f, "C_mid");
    if (a) size.asymptotes.push_back(a->value);
    if (c_mid) size.midpoints.push_back(c_mid->value);
    if (f.extrapolation && f.range) {
      size.extrapolation_errors.push_back(100 * f.extrapolation->error() / (f.range->upper - f.range->lower));
    }
  }
  std::vector<RlFitsOfSize> sizes;
  for (auto& [parameters, size] : by_size) sizes.push_back(std::move(size));
  return sizes;
}

std::string rl_by_size_markdown(const std::vector<RlFitsOfSize>& sizes) {
  std::string rows;
  std::vector<double> log_n_a, a_means, log_n_c, log_c_means;
  int measured = 0, risen = 0;
  for (const RlFitsOfSize& s : sizes) {
    if (s.asymptotes.empty() && s.midpoints.empty() && s.starts.empty()) continue;
    const double log_n = std::log10(static_cast<double>(s.parameters));
    std::string move_cell = "-";
    if (!s.starts.empty()) {
      const double before = average(s.starts), after = average(s.finals);
      move_cell = fmt::format("{:.1f}% -> {:.1f}%", 100 * before, 100 * after);
      ++measured;
      if (after > before) ++risen;
    }
    std::string c_cell = "unconstrained";
    if (!s.midpoints.empty()) {
      const auto [lo, hi] = std::minmax_element(s.midpoints.begin(), s.midpoints.end());
      c_cell = fmt::format("{:.3g} [{:.3g}, {:.3g}]", geometric_mean(s.midpoints), *lo, *hi);
      log_n_c.push_back(log_n);
      log_c_means.push_back(std::log10(geometric_mean(s.midpoints)));
    }
    std::string a_cell = "unconstrained";
    if (!s.asymptotes.empty()) {
      const double a_mean = average(s.asymptotes);
      const double a_sd = sample_std_of(s.asymptotes.data(), s.asymptotes.size(), a_mean);
      a_cell = fmt::format("{:.3f} +- {:.3f} ({} fits)", a_mean, a_sd, s.asymptotes.size());
      log_n_a.push_back(log_n);
      a_means.push_back(a_mean);
    }
    std::vector<double> abs_errors;
    for (double e : s.extrapolation_errors) abs_errors.push_back(std::abs(e));
    const std::string e_cell = abs_errors.empty() ? "-" : fmt::format("{:.1f}", average(abs_errors));
    rows += fmt::format("| {} | {} | {} | {} | {} | {} |\n", s.parameters, s.points, move_cell, a_cell, c_cell,
                        e_cell);
  }
  if (rows.empty()) return "";
  std::string md =
      "### RL fits by model size\n\n| parameters | points | before RL -> last evaluation (mean over seeds) | A "
      "(mean +- sd over seeds) | C_mid (geometric mean [range]) | mean abs extrapolation error (points) "
      "|\n|---|---|---|---|---|---|\n" + rows + "\n";
  if (measured > 0) {
    md += fmt::format("RL raised the fitted metric at {} of {} sizes (mean over seeds, last evaluation against the "
                      "one before RL).\n\n",
                      risen, measured);
  }
  const double a_slope = slope(log_n_a, a_means), c_slope = slope(log_n_c, log_c_means);
  if (std::isfinite(a_slope)) {
    md += fmt::format("Across {} sizes the RL asymptote A moves by {:+.3f} per decade of parameters", log_n_a.size(),
                      a_slope);
    if (std::isfinite(c_slope)) {
      const char* reading = std::abs(c_slope) < kFlatSlope ? "the compute to get halfway does not move with size"
                            : c_slope < 0                  ? "larger models need less RL compute to get halfway"
                                                           : "larger models need more RL compute to get halfway";
      md += fmt::format(" and the compute to reach its midpoint scales as C_mid ~ N^{:.2f} (over {} sizes): {}",
                        c_slope, log_n_c.size(), reading);
    }
    md += ". Slopes are least-squares fits to the per-size means, without intervals: read them with the spread "
          "over seeds in the table.\n\n";
  }
  return md;
}

std::string pre_training_finding(const FitResult& f) {
  const ParameterEstimate* alpha = pinned(f, "alpha");
  const ParameterEstimate* e = pinned(f, "E");
  std::string md;
  if (alpha && std::isfinite(alpha->lower)) {
    const double half_width = 100 * (alpha->upper - alpha->lower) / 2 / alpha->value;
    md += fmt::format("The SFT loss falls with model size as N^-alpha with alpha = {:.3g} (95% interval "
                      "[{:.3g}, {:.3g}], +-{:.0f}% of alpha: {}). ",
                      alpha->value, alpha->lower, alpha->upper, half_width,
                      half_width <= 50 ? "the exponent is pinned" : "the exponent is not pinned; more sizes would");
  } else if (alpha) {
    md += fmt::format("The SFT loss falls with model size as N^-alpha with alpha = {:.3g} (no bootstrap "
                      "interval). ", alpha->value);
  } else {
    md += "The points do not pin the exponent alpha. ";
  }
  if (e) md += fmt::format("The irreducible loss E = {:.3g}, what no size at this token budget gets below. ", e->value);
  if (f.extrapolation) {
    const ExtrapolationCheck& x = *f.extrapolation;
    const bool inside = std::isfinite(x.lower) && x.observed >= x.lower && x.observed <= x.upper;
    md += fmt::format("Fitted on the sizes up to {:.3g} parameters, the law predicts the largest size's loss at {:.4g} "
                      "against {:.4g} observed, a {:.1f}% error{}.",
                      x.fit_up_to, x.predicted, x.observed, 100 * x.relative_error,
                      std::isfinite(x.lower) ? (inside ? ", inside the fit's band" : ", outside the fit's band") : "");
  }
  return md + "\n\n";
}

std::string test_time_finding(const SweepResults& results) {
  std::vector<double> ceilings, exponents, check_errors, crossovers;
  int never = 0;
  for (const auto& p : results.points) {
    const RunTestTime& t = p.test_time_law;
    if (!p.finished || !t.final_policy || !t.final_policy->law) continue;
    const TestTimeLawSummary& s = *t.final_policy->law;
    ceilings.push_back(1 - s.law.pi0);
    exponents.push_back(s.law.alpha);
    for (const auto& c : s.checks) check_errors.push_back(std::abs(100 * (c.predicted - c.observed)));
    if (t.crossover) {
      if (t.crossover->measured) {
        crossovers.push_back(static_cast<double>(*t.crossover->measured));
      } else {
        ++never;
      }
    }
  }
  if (ceilings.empty()) return "";
  const auto [c_lo, c_hi] = std::minmax_element(ceilings.begin(), ceilings.end());
  const auto [x_lo, x_hi] = std::minmax_element(exponents.begin(), exponents.end());
  std::string md = fmt::format(
      "Over {} final policies the test-time law puts the coverage ceiling 1 - pi0 at {:.3f}-{:.3f} and the "
      "exponent alpha at {:.3g}-{:.3g}: the share of tasks left unsolved above the ceiling falls as k^-alpha.",
      ceilings.size(), *c_lo, *c_hi, *x_lo, *x_hi);
  if (!check_errors.empty()) {
    md += fmt::format(" Fitted on 16 samples per task, it predicts pass@k at larger k within {:.1f} points on "
                      "average (worst {:.1f}).",
                      average(check_errors), *std::max_element(check_errors.begin(), check_errors.end()));
  }
  if (!crossovers.empty() || never > 0) {
    std::sort(crossovers.begin(), crossovers.end());
    md += crossovers.empty()
              ? std::string(" The SFT policy never catches up with the RL policy within the samples drawn.")
              : fmt::format(" The SFT policy catches up with the RL policy at k = {:.0f}-{:.0f} (median {:.0f}) on "
                            "{} points{}.",
                            crossovers.front(), crossovers.back(), crossovers[crossovers.size() / 2],
                            crossovers.size(), never > 0 ? fmt::format(" and never on {}", never) : "");
  }
  return md + "\n\n";
}

}  // namespace rlvr::scaling
