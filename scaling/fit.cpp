#include "scaling/fit.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <set>

#include "core/error.h"
#include "core/rng.h"
#include "scaling/fit_models.h"

namespace rlvr::scaling {
namespace {

std::string model_name(Model model) { return model == Model::kSigmoid ? "sigmoid" : "power"; }

// Throws for data no model here can fit; `what` names the series in messages.
void check_series(const std::vector<double>& xs, const std::vector<double>& ys, Model model,
                  int num_fitted, const std::string& what) {
  const std::string where = "fit " + model_name(model) + " to " + what;
  if (xs.size() != ys.size()) {
    throw Error(where + ": " + std::to_string(xs.size()) + " x values but " +
                std::to_string(ys.size()) + " y values");
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      throw Error(where + ": point " + std::to_string(i) + " is not finite (x=" +
                  std::to_string(xs[i]) + ", y=" + std::to_string(ys[i]) + ")");
    }
    if (xs[i] <= 0) {
      throw Error(where + ": point " + std::to_string(i) + " has x=" + std::to_string(xs[i]) +
                  " but the model is fitted in log x and needs x > 0; drop the step-0 point "
                  "(zero compute) or shift x");
    }
  }
  const size_t distinct = std::set<double>(xs.begin(), xs.end()).size();
  if (distinct < static_cast<size_t>(num_fitted)) {
    throw Error(where + ": " + std::to_string(distinct) + " distinct x values but the model has " +
                std::to_string(num_fitted) + " parameters to fit; add points");
  }
  const auto [lo, hi] = std::minmax_element(ys.begin(), ys.end());
  if (*hi - *lo <= 1e-12 * std::max(1.0, std::abs(*hi))) {
    throw Error(where + ": y is constant (" + std::to_string(*lo) +
                "), so the curve's shape is undetermined; check the y field");
  }
}

std::unique_ptr<CurveModel> make_model(Model model, const std::vector<double>& xs,
                                       const std::vector<double>& ys, const FitOptions& options) {
  if (model == Model::kPowerLaw) return make_power_law_model(xs);
  if (!options.fix_r0_to_first_point) return make_sigmoid_model();
  const size_t first = std::min_element(xs.begin(), xs.end()) - xs.begin();
  return make_sigmoid_model(ys[first]);
}

struct Fitted {
  Eigen::VectorXd internal;
  double cost = INFINITY;
  int iterations = 0;
};

// Runs LM from every start and keeps the lowest cost with finite parameters;
// several starts guard against a local minimum reached from a single guess.
std::optional<Fitted> fit_from(const CurveModel& model, const std::vector<double>& xs,
                               const std::vector<double>& ys,
                               const std::vector<Eigen::VectorXd>& starts, const LmOptions& lm) {
  const ResidualFn residuals = [&](const Eigen::VectorXd& p) {
    Eigen::VectorXd r(xs.size());
    for (size_t i = 0; i < xs.size(); ++i) r[i] = model.predict(p, xs[i]) - ys[i];
    return r;
  };
  std::optional<Fitted> best;
  for (const auto& start : starts) {
    if (!residuals(start).allFinite()) continue;
    const LmResult r = levenberg_marquardt(residuals, start, lm);
    if (!model.to_natural(r.params).allFinite() || !std::isfinite(r.cost)) continue;
    if (!best || r.cost < best->cost) best = Fitted{r.params, r.cost, r.iterations};
  }
  return best;
}

// Linear interpolation between order statistics of sorted `v` at quantile q.
double quantile(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

void add_bootstrap_intervals(const CurveModel& model, const std::vector<double>& xs,
                             const std::vector<double>& ys, const Eigen::VectorXd& best,
                             const FitOptions& options, FitResult& result) {
  const size_t n = xs.size();
  std::vector<std::vector<double>> samples(result.params.size());
  for (int b = 0; b < options.bootstrap_resamples; ++b) {
    // One stream per resample, so each resample is reproducible on its own.
    Rng rng(derive_seed(options.seed, fnv1a("scaling/fit/bootstrap"), b));
    std::vector<double> bx(n), by(n);
    for (size_t i = 0; i < n; ++i) {
      const auto j = static_cast<size_t>(uniform_int(rng, 0, static_cast<int64_t>(n) - 1));
      bx[i] = xs[j];
      by[i] = ys[j];
    }
    // A resample with too few distinct x cannot pin every parameter.
    if (std::set<double>(bx.begin(), bx.end()).size() < static_cast<size_t>(model.num_fitted())) {
      continue;
    }
    const auto fitted = fit_from(model, bx, by, {best}, options.lm);
    if (!fitted) continue;
    const Eigen::VectorXd natural = model.to_natural(fitted->internal);
    for (size_t k = 0; k < samples.size(); ++k) samples[k].push_back(natural[k]);
    ++result.bootstrap_used;
  }
  if (result.bootstrap_used == 0) return;
  const double tail = (1 - options.confidence) / 2;
  for (size_t k = 0; k < samples.size(); ++k) {
    std::sort(samples[k].begin(), samples[k].end());
    result.params[k].lower = quantile(samples[k], tail);
    result.params[k].upper = quantile(samples[k], 1 - tail);
  }
}

// Fits the points with the smallest x and predicts the one with the largest x:
// the question a scaling fit answers in practice.
std::optional<ExtrapolationCheck> check_extrapolation(const std::vector<double>& xs,
                                                      const std::vector<double>& ys, Model model,
                                                      int num_fitted, const FitOptions& options) {
  const size_t n = xs.size();
  const auto k = static_cast<size_t>(std::floor(options.fit_fraction * static_cast<double>(n)));
  if (options.fit_fraction <= 0 || k < static_cast<size_t>(num_fitted) || k >= n) return std::nullopt;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return xs[a] < xs[b]; });
  std::vector<double> fx, fy;
  for (size_t i = 0; i < k; ++i) {
    fx.push_back(xs[order[i]]);
    fy.push_back(ys[order[i]]);
  }
  ExtrapolationCheck check;
  check.fit_points = static_cast<int>(k);
  check.x = xs[order.back()];
  check.observed = ys[order.back()];
  try {
    check_series(fx, fy, model, num_fitted, "the first " + std::to_string(k) + " points");
    const auto sub = make_model(model, fx, fy, options);
    const auto fitted = fit_from(*sub, fx, fy, sub->initial_guesses(fx, fy), options.lm);
    if (!fitted) throw Error("the fit did not converge to finite parameters");
    check.predicted = sub->predict(fitted->internal, check.x);
  } catch (const Error& e) {
    // The full fit is still valid; only this diagnostic is unavailable.
    spdlog::warn("extrapolation check skipped: {}", e.what());
    return std::nullopt;
  }
  check.relative_error = std::abs(check.predicted - check.observed) / std::abs(check.observed);
  return check;
}

}  // namespace

Model parse_model(const std::string& name) {
  if (name == "sigmoid") return Model::kSigmoid;
  if (name == "power") return Model::kPowerLaw;
  throw Error("unknown fit model '" + name + "'; use sigmoid or power");
}

double FitResult::param(const std::string& name) const {
  for (const auto& p : params) {
    if (p.name == name) return p.value;
  }
  throw Error("fit model '" + model + "' has no parameter '" + name + "'");
}

double FitResult::predict(double x) const {
  if (model == "power") return param("E") + param("a") * std::pow(x, -param("alpha"));
  return param("R0") + (param("A") - param("R0")) / (1 + std::pow(param("C_mid") / x, param("B")));
}

FitResult fit_series(const std::vector<double>& xs, const std::vector<double>& ys, Model model,
                     const FitOptions& options) {
  const int num_fitted =
      model == Model::kPowerLaw ? 3 : (options.fix_r0_to_first_point ? 3 : 4);
  check_series(xs, ys, model, num_fitted, std::to_string(xs.size()) + " points");
  const auto curve = make_model(model, xs, ys, options);
  const auto fitted = fit_from(*curve, xs, ys, curve->initial_guesses(xs, ys), options.lm);
  if (!fitted) {
    throw Error("fit " + curve->name() + ": no start converged to finite parameters; the data " +
                "may not follow this model's shape (try the other model)");
  }
  FitResult result;
  result.model = curve->name();
  result.num_points = static_cast<int>(xs.size());
  result.lm_iterations = fitted->iterations;
  const Eigen::VectorXd natural = curve->to_natural(fitted->internal);
  const auto names = curve->param_names();
  for (size_t k = 0; k < names.size(); ++k) result.params.push_back({names[k], natural[k]});

  const double mean_y = std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(ys.size());
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    ss_res += std::pow(curve->predict(fitted->internal, xs[i]) - ys[i], 2);
    ss_tot += std::pow(ys[i] - mean_y, 2);
  }
  result.r_squared = 1 - ss_res / ss_tot;
  result.rmse = std::sqrt(ss_res / static_cast<double>(xs.size()));

  add_bootstrap_intervals(*curve, xs, ys, fitted->internal, options, result);
  result.extrapolation = check_extrapolation(xs, ys, model, num_fitted, options);
  return result;
}

}  // namespace rlvr::scaling
