// The test-time scaling law: how pass@k grows with the number of samples k.
// Following Schaeffer et al. 2025 ("How do large language monkeys get their
// power (laws)?"), each task has a per-sample success probability p; a share
// pi0 of the tasks can never be solved (p = 0) and the rest have
// p ~ Beta(alpha, beta). Averaged over tasks,
//   pass@k = (1 - pi0) * (1 - B(alpha, beta + k) / B(alpha, beta)),
// so for large k the unsolved share above the ceiling decays as k^(-alpha):
// alpha is the power-law exponent and 1 - pi0 the coverage ceiling no amount
// of sampling passes. Fitting the law to per-task correct counts lets a report
// extrapolate pass@k beyond the samples drawn and say where two models' curves
// cross (e.g. RL ahead at small k, the base model ahead at large k).
// Torch-free, pure and thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace rlvr::scaling {

// One task's evaluation: `correct` of its `samples` sampled completions were
// judged correct. Tasks may have different sample counts.
struct TaskCounts {
  int64_t samples = 0;
  int64_t correct = 0;
};

// The law's three parameters. Fits are bounded so every parameter stays finite
// even when the data push it to an edge (every task always solved, or none
// ever): log alpha and log beta lie in [-10, 10] and logit pi0 in [-15, 15].
struct BetaBinomialParameters {
  double alpha = 1;  // Beta shape of the solvable tasks' p; the power-law exponent
  double beta = 1;   // Beta shape; alpha / (alpha + beta) is their mean p
  double pi0 = 0;    // share of tasks no sample ever solves

  // Expected pass@k over tasks for k >= 0 samples (real k: the curve is
  // smooth). pass_at(0) = 0, non-decreasing, tending to 1 - pi0. Accurate for
  // any k: beyond k = 1e6 a Stirling expansion replaces the difference of
  // lgammas, which would lose its digits to cancellation. Throws rlvr::Error
  // for negative or NaN k.
  double pass_at(double k) const;
};

// A two-sided bootstrap interval; NaN ends when no resample was drawn.
struct BootstrapInterval {
  double lower = NAN;
  double upper = NAN;
};

// A maximum-likelihood fit of the law with what a report needs to judge it.
struct BetaBinomialLaw : BetaBinomialParameters {
  double log_likelihood = 0;  // of the counts, binomial coefficients included
  int64_t tasks = 0;          // tasks the fit saw
  int iterations = 0;         // Nelder-Mead iterations of the fit to all tasks, every start
  double confidence = 0.95;   // two-sided coverage of the intervals below
  // Percentile intervals from refitting tasks resampled with replacement.
  BootstrapInterval alpha_interval, beta_interval, pi0_interval;
  // The bootstrap refits, kept so the interval of any derived quantity (such
  // as pass@k at a k chosen later) comes from the same resamples.
  std::vector<BetaBinomialParameters> resamples;

  // Percentile interval of pass@k over the resamples, at `confidence`.
  BootstrapInterval pass_interval(double k) const;
};

struct BetaBinomialOptions {
  // Refits on tasks resampled with replacement: tasks are drawn independently,
  // so resampling whole tasks is the bootstrap that matches how the data
  // arose. 0 leaves the intervals NaN. Percentiles near 2.5% and 97.5% need
  // about 200 resamples to be stable.
  int bootstrap_resamples = 200;
  double confidence = 0.95;
  uint64_t seed = 0;  // bootstrap resampling stream (core/rng.h)
};

// Maximum-likelihood fit of the law to per-task counts. Task i's likelihood is
// pi0 * [c_i == 0] + (1 - pi0) * BetaBinomial(c_i; n_i, alpha, beta). When no
// sample of any task is correct the data say only that nothing was solved:
// pi0 is then its upper bound and alpha = beta = 1 (unidentified). Throws
// rlvr::Error, naming the task, for no tasks, samples < 1 or correct outside
// [0, samples].
BetaBinomialLaw fit_beta_binomial(const std::vector<TaskCounts>& tasks,
                                  const BetaBinomialOptions& options = {});

// Does a law fitted on few samples per task predict pass@k at many? The
// answer to "can we trust the extrapolated curve".
struct TestTimeExtrapolation {
  int64_t fit_k = 0;      // samples per task the fit saw (the first ones)
  int64_t predict_k = 0;  // the k predicted
  double predicted = 0;   // the law's pass@predict_k
  double lower = NAN, upper = NAN;  // its bootstrap interval
  double observed = 0;  // unbiased pass@predict_k from all samples, averaged over tasks
};

// outcomes_per_task[i] holds task i's sample outcomes in the order drawn. Fits
// the law on each task's first fit_k outcomes only and compares its
// pass@predict_k with the unbiased estimate from every outcome. Using the first
// samples (not a random subset) mirrors an evaluation stopped early. Throws
// rlvr::Error, naming the task, when a task has fewer than
// max(fit_k, predict_k) outcomes, and for no tasks or k < 1.
TestTimeExtrapolation check_test_time_extrapolation(const std::vector<std::vector<bool>>& outcomes_per_task,
                                                    int64_t fit_k, int64_t predict_k,
                                                    const BetaBinomialOptions& options = {});

// The smallest k at which `chaser` (e.g. the base model: many tasks reachable,
// each rarely solved) reaches or passes `leader` (e.g. the RL model: better at
// pass@1, but some tasks out of reach), comparing the unbiased pass@k averaged
// over each model's tasks for k = 1 .. the smallest sample count of any task
// of either model. 1 when the chaser is level or ahead already at k = 1;
// nullopt when it stays behind at every measured k. Throws rlvr::Error for
// empty or invalid counts.
std::optional<int64_t> measured_crossover_k(const std::vector<TaskCounts>& leader,
                                            const std::vector<TaskCounts>& chaser);

// The same crossover read off two fitted laws, so a report can say where the
// curves meet beyond the samples drawn: the smallest real k in [1, max_k] with
// chaser.pass_at(k) >= leader.pass_at(k), found on a log grid and refined by
// bisection to a relative 1e-9. 1 when the chaser is level or ahead at k = 1;
// nullopt when it stays behind up to max_k (a lower ceiling 1 - pi0 keeps it
// behind for ever).
std::optional<double> predicted_crossover_k(const BetaBinomialParameters& leader,
                                            const BetaBinomialParameters& chaser, double max_k = 1e6);

}  // namespace rlvr::scaling
