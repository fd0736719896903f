#include "scaling/rl_eval_curve.h"

#include <cmath>

#include "core/error.h"

namespace rlvr::scaling {

double rl_start_flops(const std::vector<MetricsRecord>& records) {
  double start = NAN;
  for (const auto& r : records) {
    if (r.kind == "rl_eval" && r.step == 0) start = r.value_or("flops/total", NAN);
  }
  return start;
}

RlEvalCurve rl_eval_curve(const std::vector<MetricsRecord>& records) {
  RlEvalCurve curve;
  const double start = rl_start_flops(records);
  for (const auto& r : records) {
    if (r.kind == "rl_eval" && r.step == 0) curve.start_accuracy = r.value_or("eval/accuracy", NAN);
    const double x = r.value_or("flops/total", NAN) - start;
    // NaN x (no step-0 record) fails this test too.
    if (r.kind == "rl_eval" && r.step > 0 && x > 0) {
      curve.flops.push_back(x);
      curve.accuracy.push_back(r.value_or("eval/accuracy", NAN));
    }
  }
  if (curve.flops.size() < kMinSigmoidPoints) {
    curve.fit_error = "fewer than " + std::to_string(kMinSigmoidPoints) + " RL evaluations";
    return curve;
  }
  try {
    FitOptions options;
    options.range = MetricRange{0, 1};
    if (std::isfinite(curve.start_accuracy)) options.fixed_r0 = curve.start_accuracy;
    curve.fit = fit_series({curve.flops, curve.accuracy, {}}, Model::kSigmoid, options);
  } catch (const Error& e) {
    curve.fit_error = e.what();
  }
  return curve;
}

}  // namespace rlvr::scaling
