#include "sweep/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/text_util.h"

namespace rlvr::sweep {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string status_path(const SweepPoint& point) { return point.run_dir + "/sweep_status.json"; }
std::string log_path(const SweepPlan& plan, const SweepPoint& point) {
  return plan.dir + "/logs/" + point.name + ".log";
}

nlohmann::json read_status(const SweepPoint& point) {
  std::ifstream in(status_path(point));
  if (!in) return nlohmann::json::object();
  const nlohmann::json status = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return status.is_object() ? status : nlohmann::json::object();
}

bool has_checkpoint(const SweepPoint& point) {
  const fs::path dir = fs::path(point.run_dir) / "checkpoints";
  return fs::is_directory(dir) && !fs::is_empty(dir);
}

// The last lines of a point's log: what its error was.
std::string log_tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  const size_t from = all.size() > lines ? all.size() - lines : 0;
  return join(std::vector<std::string>(all.begin() + static_cast<long>(from), all.end()), "\n");
}

// One point in flight: its steps, run one child process at a time.
struct PointJob {
  const SweepPoint* point = nullptr;
  std::vector<std::vector<std::string>> steps;  // argv tails after the binary
  size_t step = 0;
  int attempts = 0;
  Clock::time_point start;
};

class Runner {
 public:
  Runner(const SweepPlan& plan, const RunOptions& options) : plan_(plan), options_(options) {
    const int cores = options.cores > 0 ? options.cores : static_cast<int>(std::thread::hardware_concurrency());
    threads_ = std::max(1, cores / std::max(1, options.workers));
  }

  RunOutcome run() {
    std::vector<PointJob> queue;
    for (const SweepPoint& point : plan_.points) {
      if (options_.only_index && point.index != *options_.only_index) continue;
      if (point_done(point)) {
        ++outcome_.skipped;
        continue;
      }
      queue.push_back(job_for(point));
    }
    const size_t total = queue.size() + outcome_.skipped;
    Progress progress("sweep", static_cast<int64_t>(total), static_cast<int64_t>(outcome_.skipped), 1);
    size_t next = 0;
    while (next < queue.size() || !running_.empty()) {
      while (next < queue.size() && running_.size() < static_cast<size_t>(options_.workers)) {
        start_step(queue[next++]);
      }
      if (running_.empty()) continue;  // the last ones had nothing left to run
      int status = 0;
      const pid_t pid = waitpid(-1, &status, 0);
      if (pid < 0) {
        if (errno == EINTR) continue;
        throw Error(std::string("sweep: waitpid failed: ") + std::strerror(errno));
      }
      const auto it = running_.find(pid);
      if (it == running_.end()) continue;
      PointJob* job = it->second;
      running_.erase(it);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        finish(*job, false, describe(status));
      } else if (++job->step < job->steps.size()) {
        start_step(*job);
      } else {
        finish(*job, true, "");
      }
      const size_t finished = outcome_.done + outcome_.failed + outcome_.skipped;
      progress.update(static_cast<int64_t>(finished),
                      fmt::format("{} done, {} failed, {} running", outcome_.done + outcome_.skipped,
                                  outcome_.failed, running_.size()));
    }
    progress.finish();
    return outcome_;
  }

 private:
  PointJob job_for(const SweepPoint& point) {
    PointJob job;
    job.point = &point;
    job.attempts = read_status(point).value("attempts", 0) + 1;
    // A point's ranks share its worker's cores.
    const int ranks = std::max(1, options_.ranks_per_point);
    const std::string threads = "runtime.threads=" + std::to_string(std::max(1, threads_ / ranks));
    if (!fs::exists(point.run_dir + "/summary.json")) {
      std::vector<std::string> train;
      if (has_checkpoint(point)) {
        train = {"train", "--resume", point.run_dir, "--set", threads};
      } else {
        const std::string config_file = plan_.dir + "/configs/" + point.name + ".pbtxt";
        fs::create_directories(fs::path(config_file).parent_path());
        atomic_write(config_file, config::to_text(point_config(plan_, point).config));
        train = {"train", config_file, "--overwrite", "--set", threads};
      }
      if (ranks > 1) train.insert(train.end(), {"--nproc", std::to_string(ranks)});
      job.steps.push_back(std::move(train));
    }
    const config::SweepAnalysis& analysis = plan_.config.analysis();
    if (analysis.test_time_samples() > 0) {
      std::vector<std::string> ks;
      for (int k : analysis.k()) ks.push_back(std::to_string(k));
      const auto eval_step = [&](const std::string& policy, const std::string& csv) {
        std::vector<std::string> eval = {"eval", policy, "--samples", std::to_string(analysis.test_time_samples()),
                                         "--csv", point.run_dir + "/" + csv};
        if (!ks.empty()) eval.insert(eval.end(), {"--k", join(ks, ",")});
        if (analysis.test_time_tasks() > 0) {
          eval.insert(eval.end(), {"--num-tasks", std::to_string(analysis.test_time_tasks())});
        }
        job.steps.push_back(std::move(eval));
      };
      eval_step(point.run_dir, "test_time.csv");
      if (analysis.test_time_sft()) eval_step(point.run_dir + "/sft_final.pt", "test_time_sft.csv");
    }
    return job;
  }

  void start_step(PointJob& job) {
    if (job.step == 0) job.start = Clock::now();
    if (job.steps.empty()) {
      finish(job, true, "");
      return;
    }
    const std::string log = log_path(plan_, *job.point);
    fs::create_directories(fs::path(log).parent_path());
    std::ofstream(log, std::ios::app) << "## sweep step: rlvr " << join(job.steps[job.step], " ") << "\n";
    std::vector<std::string> argv = {options_.rlvr_binary};
    argv.insert(argv.end(), job.steps[job.step].begin(), job.steps[job.step].end());
    std::vector<char*> raw;
    for (std::string& arg : argv) raw.push_back(arg.data());
    raw.push_back(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) throw Error(std::string("sweep: fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      // Dies with the sweep (even on SIGKILL); its output goes to the point's log.
      prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      if (getppid() != parent) _exit(1);
      const int out = open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
      const int in = open("/dev/null", O_RDONLY);
      if (out < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
      execv(raw[0], raw.data());
      _exit(127);
    }
    running_[pid] = &job;
  }

  static std::string describe(int status) {
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }

  void finish(PointJob& job, bool ok, const std::string& how) {
    const SweepPoint& point = *job.point;
    const double seconds = std::chrono::duration<double>(Clock::now() - job.start).count();
    nlohmann::json status = {{"status", ok ? "done" : "failed"}, {"wall_seconds", seconds}, {"attempts", job.attempts}};
    if (!ok) {
      const std::string& step = job.steps[job.step].front();
      status["error"] = "rlvr " + step + " failed (" + how + "):\n" + log_tail(log_path(plan_, point), 12);
      spdlog::warn("sweep: point {} ({}) failed in rlvr {} ({}); see {}", point.index, point.name, step, how,
                   log_path(plan_, point));
      ++outcome_.failed;
    } else {
      ++outcome_.done;
    }
    fs::create_directories(point.run_dir);
    atomic_write(status_path(point), status.dump(2) + "\n");
  }

  const SweepPlan& plan_;
  const RunOptions& options_;
  int threads_ = 1;
  std::map<pid_t, PointJob*> running_;
  RunOutcome outcome_;
};

}  // namespace

bool point_done(const SweepPoint& point) { return read_status(point).value("status", "") == "done"; }

void write_manifest(const SweepPlan& plan) {
  nlohmann::json points = nlohmann::json::array();
  for (const SweepPoint& p : plan.points) {
    points.push_back({{"index", p.index}, {"name", p.name}, {"overrides", p.overrides}, {"run_dir", p.run_dir}});
  }
  nlohmann::json manifest{{"name", plan.config.name()}, {"file", plan.file}, {"points", points}};
  if (!plan.config.analysis().compare_along().empty()) manifest["compare_along"] = plan.config.analysis().compare_along();
  fs::create_directories(plan.dir);
  atomic_write(plan.dir + "/sweep.json", manifest.dump(2) + "\n");
}

RunOutcome run_sweep(const SweepPlan& plan, const RunOptions& options) {
  write_manifest(plan);
  return Runner(plan, options).run();
}

}  // namespace rlvr::sweep
