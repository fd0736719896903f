// Distribution functions behind the fits' tests and intervals: the F-test of
// a curve against a constant (is the series flat?) and Student's t quantiles
// (small-sample interval widths). Pure and thread-safe.
#pragma once

namespace rlvr::scaling {

// Regularised incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1].
double regularized_incomplete_beta(double a, double b, double x);

// Upper tail P(F > f) of the F distribution with (d1, d2) degrees of freedom.
double f_distribution_tail(double f, double d1, double d2);

// Upper tail P(T > t) of Student's t distribution with `dof` degrees of freedom.
double student_t_tail(double t, double dof);

// The t with P(T <= t) = p, for p in (0, 1).
double student_t_quantile(double p, double dof);

// Standard normal CDF and its inverse (p in (0, 1)).
double normal_cdf(double z);
double normal_quantile(double p);

// p-value of the F-test that a model with `params` fitted parameters and
// residual sum of squares `ss_model` improves on a constant (one parameter,
// `ss_constant`) over `points` observations. 1 when the model is no better,
// 0 when it fits exactly; needs points > params > 1.
double improvement_over_constant_p_value(double ss_constant, double ss_model, int points, int params);

}  // namespace rlvr::scaling
