#include "scaling/test_time_law.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <string>

#include "core/error.h"
#include "core/rng.h"
#include "scaling/pass_at_k.h"

namespace rlvr::scaling {
namespace {

// Bounds on the internal parameters (log alpha, log beta, logit pi0), stated
// in the header: they keep fits finite when the data drive a parameter to an
// edge, and lie far outside any law real evaluations produce.
constexpr double kLogShapeBound = 10;
constexpr double kLogitPi0Bound = 15;

// Up to this k, lgamma(k + a) - lgamma(k + b) keeps ~9 digits (lgamma(1e6) is
// ~1.3e7, known to ~3e-9); beyond it the Stirling form takes over.
constexpr double kDirectLgammaLimit = 1e6;

// Nelder-Mead: stop when the simplex's values agree to kValueTolerance
// (relative) and its vertices to kPointTolerance (internal units, i.e.
// relative for alpha and beta), ~1e-6 being far below any bootstrap width.
constexpr double kValueTolerance = 1e-10;
constexpr double kPointTolerance = 1e-6;
constexpr int kMaxIterationsPerRun = 2000;
// A converged simplex can have collapsed early; restarting a fresh simplex at
// its best point until that no longer improves guards against it.
constexpr int kMaxRestarts = 4;
constexpr double kInitialStep = 0.5;

// Predicted crossover: log grid density and bisection precision.
constexpr int kGridPointsPerDecade = 100;
constexpr double kCrossoverRelativePrecision = 1e-9;

using Internal = std::array<double, 3>;  // log alpha, log beta, logit pi0
constexpr Internal kLowerBound{-kLogShapeBound, -kLogShapeBound, -kLogitPi0Bound};
constexpr Internal kUpperBound{kLogShapeBound, kLogShapeBound, kLogitPi0Bound};

// log(Gamma(k + a) / Gamma(k + b)).
double log_gamma_ratio(double k, double a, double b) {
  if (k <= kDirectLgammaLimit) return std::lgamma(k + a) - std::lgamma(k + b);
  // Stirling, lgamma(x) = (x - 1/2) log x - x + log(2 pi) / 2 + 1 / (12 x) + O(x^-3),
  // with log(k + a) = log k + log1p(a / k) so the huge terms cancel exactly.
  return (a - b) * std::log(k) + (k + a - 0.5) * std::log1p(a / k) - (k + b - 0.5) * std::log1p(b / k) -
         (a - b) + (1 / (k + a) - 1 / (k + b)) / 12;
}

// log(B(alpha, beta + k) / B(alpha, beta)): the log chance that k samples of a
// random solvable task all fail. Exactly 0 at k = 0 (x - y == -(y - x) in IEEE
// arithmetic), at most 0 for every k.
double log_all_fail(const BetaBinomialParameters& p, double k) {
  const double ratio = log_gamma_ratio(k, p.beta, p.alpha + p.beta) +
                       (std::lgamma(p.alpha + p.beta) - std::lgamma(p.beta));
  return std::min(ratio, 0.0);
}

void validate_tasks(const std::vector<TaskCounts>& tasks, const std::string& where) {
  if (tasks.empty()) throw Error(where + ": no tasks; pass at least one task's sample counts");
  for (size_t i = 0; i < tasks.size(); ++i) {
    const TaskCounts& t = tasks[i];
    const std::string task = where + ": tasks[" + std::to_string(i) + "]";
    if (t.samples < 1) {
      throw Error(task + ".samples = " + std::to_string(t.samples) +
                  "; every task needs at least one sample (drop unevaluated tasks)");
    }
    if (t.correct < 0 || t.correct > t.samples) {
      throw Error(task + ".correct = " + std::to_string(t.correct) + " is outside [0, samples = " +
                  std::to_string(t.samples) + "]");
    }
  }
}

void validate_options(const BetaBinomialOptions& options) {
  if (options.bootstrap_resamples < 0) {
    throw Error("BetaBinomialOptions.bootstrap_resamples = " + std::to_string(options.bootstrap_resamples) +
                " is negative; use 0 to skip the intervals");
  }
  if (!(options.confidence > 0 && options.confidence < 1)) {
    throw Error("BetaBinomialOptions.confidence = " + std::to_string(options.confidence) +
                " must lie in (0, 1), e.g. 0.95");
  }
}

// Tasks with equal (samples, correct) contribute equally to the likelihood, so
// the fit sums over distinct pairs weighted by how often each occurs. With a
// fixed sample count there are at most samples + 1 of them, which makes each
// likelihood evaluation, and so each bootstrap refit, independent of the
// number of tasks.
struct CountCell {
  int64_t samples = 0;
  int64_t correct = 0;
  double log_choose = 0;  // log C(samples, correct)
};

struct CountTable {
  std::vector<CountCell> cells;
  std::vector<size_t> cell_of_task;  // tasks[i] falls in cells[cell_of_task[i]]
};

double log_choose(int64_t n, int64_t c) {
  const auto lgamma_of = [](int64_t x) { return std::lgamma(static_cast<double>(x) + 1); };
  return lgamma_of(n) - lgamma_of(c) - lgamma_of(n - c);
}

CountTable tabulate(const std::vector<TaskCounts>& tasks) {
  std::vector<std::pair<int64_t, int64_t>> distinct;
  for (const TaskCounts& t : tasks) distinct.emplace_back(t.samples, t.correct);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  CountTable table;
  for (const auto& [n, c] : distinct) table.cells.push_back({n, c, log_choose(n, c)});
  for (const TaskCounts& t : tasks) {
    const auto it = std::lower_bound(distinct.begin(), distinct.end(), std::make_pair(t.samples, t.correct));
    table.cell_of_task.push_back(static_cast<size_t>(it - distinct.begin()));
  }
  return table;
}

// How many tasks fall in each cell.
std::vector<double> task_multiplicities(const CountTable& table) {
  std::vector<double> weights(table.cells.size(), 0.0);
  for (size_t cell : table.cell_of_task) weights[cell] += 1;
  return weights;
}

Internal clamp_to_bounds(Internal x) {
  for (size_t d = 0; d < x.size(); ++d) x[d] = std::clamp(x[d], kLowerBound[d], kUpperBound[d]);
  return x;
}

BetaBinomialParameters to_natural(const Internal& x) {
  return {std::exp(x[0]), std::exp(x[1]), 1 / (1 + std::exp(-x[2]))};
}

Internal to_internal(const BetaBinomialParameters& p) {
  return clamp_to_bounds({std::log(p.alpha), std::log(p.beta), std::log(p.pi0) - std::log1p(-p.pi0)});
}

double log_add_exp(double x, double y) {
  const double high = std::max(x, y);
  return high + std::log1p(std::exp(std::min(x, y) - high));
}

// Log-likelihood of the weighted cells, binomial coefficients included.
double log_likelihood(const std::vector<CountCell>& cells, const std::vector<double>& weights,
                      const BetaBinomialParameters& p) {
  const double log_beta_ab = std::lgamma(p.alpha) + std::lgamma(p.beta) - std::lgamma(p.alpha + p.beta);
  const double log_unsolvable = std::log(p.pi0);
  const double log_solvable = std::log1p(-p.pi0);
  double total = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (weights[i] == 0) continue;
    const auto n = static_cast<double>(cells[i].samples);
    const auto c = static_cast<double>(cells[i].correct);
    const double log_pmf = cells[i].log_choose + std::lgamma(c + p.alpha) + std::lgamma(n - c + p.beta) -
                           std::lgamma(n + p.alpha + p.beta) - log_beta_ab;
    const double log_solvable_term = log_solvable + log_pmf;
    total += weights[i] * (cells[i].correct == 0 ? log_add_exp(log_unsolvable, log_solvable_term)
                                                 : log_solvable_term);
  }
  return total;
}

using Objective = std::function<double(const Internal&)>;

struct Minimum {
  Internal point;
  double value;
  int iterations;
};

struct Vertex {
  Internal point;
  double value;
};

// The first simplex: the start and one step along each axis, stepping inward
// where the start sits at an upper bound so no vertex collapses onto another.
std::vector<Vertex> initial_simplex(const Objective& f, const Internal& start) {
  std::vector<Vertex> simplex{{start, f(start)}};
  for (size_t d = 0; d < start.size(); ++d) {
    Internal x = start;
    x[d] += (x[d] + kInitialStep <= kUpperBound[d]) ? kInitialStep : -kInitialStep;
    simplex.push_back({x, f(x)});
  }
  return simplex;
}

bool has_converged(const std::vector<Vertex>& sorted_simplex) {
  const Vertex& best = sorted_simplex.front();
  if (sorted_simplex.back().value - best.value > kValueTolerance * (1 + std::abs(best.value))) return false;
  for (const Vertex& v : sorted_simplex) {
    for (size_t d = 0; d < v.point.size(); ++d) {
      if (std::abs(v.point[d] - best.point[d]) > kPointTolerance) return false;
    }
  }
  return true;
}

// centroid + t * (centroid - worst), kept inside the bounds.
Internal along_ray(const Internal& centroid, const Internal& worst, double t) {
  Internal x;
  for (size_t d = 0; d < x.size(); ++d) x[d] = centroid[d] + t * (centroid[d] - worst[d]);
  return clamp_to_bounds(x);
}

// The mean of every vertex but the worst, of a simplex sorted best first.
Internal centroid_without_worst(const std::vector<Vertex>& sorted_simplex) {
  Internal centroid{};
  const auto others = static_cast<double>(sorted_simplex.size() - 1);
  for (size_t v = 0; v + 1 < sorted_simplex.size(); ++v) {
    for (size_t d = 0; d < centroid.size(); ++d) centroid[d] += sorted_simplex[v].point[d] / others;
  }
  return centroid;
}

void shrink_towards_best(const Objective& f, std::vector<Vertex>& sorted_simplex) {
  const Internal& best = sorted_simplex.front().point;
  for (size_t v = 1; v < sorted_simplex.size(); ++v) {
    for (size_t d = 0; d < best.size(); ++d) {
      sorted_simplex[v].point[d] = 0.5 * (best[d] + sorted_simplex[v].point[d]);
    }
    sorted_simplex[v].value = f(sorted_simplex[v].point);
  }
}

// One Nelder-Mead move (reflection 1, expansion 2, contraction 1/2, shrink
// 1/2) on a simplex sorted best first: the worst vertex gives way to a better
// point on the ray through the others' centroid, or, when none is better, the
// simplex shrinks towards its best vertex.
void nelder_mead_step(const Objective& f, std::vector<Vertex>& sorted_simplex) {
  const Internal centroid = centroid_without_worst(sorted_simplex);
  Vertex& worst = sorted_simplex.back();
  const Internal reflected_point = along_ray(centroid, worst.point, 1);
  const Vertex reflected{reflected_point, f(reflected_point)};
  if (reflected.value < sorted_simplex.front().value) {
    const Internal expanded = along_ray(centroid, worst.point, 2);
    const double expanded_value = f(expanded);
    worst = expanded_value < reflected.value ? Vertex{expanded, expanded_value} : reflected;
    return;
  }
  if (reflected.value < sorted_simplex[sorted_simplex.size() - 2].value) {
    worst = reflected;
    return;
  }
  const bool outside = reflected.value < worst.value;
  const Internal contracted = along_ray(centroid, worst.point, outside ? 0.5 : -0.5);
  const double contracted_value = f(contracted);
  if (contracted_value < std::min(reflected.value, worst.value)) {
    worst = {contracted, contracted_value};
    return;
  }
  shrink_towards_best(f, sorted_simplex);
}

// One Nelder-Mead run on the box-bounded internal parameters: points leaving
// the box are projected back onto it.
Minimum nelder_mead(const Objective& f, const Internal& start) {
  std::vector<Vertex> simplex = initial_simplex(f, start);
  const auto by_value = [](const Vertex& a, const Vertex& b) { return a.value < b.value; };
  int iteration = 0;
  for (; iteration < kMaxIterationsPerRun; ++iteration) {
    std::sort(simplex.begin(), simplex.end(), by_value);
    if (has_converged(simplex)) break;
    nelder_mead_step(f, simplex);
  }
  const auto best = std::min_element(simplex.begin(), simplex.end(), by_value);
  return {best->point, best->value, iteration};
}

Minimum minimise_with_restarts(const Objective& f, const Internal& start) {
  Minimum best = nelder_mead(f, clamp_to_bounds(start));
  for (int restart = 0; restart < kMaxRestarts; ++restart) {
    const Minimum again = nelder_mead(f, best.point);
    const int iterations = best.iterations + again.iterations;
    const bool improved = again.value < best.value - kValueTolerance * (1 + std::abs(best.value));
    if (again.value < best.value) best = again;
    best.iterations = iterations;
    if (!improved) break;
  }
  return best;
}

// Starting points by the method of moments. For an assumed unsolvable share
// pi0, the solvable tasks' rates c/n have mean m and variance
// m (1 - m) [E(1/n) + (1 - E(1/n)) rho] with rho = 1 / (alpha + beta + 1);
// solving for m and rho gives alpha and beta. pi0 is not identified by these
// two moments, so the starts try several shares of the tasks never solved.
std::vector<Internal> moment_starts(const CountTable& table, const std::vector<double>& weights) {
  double total = 0, never_solved = 0, mean_rate = 0, mean_square = 0, mean_inverse_n = 0;
  for (size_t i = 0; i < table.cells.size(); ++i) {
    const double rate = static_cast<double>(table.cells[i].correct) / static_cast<double>(table.cells[i].samples);
    total += weights[i];
    never_solved += table.cells[i].correct == 0 ? weights[i] : 0;
    mean_rate += weights[i] * rate;
    mean_square += weights[i] * rate * rate;
    mean_inverse_n += weights[i] / static_cast<double>(table.cells[i].samples);
  }
  mean_rate /= total;
  mean_square /= total;
  mean_inverse_n /= total;
  std::vector<Internal> starts;
  for (const double share_of_never_solved : {0.0, 0.5, 0.9}) {
    const double pi0 = std::clamp(share_of_never_solved * never_solved / total, 1e-3, 0.99);
    const double m = std::clamp(mean_rate / (1 - pi0), 0.01, 0.99);
    const double variance = mean_square / (1 - pi0) - m * m;
    const double rho = mean_inverse_n < 1 ? (variance / (m * (1 - m)) - mean_inverse_n) / (1 - mean_inverse_n)
                                          : 0.5;  // one sample per task: the spread is not identified
    const double concentration = 1 / std::clamp(rho, 0.01, 0.99) - 1;
    starts.push_back(to_internal({m * concentration, (1 - m) * concentration, pi0}));
  }
  return starts;
}

struct Fit {
  Internal internal{};
  double log_likelihood = 0;
  int iterations = 0;
};

bool any_correct(const CountTable& table, const std::vector<double>& weights) {
  for (size_t i = 0; i < table.cells.size(); ++i) {
    if (weights[i] > 0 && table.cells[i].correct > 0) return true;
  }
  return false;
}

// The best of the fits from `starts`, or the documented law of "nothing
// solved" when no sample is correct (the likelihood is then flat at 0 along
// pi0 -> 1 and does not locate alpha or beta).
Fit fit_cells(const CountTable& table, const std::vector<double>& weights, const std::vector<Internal>& starts) {
  const auto fitted_log_likelihood = [&](const Internal& x) {
    return log_likelihood(table.cells, weights, to_natural(x));
  };
  if (!any_correct(table, weights)) {
    const Internal nothing_solved{0, 0, kLogitPi0Bound};
    return {nothing_solved, fitted_log_likelihood(nothing_solved), 0};
  }
  const Objective negative_log_likelihood = [&](const Internal& x) { return -fitted_log_likelihood(x); };
  Fit best{{}, -std::numeric_limits<double>::infinity(), 0};
  for (const Internal& start : starts) {
    const Minimum m = minimise_with_restarts(negative_log_likelihood, start);
    best.iterations += m.iterations;
    if (-m.value > best.log_likelihood) {
      best.internal = m.point;
      best.log_likelihood = -m.value;
    }
  }
  return best;
}

// Linear interpolation between the order statistics of sorted `v` at q.
double sorted_quantile(const std::vector<double>& v, double q) {
  const double position = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<size_t>(position);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (position - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

BootstrapInterval percentile_interval(std::vector<double> values, double confidence) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const double tail = (1 - confidence) / 2;
  return {sorted_quantile(values, tail), sorted_quantile(values, 1 - tail)};
}

BootstrapInterval interval_of(const std::vector<BetaBinomialParameters>& resamples, double confidence,
                              const std::function<double(const BetaBinomialParameters&)>& quantity) {
  std::vector<double> values;
  values.reserve(resamples.size());
  for (const BetaBinomialParameters& p : resamples) values.push_back(quantity(p));
  return percentile_interval(std::move(values), confidence);
}

// Refits on tasks drawn with replacement, each refit starting at the full
// data's optimum (a resample's optimum lies close to it).
void add_task_bootstrap(const CountTable& table, const Internal& best, const BetaBinomialOptions& options,
                        BetaBinomialLaw& law) {
  const auto tasks = static_cast<int64_t>(table.cell_of_task.size());
  for (int b = 0; b < options.bootstrap_resamples; ++b) {
    // One stream per resample, so each resample is reproducible on its own.
    Rng rng(derive_seed(options.seed, fnv1a("scaling/test_time_law/task_bootstrap"), b));
    std::vector<double> weights(table.cells.size(), 0.0);
    for (int64_t i = 0; i < tasks; ++i) weights[table.cell_of_task[uniform_int(rng, 0, tasks - 1)]] += 1;
    law.resamples.push_back(to_natural(fit_cells(table, weights, {best}).internal));
  }
  law.alpha_interval = interval_of(law.resamples, law.confidence, [](const auto& p) { return p.alpha; });
  law.beta_interval = interval_of(law.resamples, law.confidence, [](const auto& p) { return p.beta; });
  law.pi0_interval = interval_of(law.resamples, law.confidence, [](const auto& p) { return p.pi0; });
}

void validate_extrapolation_inputs(const std::vector<std::vector<bool>>& outcomes_per_task, int64_t fit_k,
                                   int64_t predict_k) {
  const std::string where = "check_test_time_extrapolation";
  if (outcomes_per_task.empty()) throw Error(where + ": no tasks; pass each task's sample outcomes");
  if (fit_k < 1 || predict_k < 1) {
    throw Error(where + ": fit_k = " + std::to_string(fit_k) + " and predict_k = " + std::to_string(predict_k) +
                " must both be at least 1");
  }
  for (size_t i = 0; i < outcomes_per_task.size(); ++i) {
    const auto have = static_cast<int64_t>(outcomes_per_task[i].size());
    for (const auto& [name, k] : {std::pair<const char*, int64_t>{"fit_k", fit_k}, {"predict_k", predict_k}}) {
      if (have >= k) continue;
      throw Error(where + ": outcomes_per_task[" + std::to_string(i) + "] has " + std::to_string(have) +
                  " samples, fewer than " + name + " = " + std::to_string(k) +
                  "; lower it or sample every task at least that often");
    }
  }
}

TaskCounts count_first(const std::vector<bool>& outcomes, int64_t k) {
  const auto end = outcomes.begin() + static_cast<std::ptrdiff_t>(k);
  return {k, static_cast<int64_t>(std::count(outcomes.begin(), end, true))};
}

// Unbiased pass@k averaged over the table's tasks.
double mean_pass_at_k(const CountTable& table, const std::vector<double>& weights, int64_t k) {
  double sum = 0, total = 0;
  for (size_t i = 0; i < table.cells.size(); ++i) {
    sum += weights[i] * pass_at_k(table.cells[i].samples, table.cells[i].correct, k);
    total += weights[i];
  }
  return sum / total;
}

int64_t fewest_samples(const std::vector<TaskCounts>& tasks) {
  return std::min_element(tasks.begin(), tasks.end(),
                          [](const TaskCounts& a, const TaskCounts& b) { return a.samples < b.samples; })
      ->samples;
}

}  // namespace

double BetaBinomialParameters::pass_at(double k) const {
  if (!(k >= 0)) throw Error("pass_at: k = " + std::to_string(k) + " must be a number >= 0");
  return (1 - pi0) * -std::expm1(log_all_fail(*this, k));
}

BootstrapInterval BetaBinomialLaw::pass_interval(double k) const {
  return interval_of(resamples, confidence, [k](const BetaBinomialParameters& p) { return p.pass_at(k); });
}

BetaBinomialLaw fit_beta_binomial(const std::vector<TaskCounts>& tasks, const BetaBinomialOptions& options) {
  validate_tasks(tasks, "fit_beta_binomial");
  validate_options(options);
  const CountTable table = tabulate(tasks);
  const std::vector<double> weights = task_multiplicities(table);
  const Fit fit = fit_cells(table, weights, moment_starts(table, weights));
  const BetaBinomialParameters best = to_natural(fit.internal);
  BetaBinomialLaw law;
  law.alpha = best.alpha;
  law.beta = best.beta;
  law.pi0 = best.pi0;
  law.log_likelihood = fit.log_likelihood;
  law.tasks = static_cast<int64_t>(tasks.size());
  law.iterations = fit.iterations;
  law.confidence = options.confidence;
  add_task_bootstrap(table, fit.internal, options, law);
  return law;
}

TestTimeExtrapolation check_test_time_extrapolation(const std::vector<std::vector<bool>>& outcomes_per_task,
                                                    int64_t fit_k, int64_t predict_k,
                                                    const BetaBinomialOptions& options) {
  validate_extrapolation_inputs(outcomes_per_task, fit_k, predict_k);
  std::vector<TaskCounts> early;
  double observed_sum = 0;
  for (const std::vector<bool>& outcomes : outcomes_per_task) {
    early.push_back(count_first(outcomes, fit_k));
    const TaskCounts all = count_first(outcomes, static_cast<int64_t>(outcomes.size()));
    observed_sum += pass_at_k(all.samples, all.correct, predict_k);
  }
  const BetaBinomialLaw law = fit_beta_binomial(early, options);
  const BootstrapInterval band = law.pass_interval(static_cast<double>(predict_k));
  const auto k = static_cast<double>(predict_k);
  return {fit_k, predict_k, law.pass_at(k), band.lower, band.upper,
          observed_sum / static_cast<double>(outcomes_per_task.size())};
}

std::optional<int64_t> measured_crossover_k(const std::vector<TaskCounts>& leader,
                                            const std::vector<TaskCounts>& chaser) {
  validate_tasks(leader, "measured_crossover_k (leader)");
  validate_tasks(chaser, "measured_crossover_k (chaser)");
  const CountTable leader_table = tabulate(leader), chaser_table = tabulate(chaser);
  const std::vector<double> leader_weights = task_multiplicities(leader_table);
  const std::vector<double> chaser_weights = task_multiplicities(chaser_table);
  const int64_t largest_k = std::min(fewest_samples(leader), fewest_samples(chaser));
  for (int64_t k = 1; k <= largest_k; ++k) {
    if (mean_pass_at_k(chaser_table, chaser_weights, k) >= mean_pass_at_k(leader_table, leader_weights, k)) {
      return k;
    }
  }
  return std::nullopt;
}

std::optional<double> predicted_crossover_k(const BetaBinomialParameters& leader,
                                            const BetaBinomialParameters& chaser, double max_k) {
  if (!(max_k >= 1)) throw Error("predicted_crossover_k: max_k = " + std::to_string(max_k) + " must be >= 1");
  const auto chaser_level = [&](double k) { return chaser.pass_at(k) >= leader.pass_at(k); };
  if (chaser_level(1)) return 1.0;
  const double step = std::pow(10.0, 1.0 / kGridPointsPerDecade);
  for (double behind = 1; behind < max_k; behind *= step) {
    double level = std::min(behind * step, max_k);
    if (!chaser_level(level)) continue;
    while (level - behind > kCrossoverRelativePrecision * level) {
      const double middle = std::sqrt(behind * level);
      if (chaser_level(middle)) {
        level = middle;
      } else {
        behind = middle;
      }
    }
    return level;
  }
  return std::nullopt;
}

}  // namespace rlvr::scaling
