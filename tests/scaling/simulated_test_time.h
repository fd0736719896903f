// Simulated test-time evaluations drawn from a known Beta-binomial law, for
// tests of the law's fit and of what reports make of it.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "scaling/test_time_law.h"

namespace rlvr::scaling {

// One task's success probability under `truth`: 0 with chance pi0, else a
// Beta(alpha, beta) draw made from two gamma draws.
inline double draw_success_probability(std::mt19937_64& rng, const BetaBinomialParameters& truth) {
  if (std::uniform_real_distribution<double>(0, 1)(rng) < truth.pi0) return 0;
  const double x = std::gamma_distribution<double>(truth.alpha, 1)(rng);
  const double y = std::gamma_distribution<double>(truth.beta, 1)(rng);
  return x / (x + y);
}

inline std::vector<TaskCounts> simulate_counts(const BetaBinomialParameters& truth, int tasks, int64_t samples,
                                        uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<TaskCounts> counts;
  for (int i = 0; i < tasks; ++i) {
    const double p = draw_success_probability(rng, truth);
    counts.push_back({samples, std::binomial_distribution<int64_t>(samples, p)(rng)});
  }
  return counts;
}

inline std::vector<std::vector<bool>> simulate_outcomes(const BetaBinomialParameters& truth, int tasks, int64_t samples,
                                                 uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<bool>> outcomes(tasks);
  for (auto& task : outcomes) {
    const double p = draw_success_probability(rng, truth);
    for (int64_t s = 0; s < samples; ++s) task.push_back(std::uniform_real_distribution<double>(0, 1)(rng) < p);
  }
  return outcomes;
}

}  // namespace rlvr::scaling
