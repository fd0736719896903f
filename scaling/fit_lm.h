// Levenberg–Marquardt least squares: minimises 0.5 * |r(p)|^2 over parameters p
// for any residual function r. Bounds are not handled here: models keep
// parameters in their domain by reparametrising (e.g. fitting log B for B > 0),
// and a trial step whose residuals are not finite is rejected like an uphill one.
// Stateless and thread-safe as long as the callbacks are.
#pragma once

#include <Eigen/Dense>

#include <functional>
#include <string>

namespace rlvr::scaling {

// r(p): one residual per data point, shape [num_points].
using ResidualFn = std::function<Eigen::VectorXd(const Eigen::VectorXd& params)>;
// J(p) = dr/dp, shape [num_points, num_params].
using JacobianFn = std::function<Eigen::MatrixXd(const Eigen::VectorXd& params)>;

struct LmOptions {
  int max_iterations = 500;          // accepted + rejected steps
  double initial_damping = 1e-3;     // lambda, relative to diag(J^T J)
  double damping_decrease = 1.0 / 3; // lambda *= this after an accepted step
  double damping_increase = 10.0;    // lambda *= this after a rejected step
  double max_damping = 1e12;         // give up (stalled) beyond this
  double cost_tolerance = 1e-14;     // stop when the relative cost decrease is below this
  double step_tolerance = 1e-12;     // stop when |dp| <= tol * (|p| + tol)
  double gradient_tolerance = 1e-14; // stop when max |J^T r| is below this
  double fd_relative_step = 1e-7;    // finite-difference step: h = step * max(|p_i|, 1)
};

struct LmResult {
  Eigen::VectorXd params;
  double cost = 0;          // 0.5 * |r|^2 at params
  int iterations = 0;
  // A tolerance was met, or no downhill step exists at any damping ("stalled":
  // a minimum to within rounding). False only at the iteration cap.
  bool converged = false;
  std::string stop_reason;  // "cost", "step", "gradient", "max_iterations", "stalled"
};

// Forward-difference Jacobian of `residuals` at `params`.
Eigen::MatrixXd finite_difference_jacobian(const ResidualFn& residuals,
                                           const Eigen::VectorXd& params,
                                           double relative_step = 1e-7);

// Minimises from `initial`. An empty `jacobian` uses finite differences.
// Throws rlvr::Error if the residuals at `initial` are not finite.
LmResult levenberg_marquardt(const ResidualFn& residuals, const Eigen::VectorXd& initial,
                             const LmOptions& options = {}, const JacobianFn& jacobian = {});

}  // namespace rlvr::scaling
