#include "scaling/rl_eval_curve.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace rlvr::scaling {
namespace {

bool is_rl_eval(const MetricsRecord& r) { return r.kind == "rl_eval"; }

// Sampled pass@1 when every RL evaluation logged it: it moves smoothly where
// greedy accuracy jumps, and its standard error counts samples, not just tasks.
std::string metric_of(const std::vector<MetricsRecord>& records) {
  const bool any = std::any_of(records.begin(), records.end(), is_rl_eval);
  const bool all_sampled = std::all_of(records.begin(), records.end(), [](const MetricsRecord& r) {
    return !is_rl_eval(r) || std::isfinite(r.value_or("eval/pass@1", NAN));
  });
  return any && all_sampled ? "eval/pass@1" : "eval/accuracy";
}

}  // namespace

double rl_start_flops(const std::vector<MetricsRecord>& records) {
  double start = NAN;
  for (const auto& r : records) {
    if (is_rl_eval(r) && r.step == 0) start = r.value_or("flops/total", NAN);
  }
  return start;
}

RlEvalCurve rl_eval_curve(const std::vector<MetricsRecord>& records, const std::string& metric) {
  RlEvalCurve curve;
  curve.metric = metric.empty() ? metric_of(records) : metric;
  const double start = rl_start_flops(records);
  bool all_have_stderr = true;
  for (const auto& r : records) {
    if (!is_rl_eval(r)) continue;
    if (r.step == 0) curve.start_accuracy = r.value_or(curve.metric, NAN);
    const double x = r.value_or("flops/total", NAN) - start;
    // NaN x (no step-0 record) fails this test too.
    if (r.step > 0 && x > 0) {
      curve.flops.push_back(x);
      curve.accuracy.push_back(r.value_or(curve.metric, NAN));
      const double se = r.value_or(curve.metric + "_stderr", NAN);
      all_have_stderr = all_have_stderr && se > 0;
      curve.stderrs.push_back(se);
    }
  }
  if (!all_have_stderr) curve.stderrs.clear();
  if (curve.flops.size() < kMinSigmoidPoints) {
    curve.fit_error = "fewer than " + std::to_string(kMinSigmoidPoints) + " RL evaluations";
    return curve;
  }
  try {
    FitOptions options;
    options.range = MetricRange{0, 1};
    if (std::isfinite(curve.start_accuracy)) options.fixed_r0 = curve.start_accuracy;
    curve.fit = fit_series(curve.series(), Model::kSigmoid, options);
  } catch (const Error& e) {
    curve.fit_error = e.what();
  }
  return curve;
}

}  // namespace rlvr::scaling
