#include "core/stats.h"

#include <cmath>

namespace rlvr {

double mean_of(const float* values, size_t n) {
  if (n == 0) return 0;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  return sum / static_cast<double>(n);
}

double sample_std_of(const float* values, size_t n, double mean) {
  if (n < 2) return 0;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += (values[i] - mean) * (values[i] - mean);
  return std::sqrt(sum / static_cast<double>(n - 1));
}

}  // namespace rlvr
