#include "scaling/sweep_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "scaling/sweep_size_plots.h"
#include "scaling/test_time_tasks.h"
#include "tests/scratch_dir.h"

namespace rlvr::scaling {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The pre-training law the fake points follow: L(N) = E + a * N^-alpha.
constexpr double kE = 1.2, kA = 200, kAlpha = 0.3;
double true_loss(double n) { return kE + kA * std::pow(n, -kAlpha); }

// Per-point RL curve: R(C) = 0.1 + 0.7 / (1 + (1e12 / C)^1.2).
double true_accuracy(double c) { return 0.1 + 0.7 / (1 + std::pow(1e12 / c, 1.2)); }

// Splits RFC 4180 CSV into rows of fields (quoted fields may hold commas and "").
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      rows.back().back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == ',') {
      rows.back().emplace_back();
    } else if (!quoted && c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

class SweepSummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_sweep_summary");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A point's run directory as `rlvr train` and the sweep runner leave it.
  std::string add_point(const std::string& name, std::vector<std::string> overrides, const json& status) {
    const fs::path run = dir_ / "runs" / name;
    fs::create_directories(run);
    atomic_write((run / "sweep_status.json").string(), status.dump());
    points_.push_back({{"index", points_.size()}, {"name", name}, {"overrides", overrides}, {"run_dir", run.string()}});
    return run.string();
  }

  // With `heldout`, summary.json carries the law's loss as the held-out loss
  // and the last training step logs a noisy one that the fit must not use.
  void add_finished(const std::string& name, std::vector<std::string> overrides, int64_t parameters,
                    bool heldout = false, double heldout_scale = 1) {
    const std::string run = add_point(name, std::move(overrides), {{"status", "done"}, {"wall_seconds", 90.5}, {"attempts", 1}});
    const double sft_flops = 6.0 * parameters * 1e5;
    json summary = {{"parameters", parameters}, {"sft_steps", 20}, {"seconds", 80.0}};
    summary["phases"]["sft"] = {{"steps", 20}, {"flops", sft_flops}, {"accuracy", 0.25}};
    if (heldout) summary["phases"]["sft"]["heldout_loss"] = heldout_scale * true_loss(parameters);
    summary["phases"]["rl"] = {{"steps", 30}, {"flops", 4e12}, {"accuracy", 0.75}};
    atomic_write(run + "/summary.json", summary.dump());
    std::string metrics;
    // The earlier SFT record's loss must not be taken for the final one.
    metrics += json({{"kind", "sft"}, {"step", 10}, {"loss", 9.0}, {"flops/total", sft_flops / 2}}).dump() + "\n";
    const double last_loss = heldout ? true_loss(parameters) * (1 + 0.3 * std::sin(parameters)) : true_loss(parameters);
    metrics += json({{"kind", "sft"}, {"step", 20}, {"loss", last_loss}, {"flops/total", sft_flops}}).dump() + "\n";
    metrics += json({{"kind", "rl_eval"}, {"step", 0}, {"eval/accuracy", 0.1}, {"flops/total", sft_flops}}).dump() + "\n";
    for (int i = 1; i <= 8; ++i) {
      const double c = 1e11 * std::pow(10.0, (i - 1) * 2.0 / 7);  // 1e11 .. 1e13 RL FLOPs
      metrics += json({{"kind", "rl_eval"}, {"step", i * 4}, {"eval/accuracy", true_accuracy(c)},
                       {"flops/total", sft_flops + c}}).dump() + "\n";
    }
    atomic_write(run + "/metrics.jsonl", metrics);
    atomic_write(run + "/test_time.csv",
                 "k,pass_at_k,maj_at_k,best_of_k,flops_per_task\n1,0.5,0.5,0.5,100\n2,0.7,0.5,0.7,200\n"
                 "4,0.875,0.625,0.875,400\n");
  }

  void write_sweep() { atomic_write((dir_ / "sweep.json").string(), json({{"name", "laws"}, {"points", points_}}).dump()); }

  fs::path dir_;
  json points_ = json::array();
};

TEST_F(SweepSummaryTest, TableFitsAndSectionsOfFourPointsOneFailed) {
  add_finished("d32", {"model.d_model=32", "runtime.seed=1"}, 100000);
  add_finished("d64", {"model.d_model=64", "env.arithmetic.operators=+,-"}, 400000);
  add_point("d128", {"model.d_model=128"},
            {{"status", "failed"}, {"error", "rl step 3: loss is NaN, \"lr\" too high"}, {"wall_seconds", 12.0},
             {"attempts", 2}});
  add_finished("d256", {"model.d_model=256"}, 6400000);
  write_sweep();

  const SweepSummary s = summarize_sweep(dir_.string());
  EXPECT_EQ(s.points, 4);
  EXPECT_EQ(s.finished, 3);
  EXPECT_EQ(s.failed, 1);

  const auto rows = parse_csv(read_file(s.csv_path));
  ASSERT_EQ(rows.size(), 5u);  // header + 4 points
  const auto& header = rows[0];
  const auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<size_t>(it - header.begin());
  };
  for (const auto& row : rows) ASSERT_EQ(row.size(), header.size());
  EXPECT_EQ(rows[1][col("overrides")], "model.d_model=32; runtime.seed=1");
  EXPECT_EQ(rows[2][col("overrides")], "model.d_model=64; env.arithmetic.operators=+,-");
  EXPECT_EQ(rows[3][col("name")], "d128");
  EXPECT_EQ(rows[3][col("status")], "failed");
  EXPECT_EQ(rows[3][col("error")], "rl step 3: loss is NaN, \"lr\" too high");
  EXPECT_EQ(rows[3][col("attempts")], "2");
  EXPECT_EQ(rows[3][col("parameters")], "");
  EXPECT_EQ(rows[4][col("status")], "done");
  EXPECT_EQ(rows[4][col("parameters")], "6400000");
  EXPECT_NEAR(std::stod(rows[4][col("sft_final_loss")]), true_loss(6400000), 1e-9);
  EXPECT_EQ(rows[4][col("rl_accuracy")], "0.75");
  EXPECT_EQ(rows[4][col("rl_eval_points")], "8");
  EXPECT_NEAR(std::stod(rows[4][col("sigmoid_A")]), 0.8, 0.02);
  EXPECT_NEAR(std::stod(rows[4][col("sigmoid_C_mid")]), 1e12, 0.05e12);
  EXPECT_NEAR(std::stod(rows[4][col("training_flops")]), 6.0 * 6400000 * 1e5 + 4e12, 1);
  EXPECT_EQ(rows[4][col("test_time_k")], "4");
  EXPECT_EQ(rows[4][col("maj_at_k")], "0.625");

  ASSERT_TRUE(s.power_law) << s.power_law_error;
  EXPECT_NEAR(s.power_law->param("alpha"), kAlpha, 0.01 * kAlpha);
  EXPECT_NEAR(s.power_law->param("E"), kE, 0.01 * kE);

  const std::string md = read_file(s.markdown_path);
  for (const char* needle :
       {"# Sweep laws", "## Pre-training: SFT loss against parameters", "| E (irreducible loss)",
        "![power_law](power_law.png)", "## Post-training: eval accuracy against RL FLOPs", "| point | R | A (asymptote)",
        "## Test-time: pass@k and maj@k against k", "| d64 | 50.0% / 50.0% | 70.0% / 50.0% | 87.5% / 62.5% |",
        "[report/report.md](report/report.md)", "- d128 (2): rl step 3: loss is NaN",
        "![rl_by_size](rl_by_size.png)",
        "### RL fits by model size", "The points do not pin the exponent alpha",
        "does not move with size"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
  EXPECT_EQ(s.report_path, (dir_ / "report" / "report.md").string());
  EXPECT_TRUE(fs::exists(dir_ / "power_law.png"));
  EXPECT_TRUE(fs::exists(dir_ / "report" / "accuracy_vs_flops.png"));
  EXPECT_TRUE(fs::exists(dir_ / "rl_by_size.png"));
  EXPECT_FALSE(fs::exists(dir_ / "test_time_by_size.png")) << "no point has per-task outcomes";
}

// Seeds repeat each size: the size extrapolation still fits every size but the
// largest and predicts it, and the by-size plots name each size once.
TEST_F(SweepSummaryTest, SeedsOfOneSizeKeepTheSizeExtrapolationAndShareAColour) {
  // Five sizes: the early fit needs one more size than the law's three parameters.
  const std::vector<int64_t> sizes = {30000, 100000, 300000, 1000000, 3000000};
  for (const int64_t n : sizes) {
    for (const int seed : {1, 2}) {
      const std::string name = "n" + std::to_string(n) + "_seed-" + std::to_string(seed);
      add_finished(name, {"runtime.seed=" + std::to_string(seed)}, n, true);
      const fs::path run = dir_ / "runs" / name;
      // Per-task outcomes of the final policy (every other sample right) and
      // of the SFT policy (one in four), so the test-time plot has both.
      write_task_outcomes((run / "test_time_tasks.csv").string(), {{true, false, true, false}, {false, true, false, true}});
      atomic_write((run / "test_time_sft.csv").string(), read_file((run / "test_time.csv").string()));
      write_task_outcomes((run / "test_time_sft_tasks.csv").string(),
                          {{true, false, false, false}, {false, false, false, true}});
    }
  }
  write_sweep();
  const SweepSummary s = summarize_sweep(dir_.string());
  ASSERT_TRUE(s.power_law) << s.power_law_error;
  ASSERT_TRUE(s.power_law->extrapolation) << "the largest size's seeds must not count as a smaller size";
  EXPECT_EQ(s.power_law->extrapolation->fit_up_to, 1000000);
  EXPECT_EQ(s.power_law->extrapolation->x, 3000000);
  EXPECT_NEAR(s.power_law->extrapolation->predicted, true_loss(3000000), 1e-3);
  EXPECT_NE(read_file(s.markdown_path).find("![test_time_by_size](test_time_by_size.png)"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "rl_by_size.png"));
  EXPECT_TRUE(fs::exists(dir_ / "test_time_by_size.png"));

  const std::string gp = read_file((dir_ / "by_size.gp").string());
  for (const int64_t n : sizes) {
    const std::string key = "title '" + short_count(n) + " parameters'";
    size_t count = 0;
    for (size_t at = gp.find(key); at != std::string::npos; at = gp.find(key, at + 1)) ++count;
    EXPECT_EQ(count, 1u) << key << "\n" << gp;
  }
  // pass@k averaged over the two seeds: the final policy's pass@2 is 5/6 per
  // task (1 - C(2,2)/C(4,2)), the SFT policy's 1/2 (1 - C(3,2)/C(4,2)).
  const std::string final_curve = read_file((dir_ / "by_size" / "pass_at_k_30000_RL.dat").string());
  const std::string sft_curve = read_file((dir_ / "by_size" / "pass_at_k_30000_SFT.dat").string());
  EXPECT_NE(final_curve.find("2 0.833333"), std::string::npos) << final_curve;
  EXPECT_NE(sft_curve.find("2 0.5"), std::string::npos) << sft_curve;
}

// Seeds that disagree: the law is fitted to each size's mean, weighted by its
// standard error, so the seeds' spread neither biases nor hides the exponent.
TEST_F(SweepSummaryTest, SeedsThatDisagreeAreFittedAsWeightedMeans) {
  const std::vector<int64_t> sizes = {30000, 100000, 300000, 1000000, 3000000};
  for (size_t i = 0; i < sizes.size(); ++i) {
    // Spreads of 2-10% around the law, larger for the smaller sizes.
    const double spread = 0.02 * static_cast<double>(sizes.size() - i);
    for (const double sign : {-1.0, 1.0}) {
      add_finished("n" + std::to_string(sizes[i]) + (sign < 0 ? "_a" : "_b"), {}, sizes[i], true, 1 + sign * spread);
    }
  }
  write_sweep();
  const SweepSummary s = summarize_sweep(dir_.string());
  ASSERT_TRUE(s.power_law) << s.power_law_error;
  EXPECT_TRUE(s.power_law_weighted);
  EXPECT_EQ(s.power_law->num_points, 5) << "one mean per size";
  EXPECT_NEAR(s.power_law->param("alpha"), kAlpha, 0.01 * kAlpha);
  EXPECT_NEAR(s.power_law->param("E"), kE, 0.01 * kE);
  const std::string md = read_file(s.markdown_path);
  EXPECT_NE(md.find("weighted by the standard error of that mean"), std::string::npos) << md;
  EXPECT_TRUE(fs::exists(dir_ / "power_law_seeds.dat"));
}

TEST(ShortCount, WritesThousandsAndMillions) {
  EXPECT_EQ(short_count(950), "950");
  EXPECT_EQ(short_count(16368), "16.4K");
  EXPECT_EQ(short_count(651840), "652K");
  EXPECT_EQ(short_count(1200000), "1.2M");
}

// The pre-training law is fitted to the held-out SFT loss where runs measured
// it: five sizes recover the law exactly and pin alpha, and the table shows both losses.
TEST_F(SweepSummaryTest, PowerLawFitsTheHeldOutLossWhereRunsHaveIt) {
  for (const int64_t n : {30000, 100000, 300000, 1000000, 3000000}) {
    add_finished("n" + std::to_string(n), {"model.d_model=" + std::to_string(n)}, n, true);
  }
  write_sweep();
  const SweepSummary s = summarize_sweep(dir_.string());
  ASSERT_TRUE(s.power_law) << s.power_law_error;
  EXPECT_NEAR(s.power_law->param("alpha"), kAlpha, 0.01 * kAlpha);
  EXPECT_NEAR(s.power_law->param("E"), kE, 0.01 * kE);
  const auto rows = parse_csv(read_file(s.csv_path));
  const size_t heldout = static_cast<size_t>(
      std::find(rows[0].begin(), rows[0].end(), "sft_heldout_loss") - rows[0].begin());
  ASSERT_LT(heldout, rows[0].size());
  EXPECT_NEAR(std::stod(rows[1][heldout]), true_loss(30000), 1e-6);
  const std::string md = read_file(s.markdown_path);
  EXPECT_NE(md.find("| held-out SFT loss |"), std::string::npos);
  EXPECT_NE(md.find("the exponent is pinned"), std::string::npos) << md;
}

TEST_F(SweepSummaryTest, FewerThanThreeSizesSaysWhyThereIsNoPowerLaw) {
  add_finished("a", {"runtime.seed=1"}, 100000);
  add_finished("b", {"runtime.seed=2"}, 100000);
  add_point("c", {"runtime.seed=3"}, {{"status", "running"}});
  write_sweep();
  const SweepSummary s = summarize_sweep(dir_.string());
  EXPECT_FALSE(s.power_law);
  EXPECT_NE(s.power_law_error.find("at least 3 distinct model sizes"), std::string::npos) << s.power_law_error;
  EXPECT_NE(read_file(s.markdown_path).find("No fit: needs finished points"), std::string::npos);
  EXPECT_EQ(parse_csv(read_file(s.csv_path))[3][3], "running");
}

TEST_F(SweepSummaryTest, CompareAlongAddsTheVerificationValueSectionAndPlots) {
  for (const int demos : {100, 1000}) {
    const std::string run = add_point("n" + std::to_string(demos), {"sft.num_demonstrations=" + std::to_string(demos)},
                                      {{"status", "done"}});
    json summary = {{"parameters", 1000}, {"sft_steps", 20}, {"rl_algorithm", "GRPO"}};
    summary["phases"]["sft"] = {{"steps", 20}, {"flops", 1e9}, {"accuracy", 0.5}, {"harder_accuracy", 0.25}};
    summary["phases"]["rl"] = {{"steps", 30}, {"flops", 1e9}, {"accuracy", demos == 100 ? 0.5 : 0.9}, {"harder_accuracy", 0.75}};
    atomic_write(run + "/summary.json", summary.dump());
    atomic_write(run + "/metrics.jsonl", "");
  }
  atomic_write((dir_ / "sweep.json").string(),
               json({{"name", "vv"}, {"compare_along", "sft.num_demonstrations"}, {"points", points_}}).dump());
  const SweepSummary s = summarize_sweep(dir_.string());
  const std::string md = read_file(s.markdown_path);
  for (const char* needle : {"## The value of a verifier", "| 1000 | 50.0 | 90.0 |", "| 100 | 25.0 | 75.0 |",
                             "GRPO leads every label-only phase by at least 10 points in distribution from "
                             "sft.num_demonstrations = 1000 on (the curves part between 100 and 1000)"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
  EXPECT_TRUE(fs::exists(dir_ / "verification_value.png"));
  EXPECT_TRUE(fs::exists(dir_ / "verification_value_harder.png"));
}

TEST_F(SweepSummaryTest, MissingOrMalformedFilesNameTheFile) {
  const auto expect_error = [&](const std::string& needle) {
    try {
      summarize_sweep(dir_.string());
      ADD_FAILURE() << "expected an error mentioning " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error((dir_ / "sweep.json").string());
  atomic_write((dir_ / "sweep.json").string(), "{\"name\": \"x\", \"points\": [");
  expect_error((dir_ / "sweep.json").string() + ": not valid JSON");
  atomic_write((dir_ / "sweep.json").string(), R"({"name": "x", "points": [{"index": 0, "name": "p"}]})");
  expect_error("sweep.json: points[0]: missing field 'overrides'");
  points_.clear();
  add_point("p", {}, {{"status", "done"}});
  write_sweep();
  atomic_write((dir_ / "runs" / "p" / "summary.json").string(), "{\"parameters\": 1}");
  expect_error((dir_ / "runs" / "p" / "summary.json").string() + ": missing field 'sft_steps'");
}

}  // namespace
}  // namespace rlvr::scaling
