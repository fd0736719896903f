// Curve models for scaling fits. Each model fits unconstrained *internal*
// parameters (logs of positive quantities, log x for conditioning) and reports
// *natural* ones (the formula's symbols). A model is built for one data set:
// it may keep reference values from it (e.g. the geometric mean of x).
// Immutable after construction, so safe to share between threads.
#pragma once

#include <Eigen/Dense>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scaling/series.h"

namespace rlvr::scaling {

// How a natural parameter varies: a level in units of y (an asymptote, an
// offset) or a positive scale (an exponent, a midpoint), whose uncertainty is
// multiplicative.
enum class ParamKind { kLevel, kScale };

class CurveModel {
 public:
  virtual ~CurveModel() = default;
  virtual std::string name() const = 0;
  // Names of the natural parameters, in the order of to_natural()'s output.
  virtual std::vector<std::string> param_names() const = 0;
  virtual std::vector<ParamKind> param_kinds() const = 0;  // same order
  // Number of internal (fitted) parameters; a fit needs at least this many distinct x.
  virtual int num_fitted() const = 0;
  // Starting points for the fit (internal parameters), best guess first; the
  // caller runs the optimiser from each and keeps the lowest cost.
  virtual std::vector<Eigen::VectorXd> initial_guesses(const std::vector<double>& xs,
                                                       const std::vector<double>& ys) const = 0;
  virtual Eigen::VectorXd to_natural(const Eigen::VectorXd& internal) const = 0;
  // The model's prediction at x from internal parameters.
  virtual double predict(const Eigen::VectorXd& internal, double x) const = 0;
};

// Saturating sigmoid for RL compute scaling (x = compute C in FLOPs, x > 0):
//   R(C) = R0 + (A - R0) / (1 + (C_mid / C)^B)
// Natural parameters [A, B, C_mid, R0]: asymptote, efficiency exponent,
// compute at half the gain, performance as C -> 0. Fitted as
// [A, log B, log C_mid, R0] with R = R0 + (A - R0) * logistic(B * (log C - log C_mid)),
// so B > 0 and C_mid > 0 hold by construction and x spanning many decades stays
// well conditioned. `fixed_r0` pins R0 (then 3 parameters are fitted). With a
// `range` [lo, hi], R0 = lo + (hi - lo) * logistic(r) and
// A = R0 + (hi - R0) * logistic(a) are fitted through unbounded r and a, so
// lo <= R0 <= A <= hi holds by construction (an accuracy's asymptote stays
// in [R0, 1]); without one A and R0 are fitted as they are.
std::unique_ptr<CurveModel> make_sigmoid_model(std::optional<double> fixed_r0 = std::nullopt,
                                               std::optional<MetricRange> range = std::nullopt);

// Power law with a non-negative offset (x > 0): L(x) = E + a * x^(-alpha).
// Natural parameters [E, a, alpha]. Fitted as [log E, log a_ref, log alpha]
// with L = E + a_ref * (x / x_ref)^(-alpha), x_ref the geometric mean of the
// data's x, so E >= 0 (an irreducible loss cannot be negative), a > 0 and
// alpha > 0 hold, and a stays O(y) however large x is.
std::unique_ptr<CurveModel> make_power_law_model(const std::vector<double>& xs);

}  // namespace rlvr::scaling
