// Expanding sweep files into points, and the errors bad sweep files get.
#include "sweep/sweep_plan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.h"
#include "sweep/slurm_script.h"
#include "tests/scratch_dir.h"

namespace rlvr::sweep {
namespace {

namespace fs = std::filesystem;

class SweepPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_sweep_plan");
    std::ofstream(dir_ / "base.pbtxt") << "model { d_model: 32 n_layers: 1 }\nsft { steps: 10 }\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string sweep(const std::string& body) {
    const std::string path = (dir_ / "sweep.pbtxt").string();
    std::ofstream(path) << "name: \"s\"\nbase: \"base.pbtxt\"\noutput_dir: \"" << (dir_ / "out").string() << "\"\n"
                        << body;
    return path;
  }

  // The error of loading `body`, or "" when it loads.
  std::string error_of(const std::string& body) {
    try {
      load_sweep(sweep(body));
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(SweepPlanTest, GridZipAndSeedsMultiply) {
  const SweepPlan plan = load_sweep(sweep(R"(
grid { field: "model.d_model" values: ["32", "64"] }
zip { axes { field: "sft.lr" values: ["1e-3", "3e-3", "1e-2"] }
      axes { field: "sft.batch_size" values: ["8", "16", "32"] } }
seeds: [1, 2]
)"));
  ASSERT_EQ(plan.points.size(), 2u * 3u * 2u);
  EXPECT_EQ(plan.points[0].overrides,
            (std::vector<std::string>{"model.d_model=32", "sft.lr=1e-3", "sft.batch_size=8", "runtime.seed=1"}));
  EXPECT_EQ(plan.points[0].name, "d_model-32_lr-1e-3_batch_size-8_seed-1");
  EXPECT_EQ(plan.points.back().overrides,
            (std::vector<std::string>{"model.d_model=64", "sft.lr=1e-2", "sft.batch_size=32", "runtime.seed=2"}));
  std::set<std::string> names;
  for (const SweepPoint& p : plan.points) names.insert(p.name);
  EXPECT_EQ(names.size(), plan.points.size());
  EXPECT_EQ(point_config(plan, plan.points.back()).config.model().d_model(), 64);
  EXPECT_EQ(point_config(plan, plan.points.back()).config.output().run_dir(), plan.points.back().run_dir);
}

TEST_F(SweepPlanTest, SameLastFieldNameUsesTheWholePath) {
  const SweepPlan plan = load_sweep(sweep(R"(
grid { field: "sft.lr" values: ["1e-3"] }
grid { field: "rl.lr" values: ["1e-4"] }
)"));
  ASSERT_EQ(plan.points.size(), 1u);
  EXPECT_EQ(plan.points[0].name, "sft.lr-1e-3_rl.lr-1e-4");
}

// An axis names an element of a repeated field as --set does (here appending
// to an empty list); the point's name stays directory-safe.
TEST_F(SweepPlanTest, AxesReachRepeatedFieldsByIndex) {
  const SweepPlan plan = load_sweep(sweep(R"(
grid { field: "verifier.math.extraction_priority[0]" values: ["BOXED", "ANSWER_TAG"] }
)"));
  ASSERT_EQ(plan.points.size(), 2u);
  EXPECT_EQ(plan.points[1].name, "extraction_priority_0_-ANSWER_TAG");
  const auto order = point_config(plan, plan.points[1]).config.verifier().math().extraction_priority();
  ASSERT_EQ(order.size(), 1);
  EXPECT_EQ(order[0], config::ANSWER_TAG);
}

TEST_F(SweepPlanTest, RandomSamplingIsSeededAndInRange) {
  const std::string body = R"(
random { samples: 20 seed: 7
         axes { field: "sft.lr" min: 1e-4 max: 1e-2 log: true }
         axes { field: "sft.batch_size" min: 16 max: 64 integer: true } }
)";
  const SweepPlan a = load_sweep(sweep(body));
  const SweepPlan b = load_sweep(sweep(body));
  ASSERT_EQ(a.points.size(), 20u);
  for (size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].overrides, b.points[i].overrides);
    const auto config = point_config(a, a.points[i]).config;
    EXPECT_GE(config.sft().lr(), 1e-4 * 0.999);
    EXPECT_LE(config.sft().lr(), 1e-2 * 1.001);
    EXPECT_GE(config.sft().batch_size(), 16);
    EXPECT_LE(config.sft().batch_size(), 64);
  }
}

TEST_F(SweepPlanTest, NoAxesIsTheBaseAlone) {
  const SweepPlan plan = load_sweep(sweep(""));
  ASSERT_EQ(plan.points.size(), 1u);
  EXPECT_EQ(plan.points[0].name, "base");
}

TEST_F(SweepPlanTest, BadFilesNameFileLineAndField) {
  const std::string unknown = error_of("grid { field: \"model.d_modle\" values: [\"32\"] }\n");
  EXPECT_NE(unknown.find("sweep.pbtxt:4:"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("model.d_modle"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("did you mean 'd_model'"), std::string::npos) << unknown;

  const std::string empty = error_of("grid { field: \"rl.group_size\" }\n");
  EXPECT_NE(empty.find("sweep.pbtxt:4:"), std::string::npos) << empty;
  EXPECT_NE(empty.find("empty axis"), std::string::npos) << empty;
  EXPECT_NE(empty.find("rl.group_size"), std::string::npos) << empty;

  const std::string mismatch = error_of("grid {\n  field: \"rl.group_size\"\n  values: [\"8\", \"lots\"]\n}\n");
  EXPECT_NE(mismatch.find("sweep.pbtxt:6:"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("values[1]"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("rl.group_size"), std::string::npos) << mismatch;

  const std::string range = error_of("grid { field: \"rl.group_size\" values: [\"1\"] }\n");
  EXPECT_NE(range.find("must be >= 2"), std::string::npos) << range;

  const std::string zip = error_of(
      "zip { axes { field: \"sft.lr\" values: [\"1e-3\", \"2e-3\"] } axes { field: \"sft.batch_size\" values: [\"8\"] } }\n");
  EXPECT_NE(zip.find("has 1 values but the axes zipped with it have 2"), std::string::npos) << zip;

  const std::string syntax = error_of("grid { feild: \"sft.lr\" }\n");
  EXPECT_NE(syntax.find("sweep.pbtxt:4:"), std::string::npos) << syntax;
  EXPECT_NE(syntax.find("did you mean 'field'"), std::string::npos) << syntax;
}

TEST_F(SweepPlanTest, CompareAlongMustBeAFieldTheAxesVary) {
  const std::string axes = "grid { field: \"sft.num_demonstrations\" values: [\"100\", \"1000\"] }\n";
  EXPECT_EQ(error_of(axes + "analysis { compare_along: \"sft.num_demonstrations\" }\n"), "");
  const std::string unvaried = error_of(axes + "analysis {\n  compare_along: \"sft.steps\"\n}\n");
  EXPECT_NE(unvaried.find("sweep.pbtxt:6:"), std::string::npos) << unvaried;
  EXPECT_NE(unvaried.find("'sft.steps' is not a field any axis varies"), std::string::npos) << unvaried;
  EXPECT_NE(unvaried.find("the axes vary: sft.num_demonstrations"), std::string::npos) << unvaried;
}

TEST_F(SweepPlanTest, SlurmScriptRunsOnePointPerArrayTask) {
  const SweepPlan plan = load_sweep(sweep("grid { field: \"model.d_model\" values: [\"16\", \"32\", \"48\"] }\n"));
  const std::string script = slurm_script(plan, {"/opt/rlvr", "/sweeps/s.pbtxt", "/work", 4});
  EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_NE(script.find("#SBATCH --array=0-2\n"), std::string::npos) << script;
  EXPECT_NE(script.find("#SBATCH --cpus-per-task=4\n"), std::string::npos);
  EXPECT_NE(script.find("cd \"/work\""), std::string::npos);
  EXPECT_NE(script.find("\"/opt/rlvr\" sweep \"/sweeps/s.pbtxt\" --only-index \"$SLURM_ARRAY_TASK_ID\""),
            std::string::npos)
      << script;
}

}  // namespace
}  // namespace rlvr::sweep
