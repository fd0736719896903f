// Fits a scaling curve y(x) to a series of points: best-fit parameters,
// residual-bootstrap confidence intervals and bands, goodness of fit, whether
// the data constrain the curve at all, and an extrapolation check. Entry point
// for reports and the `rlvr fit` command. Thread-safe (no shared state).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scaling/fit_lm.h"
#include "scaling/series.h"

namespace rlvr::scaling {

enum class Model {
  kSigmoid,   // R(C) = R0 + (A - R0) / (1 + (C_mid / C)^B), see fit_models.h
  kPowerLaw,  // L(x) = E + a * x^(-alpha), E >= 0
};

// "sigmoid" or "power"; throws rlvr::Error for any other name.
Model parse_model(const std::string& name);

struct FitOptions {
  // Sigmoid only. With a range, R0 lies in it and A in [R0, upper]: a fitted
  // accuracy asymptote cannot pass 1 and the curve rises (a falling or flat
  // series is then reported as unconstrained). Without one both are free.
  std::optional<MetricRange> range;
  // Sigmoid only: R0 pinned to this value (e.g. the accuracy measured before
  // RL, at zero RL compute) instead of fitted.
  std::optional<double> fixed_r0;
  // Points with x below exclude_below * (largest x) are left out of every fit:
  // the early window where a run is still settling (ScaleRL). 0 keeps all.
  double exclude_below = 0;
  // 0 disables the intervals and bands. Small-sample intervals take quantiles
  // near 1% and 99%, which need a few hundred resamples to be stable.
  int bootstrap_resamples = 400;
  double confidence = 0.95;       // two-sided coverage of intervals and bands
  uint64_t seed = 0;              // bootstrap resampling stream
  // Extrapolation check: fit the points with x <= fit_up_to, or with
  // x <= fit_fraction * (largest x) when fit_up_to is unset, and predict the
  // point with the largest x. For RL compute 0.5 is "the first half of the
  // compute"; for model sizes pass the second-largest size as fit_up_to.
  // fit_fraction 0 disables the check.
  double fit_fraction = 0.5;
  std::optional<double> fit_up_to;
  LmOptions lm;
};

struct ParameterEstimate {
  std::string name;
  double value = 0;
  double lower = NAN, upper = NAN;  // bootstrap interval; NaN without resamples
  // False when the interval is too wide to mean anything (see fit.cpp's
  // is_pinned): reports print "unconstrained" instead of the number.
  bool constrained = true;
};

struct FitResult;

struct ExtrapolationCheck {
  double fit_up_to = 0;         // largest x the early fit could see
  int fit_points = 0;           // points used by that fit
  double x = 0;                 // the held-out final point
  double observed = 0;
  double observed_sigma = NAN;  // its standard error when the series has them
  double predicted = 0;
  double lower = NAN, upper = NAN;  // bootstrap band of the early fit at x
  double relative_error = 0;        // |predicted - observed| / |observed|
  std::shared_ptr<const FitResult> fit;  // the early fit (without a check of its own)

  double error() const { return predicted - observed; }
};

struct FitResult {
  std::string model;
  int num_points = 0;       // points fitted (after the early-window exclusion)
  int excluded_points = 0;  // points below the early-window cut
  double exclude_below_x = 0;
  std::optional<MetricRange> range;       // as given in the options
  std::vector<ParameterEstimate> params;  // natural parameters, model order
  double r_squared = 0;                   // 1 - SS_res / SS_tot on y (weighted when sigmas are)
  double rmse = 0;                        // root mean squared residual, units of y
  // Reduced chi^2 (weighted residuals^2 / degrees of freedom): about 1 when the
  // given sigmas match the scatter; NaN without sigmas or degrees of freedom.
  double reduced_chi2 = NAN;
  // F-test p-value of the curve against a constant; above 0.05 the data are
  // indistinguishable from flat and the fit is unconstrained. NaN when there
  // are no more points than parameters.
  double flat_p_value = 0;
  bool constrained = true;
  std::string unconstrained_reason;  // "" when constrained
  int lm_iterations = 0;
  int bootstrap_used = 0;  // resamples whose fit succeeded (of bootstrap_resamples)
  double confidence = 0.95;
  // The bootstrap quantile taken at each end of intervals and bands: below
  // (1 - confidence) / 2 when few points leave few degrees of freedom.
  double interval_tail = 0.025;
  // Natural parameters of every successful resample, for bands.
  std::vector<std::vector<double>> bootstrap_params;
  // Absent when disabled or when too few points lie below the cut.
  std::optional<ExtrapolationCheck> extrapolation;

  const ParameterEstimate& estimate(const std::string& name) const;  // throws rlvr::Error if unknown
  double param(const std::string& name) const { return estimate(name).value; }
  // The fitted curve at x (x > 0): for plots and predictions past the data.
  double predict(double x) const;
  // The pointwise bootstrap band of the curve at x; NaNs without resamples.
  std::pair<double, double> band(double x) const;
};

// Fits `model` to the series. Throws rlvr::Error for sizes that differ,
// non-finite values, x <= 0 (both models work in log x), sigmas that are not
// positive, constant y, fewer distinct x than fitted parameters, or a fit that
// does not produce finite parameters. Never returns NaN parameters; a curve
// the data cannot pin comes back with constrained == false and a reason.
FitResult fit_series(const Series& data, Model model, const FitOptions& options = {});

}  // namespace rlvr::scaling
