#include "scaling/test_time_summary.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>

#include <filesystem>

#include "core/error.h"
#include "core/text_util.h"
#include "scaling/test_time_tasks.h"

namespace rlvr::scaling {
namespace {

// The k the check predicts for tasks of `samples` samples each.
std::vector<int64_t> predicted_ks(int64_t samples) {
  std::vector<int64_t> ks;
  for (int64_t k : kTestTimePredictK) {
    if (k <= samples) ks.push_back(k);
  }
  if (ks.empty() && samples > kTestTimeFitK) ks.push_back(samples);
  return ks;
}

std::string interval_cell(double value, const BootstrapInterval& interval) {
  if (std::isnan(interval.lower)) return fmt::format("{:.3g}", value);
  return fmt::format("{:.3g} [{:.3g}, {:.3g}]", value, interval.lower, interval.upper);
}

}  // namespace

std::vector<TaskCounts> counts_of(const std::vector<std::vector<bool>>& outcomes) {
  std::vector<TaskCounts> counts;
  for (const auto& task : outcomes) {
    counts.push_back({static_cast<int64_t>(task.size()), static_cast<int64_t>(std::count(task.begin(), task.end(), true))});
  }
  return counts;
}

TestTimeLawSummary summarize_test_time(const std::vector<std::vector<bool>>& outcomes, uint64_t seed) {
  TestTimeLawSummary s;
  const std::vector<TaskCounts> counts = counts_of(outcomes);
  BetaBinomialOptions options;
  options.seed = seed;
  s.law = fit_beta_binomial(counts, options);
  s.tasks = static_cast<int64_t>(outcomes.size());
  s.samples = std::min_element(counts.begin(), counts.end(), [](const TaskCounts& a, const TaskCounts& b) {
                return a.samples < b.samples;
              })->samples;
  for (int64_t k : predicted_ks(s.samples)) {
    s.checks.push_back(check_test_time_extrapolation(outcomes, kTestTimeFitK, k, options));
  }
  return s;
}

TestTimeCrossover test_time_crossover(const std::vector<std::vector<bool>>& leader,
                                      const std::vector<std::vector<bool>>& chaser,
                                      const TestTimeLawSummary& leader_law, const TestTimeLawSummary& chaser_law) {
  return {measured_crossover_k(counts_of(leader), counts_of(chaser)),
          predicted_crossover_k(leader_law.law, chaser_law.law)};
}

std::string ceiling_cell(const TestTimeLawSummary& s) {
  return interval_cell(1 - s.law.pi0, {1 - s.law.pi0_interval.upper, 1 - s.law.pi0_interval.lower});
}

std::string exponent_cell(const TestTimeLawSummary& s) { return interval_cell(s.law.alpha, s.law.alpha_interval); }

std::string checks_cell(const TestTimeLawSummary& s) {
  if (s.checks.empty()) return "-";
  std::vector<std::string> parts;
  for (const TestTimeExtrapolation& c : s.checks) {
    parts.push_back(fmt::format("pass@{} {} vs {:.3f} measured ({:+.1f} points)", c.predict_k,
                                interval_cell(c.predicted, {c.lower, c.upper}), c.observed,
                                100 * (c.predicted - c.observed)));
  }
  return join(parts, "; ");
}

std::string crossover_cell(const TestTimeCrossover& c) {
  const std::string measured = c.measured ? fmt::format("k = {}", *c.measured) : "never";
  const std::string predicted = c.predicted ? fmt::format("{:.3g}", *c.predicted) : "never";
  return measured + " measured, " + predicted + " predicted";
}

namespace {

std::optional<PolicyTestTime> load_policy_test_time(const std::string& run_dir, const std::string& stem) {
  PolicyTestTime p;
  p.table_csv = (std::filesystem::path(run_dir) / (stem + ".csv")).string();
  if (!std::filesystem::exists(p.table_csv)) return std::nullopt;
  const std::string tasks = task_outcomes_path(p.table_csv);
  if (std::filesystem::exists(tasks)) {
    p.outcomes = read_task_outcomes(tasks);
    p.law = summarize_test_time(p.outcomes);
  }
  return p;
}

std::string law_row(const std::string& name, const std::string& policy, const TestTimeLawSummary& s,
                    const std::string& crossover) {
  return fmt::format("| {} | {} | {} x {} | {} | {} | {} | {} |\n", name, policy, s.tasks, s.samples,
                     ceiling_cell(s), exponent_cell(s), checks_cell(s), crossover);
}

}  // namespace

RunTestTime load_run_test_time(const std::string& run_dir) {
  RunTestTime r;
  r.final_policy = load_policy_test_time(run_dir, "test_time");
  r.sft = load_policy_test_time(run_dir, "test_time_sft");
  if (r.final_policy && r.final_policy->law && r.sft && r.sft->law) {
    r.crossover = test_time_crossover(r.final_policy->outcomes, r.sft->outcomes, *r.final_policy->law, *r.sft->law);
  }
  return r;
}

std::string test_time_law_table(const std::string& name_column,
                                const std::vector<std::pair<std::string, const RunTestTime*>>& rows) {
  std::string body;
  for (const auto& [name, run] : rows) {
    if (run->final_policy && run->final_policy->law) {
      body += law_row(name, "final", *run->final_policy->law, run->crossover ? crossover_cell(*run->crossover) : "-");
    }
    if (run->sft && run->sft->law) body += law_row(name, "SFT", *run->sft->law, "");
  }
  if (body.empty()) return "";
  return "| " + name_column +
         " | policy | tasks x samples | ceiling 1 - pi0 | exponent alpha | fit on k <= " +
         std::to_string(kTestTimeFitK) + ", predicted vs measured | SFT catches up at |\n"
         "|---|---|---|---|---|---|---|\n" + body +
         "\nThe law pass@k = (1 - pi0) (1 - B(alpha, beta + k) / B(alpha, beta)) is fitted by maximum likelihood "
         "to each task's correct count: a share pi0 of the tasks is never solved and the rest have per-sample "
         "success rates drawn from Beta(alpha, beta). 1 - pi0 is the ceiling no number of samples passes; the "
         "unsolved share above it falls as k^-alpha. Intervals are 95% bootstrap intervals over tasks. The check "
         "refits on each task's first " + std::to_string(kTestTimeFitK) +
         " samples and predicts pass@k at larger k against the unbiased estimate from all samples. The "
         "crossover is the smallest k at which the SFT policy's pass@k reaches the final policy's: measured on "
         "the samples drawn, and predicted from the two laws.\n";
}

std::string law_curve_data(const BetaBinomialParameters& law, double max_k) {
  if (!(max_k >= 1)) throw Error("law_curve_data: max_k = " + std::to_string(max_k) + " must be >= 1");
  constexpr int kPointsPerDoubling = 8;
  std::string out;
  const int points = static_cast<int>(std::ceil(std::log2(max_k) * kPointsPerDoubling));
  for (int i = 0; i <= points; ++i) {
    const double k = std::min(max_k, std::exp2(static_cast<double>(i) / kPointsPerDoubling));
    out += fmt::format("{:.6g},{:.6g}\n", k, law.pass_at(k));
  }
  return out;
}

}  // namespace rlvr::scaling
