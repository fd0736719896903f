// Markdown tables of fitted scaling curves, shared by `rlvr report` and the
// sweep summary so that both print a fit the same way.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scaling/fit.h"
#include "scaling/rl_eval_curve.h"

namespace rlvr::scaling {

// "value [lower, upper]" of the parameter `name` (bootstrap interval), "-" when
// the fit has no such parameter.
std::string param_cell(const FitResult& fit, const std::string& name);

// The relative error of the extrapolation check as "12.3%", "-" without one.
std::string extrapolation_cell(const FitResult& fit);

// A table with one row per (name, curve) under a header whose first column is
// `name_column`: the sigmoid's A, B, C_mid and R0 with intervals, R^2 and the
// extrapolation error; a curve without a fit gets a row saying why. Ends with a
// line explaining the intervals and the extrapolation check.
std::string sigmoid_fit_table(const std::string& name_column,
                              const std::vector<std::pair<std::string, const RlEvalCurve*>>& rows);

}  // namespace rlvr::scaling
