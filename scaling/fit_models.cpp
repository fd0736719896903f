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

class SigmoidModel : public CurveModel {
 public:
  explicit SigmoidModel(std::optional<double> fixed_r0) : fixed_r0_(fixed_r0) {}

  std::string name() const override { return "sigmoid"; }
  std::vector<std::string> param_names() const override { return {"A", "B", "C_mid", "R0"}; }
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
    // rising unless the series visibly falls.
    if (std::abs(high - r0) < 0.1 * range) high = r0 + (high >= low ? range : -range);
    const double span = high - r0;
    // Widen so every point maps strictly inside the logistic's (0, 1).
    if (!fixed_r0_) r0 -= 0.05 * span;
    const double a = high + 0.05 * span;

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
    std::vector<Eigen::VectorXd> guesses;
    for (const auto& [a_i, b_i] : {std::pair{a, b}, std::pair{a, b * 3}, std::pair{a, b / 3},
                                   std::pair{r0 + 2 * (a - r0), b}}) {
      Eigen::VectorXd g(num_fitted());
      g[0] = a_i;
      g[1] = std::log(b_i);
      g[2] = log_mid;
      if (!fixed_r0_) g[3] = r0;
      guesses.push_back(g);
    }
    return guesses;
  }

  Eigen::VectorXd to_natural(const Eigen::VectorXd& p) const override {
    Eigen::VectorXd n(4);
    n << p[0], std::exp(p[1]), std::exp(p[2]), r0(p);
    return n;
  }

  double predict(const Eigen::VectorXd& p, double x) const override {
    return r0(p) + (p[0] - r0(p)) * logistic(std::exp(p[1]) * (std::log(x) - p[2]));
  }

 private:
  double r0(const Eigen::VectorXd& p) const { return fixed_r0_ ? *fixed_r0_ : p[3]; }

  std::optional<double> fixed_r0_;
};

class PowerLawModel : public CurveModel {
 public:
  explicit PowerLawModel(double log_x_ref) : log_x_ref_(log_x_ref) {}

  std::string name() const override { return "power"; }
  std::vector<std::string> param_names() const override { return {"E", "a", "alpha"}; }
  int num_fitted() const override { return 3; }

  std::vector<Eigen::VectorXd> initial_guesses(const std::vector<double>& xs,
                                               const std::vector<double>& ys) const override {
    const auto [min_it, max_it] = std::minmax_element(ys.begin(), ys.end());
    const double range = *max_it - *min_it;
    // For a guessed offset E, log(y - E) = log a_ref - alpha * (log x - log x_ref)
    // is a line. Try offsets from just below the data to far below it and rank
    // them by their error in y.
    std::vector<std::pair<double, Eigen::VectorXd>> ranked;
    for (double below : {0.02, 0.1, 0.3, 1.0, 3.0}) {
      const double e = *min_it - below * range;
      std::vector<double> u, v;
      for (size_t i = 0; i < xs.size(); ++i) {
        u.push_back(std::log(xs[i]) - log_x_ref_);
        v.push_back(std::log(ys[i] - e));
      }
      const Line line = fit_line(u, v);
      Eigen::VectorXd g(3);
      g << e, line.intercept, std::log(line.slope < 0 ? -line.slope : 0.1);
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
    n << p[0], std::exp(p[1] + alpha * log_x_ref_), alpha;
    return n;
  }

  double predict(const Eigen::VectorXd& p, double x) const override {
    return p[0] + std::exp(p[1] - std::exp(p[2]) * (std::log(x) - log_x_ref_));
  }

 private:
  double log_x_ref_;
};

}  // namespace

std::unique_ptr<CurveModel> make_sigmoid_model(std::optional<double> fixed_r0) {
  return std::make_unique<SigmoidModel>(fixed_r0);
}

std::unique_ptr<CurveModel> make_power_law_model(const std::vector<double>& xs) {
  return std::make_unique<PowerLawModel>(mean_log(xs));
}

}  // namespace rlvr::scaling
