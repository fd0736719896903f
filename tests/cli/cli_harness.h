// What the end-to-end tests of the `rlvr` binary share: a fixture with a
// scratch directory that runs the binary as a user would, a config shrunk to
// seconds, and the metrics of a run without its wall-clock fields.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/files.h"
#include "core/text_util.h"
#include "tests/scratch_dir.h"

namespace rlvr {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_cli");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `rlvr <args>` from the source directory (so configs/ resolves).
  Result rlvr(const std::string& args) {
    const std::string out = (dir_ / "stdout").string(), err = (dir_ / "stderr").string();
    const std::string cmd = std::string("cd ") + RLVR_SOURCE_DIR + " && " + RLVR_BINARY + " " +
                            args + " >" + out + " 2>" + err + " </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  }

  // `rlvr <args>` started in the background from the source directory with
  // `env` ("VAR=value ...") set, stdout dropped and stderr to `err`. With
  // own_group it leads a process group of its own, so kill(-pid) also reaches
  // the processes it starts.
  pid_t start_rlvr(const std::string& args, const std::string& env = "", const std::string& err = "/dev/null",
                   bool own_group = false) {
    const pid_t pid = fork();
    if (pid == 0) {
      if (own_group) setpgid(0, 0);
      const std::string cmd = std::string("cd ") + RLVR_SOURCE_DIR + " && " + env + " exec " + RLVR_BINARY + " " +
                              args + " >/dev/null 2>" + err;
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  }

  // Waits up to `milliseconds` for the first RL checkpoint in `run_dir`.
  static bool wait_for_rl_checkpoint(const std::string& run_dir, int milliseconds) {
    for (int i = 0; i < milliseconds; ++i) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(fs::path(run_dir) / "checkpoints", ec)) {
        if (e.path().filename().string().rfind("1_rl_", 0) == 0) return true;
      }
      usleep(1000);
    }
    return false;
  }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Quickstart shrunk to seconds: 1-digit addition, a small model, few steps.
  std::string tiny(const std::string& run_dir, int steps = 60, int rl_steps = 0) {
    return "configs/addition.pbtxt --set env.arithmetic.digits=1 --set model.d_model=64 "
           "--set model.n_layers=2 --set env.eval_size=20 --set env.eval_fraction=0.2 "
           "--set sft.stop_at_train_accuracy=0 --set sft.check_every=0 --set runtime.threads=1 "
           "--set sft.num_demonstrations=0 --set eval.pass_samples=2 "
           "--set rl.prompts_per_step=8 --set rl.group_size=4 --set output.checkpoint_every=4 "
           "--set rl.steps=" + std::to_string(rl_steps) +
           " --set sft.steps=" + std::to_string(steps) + " --set output.run_dir=" + run_dir;
  }

  fs::path dir_;
};

inline // Metrics lines with wall-clock fields removed: what must match between runs.
std::vector<nlohmann::json> deterministic_metrics(const std::string& run_dir) {
  std::vector<nlohmann::json> lines;
  for (const auto& line : split(read_file(run_dir + "/metrics.jsonl"), '\n')) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    for (auto it = j.begin(); it != j.end();) {
      const std::string key = it.key();
      const bool clock = key.rfind("time/", 0) == 0 || key.find("seconds") != std::string::npos ||
                         key == "tokens_per_second";
      it = clock ? j.erase(it) : std::next(it);
    }
    lines.push_back(j);
  }
  return lines;
}

}  // namespace rlvr
