// Markdown tables of fitted scaling curves, shared by `rlvr report` and the
// sweep summary so that both print a fit the same way.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scaling/fit.h"
#include "scaling/rl_eval_curve.h"

namespace rlvr::scaling {

// "value [lower, upper]" of the parameter `name` (bootstrap interval),
// "unconstrained" when the data do not pin it, "-" when the fit has no such
// parameter.
std::string param_cell(const FitResult& fit, const std::string& name);

// The extrapolation check: the error with the prediction's band and the
// observation, in points of the metric's range for a bounded fit ("+1.2
// points: ...") and relative otherwise ("3.4%: ..."); "-" without a check.
std::string extrapolation_cell(const FitResult& fit);

// A table with one row per (name, curve) under a header whose first column is
// `name_column`: the sigmoid's A, B, C_mid and R0 with intervals, R^2, the
// number of points and the extrapolation check; a curve without a fit gets a
// row saying why. Ends with a paragraph explaining the bounds, intervals and
// check, and a line per unconstrained fit saying why.
std::string sigmoid_fit_table(const std::string& name_column,
                              const std::vector<std::pair<std::string, const RlEvalCurve*>>& rows);

}  // namespace rlvr::scaling
