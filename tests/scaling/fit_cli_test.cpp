// `rlvr fit` end to end: input file in, table or JSON out, errors as exit codes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/scratch_dir.h"

namespace rlvr::scaling {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FitCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_fit_cli");
    // Noiseless power law E=2, a=50, alpha=0.5 on x = 1..1e6.
    std::ofstream csv(dir_ / "loss.csv");
    csv << "tokens,loss\n";
    for (int i = 0; i <= 12; ++i) {
      const double x = std::pow(10.0, i / 2.0);
      csv << x << "," << 2 + 50 * std::pow(x, -0.5) << "\n";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun rlvr(const std::string& args) {
    const auto out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd = std::string(RLVR_BINARY) + " " + args + " >" + out.string() + " 2>" +
                            err.string() + " </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  fs::path dir_;
};

TEST_F(FitCli, JsonOutputHasParametersIntervalsAndExtrapolation) {
  const auto r = rlvr("fit --input " + (dir_ / "loss.csv").string() +
                      " --x tokens --y loss --model power --resamples 20 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["params"]["E"].get<double>(), 2.0, 1e-3);
  EXPECT_NEAR(j["params"]["a"].get<double>(), 50.0, 0.05);
  EXPECT_NEAR(j["params"]["alpha"].get<double>(), 0.5, 1e-3);
  EXPECT_EQ(j["intervals"]["alpha"].size(), 2u);
  EXPECT_GT(j["r_squared"].get<double>(), 0.9999);
  // x = 10^(i/2) up to 1e6: the first half of x (<= 5e5) holds 12 of the 13 points.
  EXPECT_EQ(j["extrapolation"]["fit_points"].get<int>(), 12);
  EXPECT_LT(j["extrapolation"]["relative_error"].get<double>(), 1e-3);
  EXPECT_EQ(j["extrapolation"]["band"].size(), 2u);
  EXPECT_TRUE(j["constrained"].get<bool>());
  EXPECT_GE(j["params"]["E"].get<double>(), 0.0);
}

TEST_F(FitCli, BoundedWeightedSigmoidWithPinnedStartAndEarlyWindow) {
  // An accuracy curve from 0.2 to 1 with standard errors, its first point off
  // the curve (a run settling): --exclude-below drops it, --range keeps A <= 1.
  std::ofstream csv(dir_ / "acc.csv");
  csv << "flops,acc,se\n";
  for (int i = 0; i <= 15; ++i) {
    const double c = std::pow(10.0, 9 + i / 5.0);
    const double acc = i == 0 ? 0.9 : 0.2 + 0.8 / (1 + std::pow(3e10 / c, 1.5));
    csv << c << "," << acc << ",0.01\n";
  }
  csv.close();
  const auto r = rlvr("fit --input " + (dir_ / "acc.csv").string() +
                      " --x flops --y acc --sigma se --range 0 1 --r0 0.2 --exclude-below 0.0012 --resamples 50 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["excluded_points"].get<int>(), 1);
  EXPECT_EQ(j["points"].get<int>(), 15);
  EXPECT_DOUBLE_EQ(j["params"]["R0"].get<double>(), 0.2);
  EXPECT_LE(j["params"]["A"].get<double>(), 1.0);
  EXPECT_NEAR(j["params"]["A"].get<double>(), 1.0, 1e-3);
  EXPECT_NEAR(j["params"]["B"].get<double>(), 1.5, 1e-3);
  EXPECT_TRUE(j["reduced_chi2"].is_number());
  EXPECT_EQ(j["range"][1].get<double>(), 1.0);

  const auto flat = rlvr("fit --input " + (dir_ / "acc.csv").string() +
                         " --x flops --y se --model power --resamples 0 2>&1");
  EXPECT_NE(flat.exit_code, 0);  // a constant column is an error, not a fit
}

TEST_F(FitCli, HelpListsTheModelsAndOptions) {
  const auto help = rlvr("fit --help");
  ASSERT_EQ(help.exit_code, 0) << help.err;
  for (const char* needle : {"sigmoid", "power", "--range", "--r0", "--fix-r0", "--sigma", "--exclude-below",
                             "--fit-fraction", "--fit-up-to", "--confidence", "--resamples"}) {
    EXPECT_NE(help.out.find(needle), std::string::npos) << needle << "\n" << help.out;
  }
}

TEST_F(FitCli, TableOutputAndErrors) {
  const std::string input = (dir_ / "loss.csv").string();
  const auto table = rlvr("fit --input " + input + " --x tokens --y loss --model power --resamples 5");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("alpha"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("extrapolation"), std::string::npos) << table.out;

  const auto missing = rlvr("fit --input " + input + " --x flops --y loss --model power");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find(input + ":1: no column 'flops'"), std::string::npos) << missing.err;

  std::ofstream(dir_ / "three.csv") << "x,y\n1,3\n2,2\n3,1.5\n";
  const auto three = rlvr("fit --input " + (dir_ / "three.csv").string() + " --x x --y y");
  EXPECT_EQ(three.exit_code, 1);
  EXPECT_NE(three.err.find("three.csv"), std::string::npos) << three.err;
  EXPECT_NE(three.err.find("parameters to fit"), std::string::npos) << three.err;
}

}  // namespace
}  // namespace rlvr::scaling
