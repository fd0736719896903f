// Mean and standard deviation: the one estimator rlvr uses for rewards,
// advantages and their metrics. Torch-free.
#pragma once

#include <cstddef>

namespace rlvr {

// Mean of values[0..n); 0 when n is 0.
double mean_of(const float* values, size_t n);
double mean_of(const double* values, size_t n);

// Unbiased (n - 1) standard deviation around `mean`, as torch.std; 0 when n < 2.
double sample_std_of(const float* values, size_t n, double mean);
double sample_std_of(const double* values, size_t n, double mean);

}  // namespace rlvr
