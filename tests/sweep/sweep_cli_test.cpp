// `rlvr sweep` end to end, as a user runs it: a 4-point sweep of tiny configs
// with 2 workers, killed with SIGKILL midway and rerun.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/files.h"
#include "tests/scratch_dir.h"

namespace rlvr {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBase = R"(
model { d_model: 32 n_layers: 1 n_heads: 2 max_seq_len: 16 }
env { name: "arithmetic" eval_size: 20 eval_fraction: 0.2 arithmetic { digits: 1 operators: "+" } }
sft { steps: 60 batch_size: 16 lr: 3e-3 warmup_steps: 5 check_every: 0 }
rl { steps: 8 prompts_per_step: 4 group_size: 4 max_new_tokens: 4 }
eval { batch_size: 32 points_per_decade: 2 pass_samples: 0 sampling { temperature: 0 max_new_tokens: 4 } }
output { checkpoint_every: 2 log_every: 5 }
runtime { threads: 1 seed: 3 }
)";

class SweepCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_sweep_cli");
    std::ofstream(dir_ / "base.pbtxt") << kBase;
    std::ofstream(dir_ / "sweep.pbtxt") << "name: \"tiny\"\nbase: \"base.pbtxt\"\noutput_dir: \"" << dir_.string()
                                        << "/out\"\nworkers: 2\n"
                                        << "grid { field: \"model.d_model\" values: [\"16\", \"32\"] }\n"
                                        << "seeds: [1, 2]\n";
    sweep_dir_ = dir_ / "out" / "tiny";
  }
  void TearDown() override { fs::remove_all(dir_); }

  pid_t start_sweep() {
    const pid_t child = fork();
    if (child == 0) {
      const std::string cmd = std::string("exec ") + RLVR_BINARY + " sweep " + (dir_ / "sweep.pbtxt").string() +
                              " --cores 2 >" + (dir_ / "first.log").string() + " 2>&1 </dev/null";
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    return child;
  }

  std::vector<std::string> done_points() const {
    std::vector<std::string> done;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(sweep_dir_ / "points", ec)) {
      const fs::path status = entry.path() / "sweep_status.json";
      if (!fs::exists(status)) continue;
      if (nlohmann::json::parse(read_file(status.string())).value("status", "") == "done") {
        done.push_back(entry.path().filename().string());
      }
    }
    return done;
  }

  int train_starts(const std::string& point) const {
    std::ifstream in(sweep_dir_ / "logs" / (point + ".log"));
    int starts = 0;
    for (std::string line; std::getline(in, line);) starts += line.rfind("## sweep step: rlvr train", 0) == 0;
    return starts;
  }

  // Live processes whose command line mentions this test's directory.
  int live_children() const {
    int count = 0;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string pid = entry.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream in(entry.path() / "cmdline");
      std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::ifstream stat_in(entry.path() / "stat");
      std::string stat((std::istreambuf_iterator<char>(stat_in)), std::istreambuf_iterator<char>());
      const bool zombie = stat.size() > 2 && stat.substr(stat.rfind(')') + 2, 1) == "Z";
      count += !zombie && cmdline.find(dir_.string()) != std::string::npos && cmdline.find("train") != std::string::npos;
    }
    return count;
  }

  fs::path dir_, sweep_dir_;
};

TEST_F(SweepCliTest, KilledSweepResumesWithoutRerunningFinishedPoints) {
  const pid_t sweep = start_sweep();
  // Kill once some point has finished while others are still running.
  std::vector<std::string> finished;
  for (int i = 0; i < 1200 && finished.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    finished = done_points();
  }
  ASSERT_FALSE(finished.empty()) << "no point finished within 2 minutes:\n" << read_file((dir_ / "first.log").string());
  kill(sweep, SIGKILL);
  int status = 0;
  waitpid(sweep, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep ended before it could be killed";
  ASSERT_LT(finished.size(), 4u) << "every point finished before the kill";
  for (int i = 0; i < 50 && live_children() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(live_children(), 0) << "the sweep's children outlived it";
  std::map<std::string, fs::file_time_type> summary_times;
  for (const std::string& point : finished) {
    EXPECT_EQ(train_starts(point), 1) << point;
    summary_times[point] = fs::last_write_time(sweep_dir_ / "points" / point / "summary.json");
  }

  const std::string rerun = std::string(RLVR_BINARY) + " sweep " + (dir_ / "sweep.pbtxt").string() +
                            " --cores 2 >" + (dir_ / "second.log").string() + " 2>&1 </dev/null";
  ASSERT_EQ(std::system(rerun.c_str()), 0) << read_file((dir_ / "second.log").string());
  EXPECT_EQ(done_points().size(), 4u);
  for (const std::string& point : finished) {
    EXPECT_EQ(train_starts(point), 1) << point << " was trained again";
    EXPECT_EQ(fs::last_write_time(sweep_dir_ / "points" / point / "summary.json"), summary_times[point]) << point;
  }

  std::ifstream csv(sweep_dir_ / "summary.csv");
  std::vector<std::string> rows;
  for (std::string line; std::getline(csv, line);) {
    if (!line.empty()) rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), 5u) << "a header and one row per point";
  for (const char* d_model : {"16", "32"}) {
    for (const char* seed : {"1", "2"}) {
      int matches = 0;
      for (size_t r = 1; r < rows.size(); ++r) {
        matches += rows[r].find(std::string("model.d_model=") + d_model) != std::string::npos &&
                   rows[r].find(std::string("runtime.seed=") + seed) != std::string::npos;
      }
      EXPECT_EQ(matches, 1) << "d_model " << d_model << " seed " << seed;
    }
  }
}

TEST_F(SweepCliTest, OnlyIndexRunsOnePointAndSlurmScriptCallsIt) {
  const std::string base = std::string(RLVR_BINARY) + " sweep " + (dir_ / "sweep.pbtxt").string();
  ASSERT_EQ(std::system((base + " --only-index 2 --cores 1 >/dev/null 2>&1").c_str()), 0);
  const std::vector<std::string> done = done_points();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0], "d_model-32_seed-1");
  EXPECT_NE(std::system((base + " --only-index 4 >/dev/null 2>&1").c_str()), 0);

  ASSERT_EQ(std::system((base + " --emit slurm >/dev/null 2>&1").c_str()), 0);
  const std::string script = read_file((sweep_dir_ / "sweep.sbatch").string());
  EXPECT_NE(script.find("#SBATCH --array=0-3"), std::string::npos) << script;
  EXPECT_NE(script.find("--only-index \"$SLURM_ARRAY_TASK_ID\""), std::string::npos) << script;
  // What one array task runs: the script's own command with the task id set.
  const std::string task = "cd " + dir_.string() + " && SLURM_ARRAY_TASK_ID=2 bash " +
                           (sweep_dir_ / "sweep.sbatch").string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(task.c_str()), 0);
  EXPECT_EQ(train_starts("d_model-32_seed-1"), 1) << "a finished point was run again";
}

// --ranks-per-point trains each point data-parallel, locally and in the
// Slurm script's array tasks.
TEST_F(SweepCliTest, RanksPerPointTrainsEachPointDataParallel) {
  const std::string base = std::string(RLVR_BINARY) + " sweep " + (dir_ / "sweep.pbtxt").string();
  ASSERT_EQ(std::system((base + " --only-index 1 --cores 2 --ranks-per-point 2 >/dev/null 2>&1").c_str()), 0);
  const fs::path point = sweep_dir_ / "points" / done_points().at(0);
  EXPECT_EQ(read_file((point / "world.json").string()), "{\"world_size\":2}\n");
  ASSERT_EQ(std::system((base + " --emit slurm --ranks-per-point 2 >/dev/null 2>&1").c_str()), 0);
  const std::string script = read_file((sweep_dir_ / "sweep.sbatch").string());
  EXPECT_NE(script.find("--only-index \"$SLURM_ARRAY_TASK_ID\" --cores \"${SLURM_CPUS_PER_TASK:-2}\" --ranks-per-point 2"),
            std::string::npos)
      << script;
}

TEST_F(SweepCliTest, TestTimeAnalysisEvaluatesTheFinalAndSftPoliciesForTheLaw) {
  std::ofstream(dir_ / "sweep.pbtxt", std::ios::app)
      << "analysis { test_time_samples: 4 k: [1, 2, 4] test_time_tasks: 6 test_time_sft: true }\n";
  const std::string base = std::string(RLVR_BINARY) + " sweep " + (dir_ / "sweep.pbtxt").string();
  ASSERT_EQ(std::system((base + " --only-index 0 --cores 1 >/dev/null 2>&1").c_str()), 0);
  const fs::path point = sweep_dir_ / "points" / "d_model-16_seed-1";
  for (const char* file : {"test_time.csv", "test_time_tasks.csv", "test_time_sft.csv", "test_time_sft_tasks.csv"}) {
    EXPECT_TRUE(fs::exists(point / file)) << file;
  }
  const std::string sft_tasks = read_file((point / "test_time_sft_tasks.csv").string());
  EXPECT_EQ(std::count(sft_tasks.begin(), sft_tasks.end(), '\n'), 7) << "a header and one row per task";
  ASSERT_EQ(std::system((base + " --summarize >/dev/null 2>&1").c_str()), 0);
  const std::string md = read_file((sweep_dir_ / "summary.md").string());
  EXPECT_NE(md.find("### The test-time law"), std::string::npos) << md;
  EXPECT_NE(md.find("| d_model-16_seed-1 | final | 6 x 4 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| d_model-16_seed-1 | SFT | 6 x 4 |"), std::string::npos) << md;
}

}  // namespace
}  // namespace rlvr
