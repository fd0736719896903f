// The RL scaling curve of one run, read from its metrics.jsonl records: eval
// accuracy against the FLOPs spent since RL started, with each point's
// standard error and the bounded sigmoid fit. Shared by `rlvr report` and the
// sweep summary so both fit the same points.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "scaling/fit.h"
#include "scaling/metrics_sink.h"

namespace rlvr::scaling {

// Fewer RL evaluations than this leave the sigmoid's 4 parameters unpinned.
inline constexpr size_t kMinSigmoidPoints = 5;

struct RlEvalCurve {
  // The metric fitted: "eval/pass@1" (sampled, several samples per task) when
  // every RL evaluation has it, else "eval/accuracy" (greedy).
  std::string metric;
  std::vector<double> flops;     // RL FLOPs since the start of RL (> 0), ascending as logged
  std::vector<double> accuracy;  // the metric at those FLOPs
  // Its standard errors (metric + "_stderr"); empty when the run did not log
  // them (runs from before they were), and the fit is then unweighted.
  std::vector<double> stderrs;
  double start_accuracy = NAN;  // the metric at step 0 (before RL); NaN without that record
  // Sigmoid of accuracy against flops, bounded to [0, 1], weighted by the
  // standard errors, R0 pinned to start_accuracy when there is one.
  std::optional<FitResult> fit;
  std::string fit_error;  // why there is no fit; "" when there is one

  Series series() const { return {flops, accuracy, stderrs}; }
};

// flops/total of the step-0 "rl_eval" record (the compute spent before RL),
// NaN when the run has none.
double rl_start_flops(const std::vector<MetricsRecord>& records);

// The "rl_eval" records after step 0 with positive RL FLOPs, fitted with the
// bounded sigmoid when there are at least kMinSigmoidPoints. `metric` picks
// the field ("eval/accuracy" for greedy accuracy); "" picks as described at
// RlEvalCurve::metric. A fit failure is kept in fit_error, not thrown: a flat
// curve is a result too.
RlEvalCurve rl_eval_curve(const std::vector<MetricsRecord>& records, const std::string& metric = "");

}  // namespace rlvr::scaling
