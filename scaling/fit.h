// Fits a scaling curve y(x) to a series of points: best-fit parameters,
// bootstrap confidence intervals, goodness of fit and an extrapolation check.
// Entry point for reports and the `rlvr fit` command. Thread-safe (no shared state).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scaling/fit_lm.h"

namespace rlvr::scaling {

enum class Model {
  kSigmoid,   // R(C) = R0 + (A - R0) / (1 + (C_mid / C)^B), see fit_models.h
  kPowerLaw,  // L(x) = E + a * x^(-alpha)
};

// "sigmoid" or "power"; throws rlvr::Error for any other name.
Model parse_model(const std::string& name);

struct FitOptions {
  // Sigmoid only: pin R0 to the y of the point with the smallest x instead of
  // fitting it (default: fitted; see make_sigmoid_model for why).
  bool fix_r0_to_first_point = false;
  int bootstrap_resamples = 200;  // 0 disables the intervals
  double confidence = 0.95;       // interval coverage, percentile bootstrap
  uint64_t seed = 0;              // bootstrap resampling stream
  // Extrapolation check: sort the points by x (ties keep input order), fit the
  // first floor(fit_fraction * n), predict the point with the largest x. A
  // count rather than a cut in x, so uneven spacing cannot leave too few points;
  // for log-spaced compute 0.5 is the lower half of the log-compute range.
  // 0 disables it.
  double fit_fraction = 0.5;
  LmOptions lm;
};

struct ParameterEstimate {
  std::string name;
  double value = 0;
  double lower = NAN, upper = NAN;  // bootstrap interval; NaN without resamples
};

struct ExtrapolationCheck {
  int fit_points = 0;           // points used for the fit (smallest x first)
  double x = 0;                 // the held-out final point
  double observed = 0;
  double predicted = 0;
  double relative_error = 0;    // |predicted - observed| / |observed|
};

struct FitResult {
  std::string model;
  int num_points = 0;
  std::vector<ParameterEstimate> params;  // natural parameters, model order
  double r_squared = 0;                   // 1 - SS_res / SS_tot on y
  double rmse = 0;                        // root mean squared residual, units of y
  int lm_iterations = 0;
  int bootstrap_used = 0;  // resamples whose fit succeeded (of bootstrap_resamples)
  // Absent when fit_fraction is 0 or leaves fewer points than parameters.
  std::optional<ExtrapolationCheck> extrapolation;

  double param(const std::string& name) const;  // throws rlvr::Error if unknown
  // The fitted curve at x (x > 0), from the natural parameters: for plots and
  // for predictions past the data.
  double predict(double x) const;
};

// Fits `model` to (xs[i], ys[i]). Throws rlvr::Error for sizes that differ,
// non-finite values, x <= 0 (both models work in log x), constant y, fewer
// distinct x than fitted parameters, or a fit that does not produce finite
// parameters. Never returns NaN parameters.
FitResult fit_series(const std::vector<double>& xs, const std::vector<double>& ys, Model model,
                     const FitOptions& options = {});

}  // namespace rlvr::scaling
