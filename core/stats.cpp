#include "core/stats.h"

#include <cmath>

namespace rlvr {
namespace {

// One body for float and double inputs; sums in double either way.
template <typename T>
double mean_t(const T* values, size_t n) {
  if (n == 0) return 0;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  return sum / static_cast<double>(n);
}

template <typename T>
double sample_std_t(const T* values, size_t n, double center) {
  if (n < 2) return 0;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += (values[i] - center) * (values[i] - center);
  return std::sqrt(sum / static_cast<double>(n - 1));
}

}  // namespace

double mean_of(const float* values, size_t n) { return mean_t(values, n); }
double mean_of(const double* values, size_t n) { return mean_t(values, n); }
double sample_std_of(const float* values, size_t n, double mean) { return sample_std_t(values, n, mean); }
double sample_std_of(const double* values, size_t n, double mean) { return sample_std_t(values, n, mean); }

}  // namespace rlvr
