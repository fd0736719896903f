#include "scaling/fit_models.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rlvr::scaling {
namespace {

struct Line {
  double slope = 0, intercept = 0;
};

// Ordinary least squares y = slope * x + intercept; slope 0 if x is constant.
Line fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0;
  return {slope, my - slope * mx};
}

double mean_log(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += std::log(x);
  return sum / static_cast<double>(xs.size());
}

double logistic(double t) { return t >= 0 ? 1 / (1 + std::exp(-t)) : std::exp(t) / (1 + std::exp(t)); }

// The unbounded value whose logistic is q, with q kept off 0 and 1 so a start
// at a bound does not begin at infinity.
double logit(double q) {
  const double c = std::clamp(q, 1e-3, 1 - 1e-3);
  return std::log(c / (1 - c));
}

class SigmoidModel : public CurveModel {
 public:
  SigmoidModel(std::optional<double> fixed_r0, std::optional<MetricRange> range)
      : fixed_r0_(fixed_r0), range_(range) {}

  std::string name() const override { return "sigmoid"; }
  std::vector<std::string> param_names() const override { return {"A", "B", "C_mid", "R0"}; }
  std::vector<ParamKind> param_kinds() const override {
    return {ParamKind::kLevel, ParamKind::kScale, ParamKind::kScale, ParamKind::kLevel};
  }
  int num_fitted() const override { return fixed_r0_ ? 3 : 4; }

  std::vector<Eigen::VectorXd> initial_guesses(const std::vector<double>& xs,
                                               const std::vector<double>& ys) const override {
    std::vector<size_t> order(xs.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return xs[a] < xs[b]; });
    // Ends of the curve from the lowest and highest ~10% of points by x: an
    // average resists noise better than a single point.
    const size_t k = std::max<size_t>(1, xs.size() / 10);
    double low = 0, high = 0;
    for (size_t i = 0; i < k; ++i) {
      low += ys[order[i]] / k;
      high += ys[order[xs.size() - 1 - i]] / k;
    }
    const auto [min_it, max_it] = std::minmax_element(ys.begin(), ys.end());
    const double range = *max_it - *min_it;
    double r0 = fixed_r0_.value_or(low);
    // A non-monotone series can have equal ends; fall back to the full range,
    // rising unless the series visibly falls (a bounded model only rises).
    const bool rising = range_ || high >= low;
    if (std::abs(high - r0) < 0.1 * range) high = r0 + (rising ? range : -range);
    const double span = high - r0;
    // Widen so every point maps strictly inside the logistic's (0, 1).
    if (!fixed_r0_) r0 -= 0.05 * span;
    double a = high + 0.05 * span;
    if (range_) {
      r0 = std::clamp(r0, range_->lower, range_->upper);
      a = std::clamp(a, r0, range_->upper);
    }

    // logit((y - R0) / (A - R0)) = B * (log C - log C_mid) is linear in log C.
    std::vector<double> u, z;
    for (size_t i = 0; i < xs.size(); ++i) {
      const double q = std::clamp((ys[i] - r0) / (a - r0), 0.02, 0.98);
      u.push_back(std::log(xs[i]));
      z.push_back(std::log(q / (1 - q)));
    }
    const Line line = fit_line(u, z);
    double b = line.slope, log_mid = -line.intercept / line.slope;
    if (!(b > 0) || !std::isfinite(log_mid)) {
      b = 1;
      log_mid = mean_log(xs);
    }
    // Alternatives: a steeper/flatter curve, and an asymptote well above the
    // data for series that have not started to saturate.
    double far = r0 + 2 * (a - r0);
    if (range_) far = std::min(far, range_->upper);
    std::vector<Eigen::VectorXd> guesses;
    for (const auto& [a_i, b_i] : {std::pair{a, b}, std::pair{a, b * 3}, std::pair{a, b / 3},
                                   std::pair{far, b}}) {
      guesses.push_back(internal_from(a_i, b_i, log_mid, r0));
    }
    return guesses;
  }

  Eigen::VectorXd to_natural(const Eigen::VectorXd& p) const override {
    Eigen::VectorXd n(4);
    n << asymptote(p), std::exp(p[1]), std::exp(p[2]), r0(p);
    return n;
  }

  double predict(const Eigen::VectorXd& p, double x) const override {
    const double start = r0(p);
    return start + (asymptote(p) - start) * logistic(std::exp(p[1]) * (std::log(x) - p[2]));
  }

 private:
  double r0(const Eigen::VectorXd& p) const {
    if (fixed_r0_) return *fixed_r0_;
    return range_ ? range_->lower + (range_->upper - range_->lower) * logistic(p[3]) : p[3];
  }
  double asymptote(const Eigen::VectorXd& p) const {
    if (!range_) return p[0];
    const double start = r0(p);
    return start + (range_->upper - start) * logistic(p[0]);
  }

  // Internal parameters of natural (A, B, log C_mid, R0); the inverse of
  // to_natural for values inside the bounds.
  Eigen::VectorXd internal_from(double a, double b, double log_mid, double r0) const {
    Eigen::VectorXd g(num_fitted());
    g[1] = std::log(b);
    g[2] = log_mid;
    if (range_) {
      const double start = fixed_r0_.value_or(r0);
      g[0] = logit((a - start) / (range_->upper - start));
      if (!fixed_r0_) g[3] = logit((r0 - range_->lower) / (range_->upper - range_->lower));
    } else {
      g[0] = a;
      if (!fixed_r0_) g[3] = r0;
    }
    return g;
  }

  std::optional<double> fixed_r0_;
  std::optional<MetricRange> range_;
};

class PowerLawModel : public CurveModel {
 public:
  explicit PowerLawModel(double log_x_ref) : log_x_ref_(log_x_ref) {}

  std::string name() const override { return "power"; }
  std::vector<std::string> param_names() const override { return {"E", "a", "alpha"}; }
  std::vector<ParamKind> param_kinds() const override {
    return {ParamKind::kLevel, ParamKind::kScale, ParamKind::kScale};
  }
  int num_fitted() const override { return 3; }

  std::vector<Eigen::VectorXd> initial_guesses(const std::vector<double>& xs,
                                               const std::vector<double>& ys) const override {
    const auto [min_it, max_it] = std::minmax_element(ys.begin(), ys.end());
    const double range = *max_it - *min_it;
    // For a guessed offset E, log(y - E) = log a_ref - alpha * (log x - log x_ref)
    // is a line. Try offsets from just below the data down to (nearly) zero,
    // the lowest an irreducible loss can be, and rank them by their error in y.
    std::vector<std::pair<double, Eigen::VectorXd>> ranked;
    const double floor = 1e-6 * std::max(range, std::abs(*max_it));
    for (double guess : {*min_it - 0.02 * range, *min_it - 0.1 * range, *min_it - 0.3 * range,
                         0.5 * *min_it, 0.0}) {
      const double e = std::max(floor, guess);
      std::vector<double> u, v;
      for (size_t i = 0; i < xs.size(); ++i) {
        u.push_back(std::log(xs[i]) - log_x_ref_);
        v.push_back(std::log(std::max(ys[i] - e, floor)));
      }
      const Line line = fit_line(u, v);
      Eigen::VectorXd g(3);
      g << std::log(e), line.intercept, std::log(line.slope < 0 ? -line.slope : 0.1);
      double sse = 0;
      for (size_t i = 0; i < xs.size(); ++i) sse += std::pow(predict(g, xs[i]) - ys[i], 2);
      ranked.emplace_back(sse, g);
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& l, const auto& r) { return l.first < r.first; });
    std::vector<Eigen::VectorXd> guesses;
    for (const auto& [sse, g] : ranked) guesses.push_back(g);
    return guesses;
  }

  Eigen::VectorXd to_natural(const Eigen::VectorXd& p) const override {
    const double alpha = std::exp(p[2]);
    Eigen::VectorXd n(3);
    n << std::exp(p[0]), std::exp(p[1] + alpha * log_x_ref_), alpha;
    return n;
  }

  double predict(const Eigen::VectorXd& p, double x) const override {
    return std::exp(p[0]) + std::exp(p[1] - std::exp(p[2]) * (std::log(x) - log_x_ref_));
  }

 private:
  double log_x_ref_;
};

}  // namespace

std::unique_ptr<CurveModel> make_sigmoid_model(std::optional<double> fixed_r0,
                                               std::optional<MetricRange> range) {
  return std::make_unique<SigmoidModel>(fixed_r0, range);
}

std::unique_ptr<CurveModel> make_power_law_model(const std::vector<double>& xs) {
  return std::make_unique<PowerLawModel>(mean_log(xs));
}

}  // namespace rlvr::scaling
