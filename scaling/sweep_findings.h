// What a sweep's three scaling analyses show, in words and in a table of the
// RL fits by model size: the sentences a reader of the summary would otherwise
// have to work out from the per-point tables. Pure; shared by the sweep
// summary only, kept apart so each finding can be tested on its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scaling/fit.h"
#include "scaling/sweep_points.h"

namespace rlvr::scaling {

// The constrained RL sigmoid fits of one model size, over its seeds.
struct RlFitsOfSize {
  int64_t parameters = 0;
  int points = 0;  // finished points of this size
  std::vector<double> asymptotes, midpoints;  // A and C_mid of the fits that pin them
  std::vector<double> extrapolation_errors;   // predicted - observed, in points of the metric
  // The fitted metric before RL and at the last evaluation, for every point
  // whose curve has both (fitted or not): whether RL moved it at all.
  std::vector<double> starts, finals;
};

// Ascending in parameters.
std::vector<RlFitsOfSize> rl_fits_by_size(const SweepResults& results);

// A table (parameters, points, the metric before and after RL as means over
// seeds, A mean +- sd, C_mid geometric mean and range, the mean absolute
// extrapolation error), a sentence on how many sizes RL raised the metric at,
// and one on how A and C_mid move with N: their least-squares slopes against
// log10 N over the sizes with fits. "" when no size has an RL curve.
std::string rl_by_size_markdown(const std::vector<RlFitsOfSize>& sizes);

// One paragraph on the pre-training law: the exponent with its interval as a
// share of alpha, the irreducible loss, and the size extrapolation's error
// against its band.
std::string pre_training_finding(const FitResult& power_law);

// One paragraph on the test-time laws of the final policies: the range of
// their ceilings and exponents, how well 16 samples per task predicted larger
// k, and the crossover k with the SFT policy where measured. "" without laws.
std::string test_time_finding(const SweepResults& results);

}  // namespace rlvr::scaling
