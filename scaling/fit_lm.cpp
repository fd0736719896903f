#include "scaling/fit_lm.h"

#include <cmath>

#include "core/error.h"

namespace rlvr::scaling {

Eigen::MatrixXd finite_difference_jacobian(const ResidualFn& residuals,
                                           const Eigen::VectorXd& params,
                                           double relative_step) {
  const Eigen::VectorXd r0 = residuals(params);
  Eigen::MatrixXd jac(r0.size(), params.size());
  for (Eigen::Index i = 0; i < params.size(); ++i) {
    Eigen::VectorXd shifted = params;
    const double h = relative_step * std::max(std::abs(params[i]), 1.0);
    shifted[i] += h;
    jac.col(i) = (residuals(shifted) - r0) / h;
  }
  return jac;
}

LmResult levenberg_marquardt(const ResidualFn& residuals, const Eigen::VectorXd& initial,
                             const LmOptions& options, const JacobianFn& jacobian) {
  const auto jacobian_at = [&](const Eigen::VectorXd& p) {
    return jacobian ? jacobian(p) : finite_difference_jacobian(residuals, p, options.fd_relative_step);
  };
  LmResult result;
  result.params = initial;
  Eigen::VectorXd r = residuals(initial);
  if (!r.allFinite()) {
    throw Error("levenberg_marquardt: residuals are not finite at the initial parameters; "
                "start from a point inside the model's domain");
  }
  result.cost = 0.5 * r.squaredNorm();
  Eigen::MatrixXd jac = jacobian_at(initial);
  double damping = options.initial_damping;
  result.stop_reason = "max_iterations";

  while (result.iterations < options.max_iterations) {
    ++result.iterations;
    const Eigen::VectorXd gradient = jac.transpose() * r;
    if (gradient.lpNorm<Eigen::Infinity>() < options.gradient_tolerance) {
      result.converged = true;
      result.stop_reason = "gradient";
      break;
    }
    // Marquardt's scaling (damping proportional to diag(J^T J)) makes the step
    // invariant to the units of each parameter; the floor keeps it solvable when
    // a parameter has no influence on the residuals.
    const Eigen::MatrixXd jtj = jac.transpose() * jac;
    Eigen::VectorXd diag = jtj.diagonal().cwiseMax(1e-12 * std::max(1.0, jtj.diagonal().maxCoeff()));
    Eigen::MatrixXd lhs = jtj;
    lhs.diagonal() += damping * diag;
    const Eigen::VectorXd step = lhs.ldlt().solve(-gradient);

    const Eigen::VectorXd trial = result.params + step;
    const Eigen::VectorXd trial_r = residuals(trial);
    const double trial_cost = trial_r.allFinite() ? 0.5 * trial_r.squaredNorm() : INFINITY;
    if (step.allFinite() && trial_cost < result.cost) {
      const double decrease = result.cost - trial_cost;
      const bool small_step =
          step.norm() <= options.step_tolerance * (result.params.norm() + options.step_tolerance);
      const bool small_decrease = decrease <= options.cost_tolerance * result.cost;
      result.params = trial;
      result.cost = trial_cost;
      r = trial_r;
      jac = jacobian_at(trial);
      damping = std::max(damping * options.damping_decrease, 1e-15);
      if (small_step || small_decrease) {
        result.converged = true;
        result.stop_reason = small_step ? "step" : "cost";
        break;
      }
    } else {
      damping *= options.damping_increase;
      if (damping > options.max_damping) {
        // No downhill step even with a tiny step size: a (local) minimum to
        // within rounding, which is convergence in practice.
        result.converged = true;
        result.stop_reason = "stalled";
        break;
      }
    }
  }
  return result;
}

}  // namespace rlvr::scaling
