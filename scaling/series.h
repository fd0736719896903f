// A series of observations y(x) for a scaling fit, with each y's standard
// error when it is known (e.g. a sampled accuracy over many tasks).
#pragma once

#include <vector>

namespace rlvr::scaling {

struct Series {
  std::vector<double> xs, ys;
  // One standard error per point, > 0, or empty when unknown: the fit then
  // weighs every point equally and estimates one noise level from the residuals.
  std::vector<double> sigmas;
};

// The range a bounded metric can take (accuracy, pass@k: [0, 1]).
struct MetricRange {
  double lower = 0, upper = 1;
};

}  // namespace rlvr::scaling
