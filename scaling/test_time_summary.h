// What a report says about one policy's test-time scaling, from its per-task
// sample outcomes (scaling/test_time_tasks.h): the Beta-binomial law fitted to
// every sample (coverage ceiling and power-law exponent), the law fitted to
// the first kTestTimeFitK samples of each task checked against the unbiased
// pass@k at larger k, and, given a second policy (the SFT model the RL run
// started from), the k at which it catches up.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "scaling/test_time_law.h"

namespace rlvr::scaling {

// Samples per task the extrapolation check fits on, and the k it predicts
// (those at most the samples drawn; the sample count itself when it lies
// between kTestTimeFitK and the first of these).
inline constexpr int64_t kTestTimeFitK = 16;
inline constexpr int64_t kTestTimePredictK[] = {64, 256};

struct TestTimeLawSummary {
  int64_t tasks = 0;
  int64_t samples = 0;  // per task (the fewest, when tasks differ)
  BetaBinomialLaw law;  // fitted to every sample
  std::vector<TestTimeExtrapolation> checks;  // empty with at most kTestTimeFitK samples
};

// Each task's sample count and correct count, from its sample outcomes.
std::vector<TaskCounts> counts_of(const std::vector<std::vector<bool>>& outcomes);

// Throws rlvr::Error for no tasks or a task without samples.
TestTimeLawSummary summarize_test_time(const std::vector<std::vector<bool>>& outcomes, uint64_t seed = 0);

// Where a chaser (the SFT policy) reaches a leader (the RL policy) in pass@k:
// measured on the unbiased estimates up to the samples drawn, and read off the
// two fitted laws up to 1e6 samples.
struct TestTimeCrossover {
  std::optional<int64_t> measured;
  std::optional<double> predicted;
};
TestTimeCrossover test_time_crossover(const std::vector<std::vector<bool>>& leader,
                                      const std::vector<std::vector<bool>>& chaser,
                                      const TestTimeLawSummary& leader_law, const TestTimeLawSummary& chaser_law);

// Markdown cells: "0.953 [0.94, 0.96]" for the ceiling 1 - pi0 and the
// exponent alpha; "pass@64 0.912 [0.90, 0.93] vs 0.915 measured (-0.3 points)"
// per check, joined by "; " ("-" without checks); the crossover as "k = 12
// measured, 11.7 predicted", with "never" for a side that finds none.
std::string ceiling_cell(const TestTimeLawSummary& s);
std::string exponent_cell(const TestTimeLawSummary& s);
std::string checks_cell(const TestTimeLawSummary& s);
std::string crossover_cell(const TestTimeCrossover& c);

// One policy's test-time evaluation in a run directory: the pass@k table
// RUN_DIR/STEM.csv and, when present, the per-task outcomes STEM_tasks.csv
// with the law fitted to them.
struct PolicyTestTime {
  std::string table_csv;
  std::vector<std::vector<bool>> outcomes;  // empty without STEM_tasks.csv (evaluations before it was written)
  std::optional<TestTimeLawSummary> law;
};

// The final policy's evaluation ("test_time", `rlvr eval RUN_DIR --samples N
// --csv RUN_DIR/test_time.csv`) and the SFT policy's ("test_time_sft", the
// same on RUN_DIR/sft_final.pt), with the crossover when both have outcomes.
struct RunTestTime {
  std::optional<PolicyTestTime> final_policy;
  std::optional<PolicyTestTime> sft;
  std::optional<TestTimeCrossover> crossover;  // SFT (chaser) reaching the final policy (leader)
};
// Throws rlvr::Error (naming the file and line) for a malformed tasks file.
RunTestTime load_run_test_time(const std::string& run_dir);

// A markdown table, one row per policy with outcomes: tasks x samples, the
// ceiling, the exponent, the extrapolation checks and (on the final policy's
// row) the crossover; then a paragraph saying how to read it. "" when no row
// has outcomes.
std::string test_time_law_table(const std::string& name_column,
                                const std::vector<std::pair<std::string, const RunTestTime*>>& rows);

// The fitted law's pass@k on a log grid from k = 1 to `max_k`, as "k,pass"
// lines for a gnuplot data file (comma-separated like the pass@k tables it is
// drawn with).
std::string law_curve_data(const BetaBinomialParameters& law, double max_k);

}  // namespace rlvr::scaling
