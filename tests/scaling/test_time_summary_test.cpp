// What reports make of test-time outcomes: the per-task file `rlvr eval`
// writes, the law and its extrapolation checks, the SFT-vs-final crossover and
// the markdown table.
#include "scaling/test_time_summary.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "scaling/test_time_tasks.h"
#include "simulated_test_time.h"
#include "tests/scratch_dir.h"

namespace rlvr::scaling {
namespace {
namespace fs = std::filesystem;

class TestTimeSummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_tt");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  void expect_read_error(const std::string& text, const std::string& needle) {
    const std::string path = write("bad_tasks.csv", text);
    try {
      read_task_outcomes(path);
      ADD_FAILURE() << "expected an error for:\n" << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  }
  fs::path dir_;
};

TEST_F(TestTimeSummaryTest, TaskOutcomesRoundTripBesideTheTable) {
  EXPECT_EQ(task_outcomes_path("runs/a/test_time.csv"), "runs/a/test_time_tasks.csv");
  EXPECT_EQ(task_outcomes_path("out"), "out_tasks.csv");
  const std::vector<std::vector<bool>> outcomes = {{false, true, false, false}, {true, true, true, true}};
  EXPECT_EQ(format_task_outcomes(outcomes), "task,samples,correct,outcomes\n0,4,1,0100\n1,4,4,1111\n");
  const std::string path = (dir_ / "t_tasks.csv").string();
  write_task_outcomes(path, outcomes);
  EXPECT_EQ(read_task_outcomes(path), outcomes);
}

TEST_F(TestTimeSummaryTest, MalformedTaskFilesNameTheLineAndColumn) {
  expect_read_error("k,pass\n", ":1: header is 'k,pass'");
  expect_read_error("task,samples,correct,outcomes\n0,4,1\n", ":2: 3 fields, expected 4");
  expect_read_error("task,samples,correct,outcomes\n0,4,1,0100\n1,4,1,01x0\n", ":3: column 'outcomes' is '01x0'");
  expect_read_error("task,samples,correct,outcomes\n0,4,2,0100\n", ":2: samples = 4 and correct = 2 disagree");
  expect_read_error("task,samples,correct,outcomes\n0,-4,1,0100\n", ":2: column 'samples' is '-4'");
  expect_read_error("task,samples,correct,outcomes\n", "no tasks");
}

TEST_F(TestTimeSummaryTest, TheLawFitsEverySampleAndItsFirstSixteenPredictLargerK) {
  const BetaBinomialParameters truth{0.6, 4.0, 0.2};
  // 2,000 tasks: with fewer, the fit on 16 samples per task is itself off by
  // more than the tolerance (pi0 and small success rates look alike there).
  const auto outcomes = simulate_outcomes(truth, 2000, 256, 7);
  const TestTimeLawSummary s = summarize_test_time(outcomes);
  EXPECT_EQ(s.tasks, 2000);
  EXPECT_EQ(s.samples, 256);
  EXPECT_NEAR(s.law.alpha, truth.alpha, 0.1);
  EXPECT_NEAR(1 - s.law.pi0, 1 - truth.pi0, 0.05);
  ASSERT_EQ(s.checks.size(), 2u);
  for (const TestTimeExtrapolation& c : s.checks) {
    EXPECT_EQ(c.fit_k, 16);
    EXPECT_NEAR(c.predicted, c.observed, 0.05) << "pass@" << c.predict_k;
    EXPECT_LE(c.lower, c.predicted);
    EXPECT_GE(c.upper, c.predicted);
  }
  EXPECT_EQ(s.checks[0].predict_k, 64);
  EXPECT_EQ(s.checks[1].predict_k, 256);
  const std::string cell = checks_cell(s);
  EXPECT_NE(cell.find("pass@64 "), std::string::npos) << cell;
  EXPECT_NE(cell.find("; pass@256 "), std::string::npos) << cell;
  EXPECT_NE(cell.find(" measured ("), std::string::npos) << cell;
}

TEST_F(TestTimeSummaryTest, FewSamplesPredictTheirOwnCountOrNothing) {
  const BetaBinomialParameters truth{0.6, 4.0, 0.2};
  EXPECT_EQ(summarize_test_time(simulate_outcomes(truth, 100, 32, 1)).checks.at(0).predict_k, 32);
  const TestTimeLawSummary few = summarize_test_time(simulate_outcomes(truth, 100, 16, 1));
  EXPECT_TRUE(few.checks.empty());
  EXPECT_EQ(checks_cell(few), "-");
}

TEST_F(TestTimeSummaryTest, TheSftPolicyCatchesUpWhereItsWiderCoverageWins) {
  // RL: good at pass@1 but a fifth of the tasks out of reach; SFT: rarely
  // right, but almost every task reachable.
  const auto rl = simulate_outcomes({2.0, 1.0, 0.2}, 400, 128, 3);
  const auto sft = simulate_outcomes({0.5, 2.0, 0.02}, 400, 128, 4);
  const TestTimeLawSummary rl_law = summarize_test_time(rl), sft_law = summarize_test_time(sft);
  const TestTimeCrossover c = test_time_crossover(rl, sft, rl_law, sft_law);
  ASSERT_TRUE(c.measured);
  ASSERT_TRUE(c.predicted);
  EXPECT_GT(*c.measured, 1);
  EXPECT_LT(*c.measured, 128);
  EXPECT_NEAR(std::log(*c.predicted), std::log(static_cast<double>(*c.measured)), std::log(2.0));
  EXPECT_EQ(crossover_cell({std::nullopt, std::nullopt}), "never measured, never predicted");
  EXPECT_EQ(crossover_cell({12, 11.74}), "k = 12 measured, 11.7 predicted");
}

TEST_F(TestTimeSummaryTest, RunDirectoriesGiveTheTableItsRows) {
  const auto rl = simulate_outcomes({2.0, 1.0, 0.2}, 200, 64, 3);
  const auto sft = simulate_outcomes({0.5, 2.0, 0.02}, 200, 64, 4);
  write("test_time.csv", "k,pass_at_k,maj_at_k,best_of_k,flops_per_task\n1,0.5,0.5,0.5,1\n");
  write_task_outcomes((dir_ / "test_time_tasks.csv").string(), rl);
  write("test_time_sft.csv", "k,pass_at_k,maj_at_k,best_of_k,flops_per_task\n1,0.2,0.2,0.2,1\n");
  write_task_outcomes((dir_ / "test_time_sft_tasks.csv").string(), sft);
  const RunTestTime run = load_run_test_time(dir_.string());
  ASSERT_TRUE(run.final_policy && run.final_policy->law);
  ASSERT_TRUE(run.sft && run.sft->law);
  ASSERT_TRUE(run.crossover);
  const std::string md = test_time_law_table("run", {{"seed1", &run}});
  for (const char* needle : {"| run | policy | tasks x samples | ceiling 1 - pi0 | exponent alpha |",
                             "| seed1 | final | 200 x 64 | ", "| seed1 | SFT | 200 x 64 | ", " measured, ",
                             "pass@64 "}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
  const RunTestTime empty = load_run_test_time((dir_ / "missing").string());
  EXPECT_FALSE(empty.final_policy);
  EXPECT_EQ(test_time_law_table("run", {{"x", &empty}}), "");
}

TEST_F(TestTimeSummaryTest, LawCurveRunsFromOneToMaxK) {
  const BetaBinomialParameters law{0.5, 2.0, 0.1};
  const std::string data = law_curve_data(law, 256);
  const std::string first = data.substr(0, data.find('\n'));
  EXPECT_EQ(first.substr(0, 2), "1,") << first;
  EXPECT_NEAR(std::stod(first.substr(2)), law.pass_at(1), 1e-5) << first;
  EXPECT_NE(data.find("\n256,"), std::string::npos) << data;
  EXPECT_THROW(law_curve_data(law, 0.5), Error);
}

}  // namespace
}  // namespace rlvr::scaling
