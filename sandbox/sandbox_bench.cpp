#include "sandbox/sandbox_bench.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "sandbox/sandbox.h"

extern char** environ;

namespace rlvr::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kHello = "print('Hello, World!')\n";
// A typical test-driven task: read numbers, print their sum; ten inputs.
constexpr const char* kSum = "import sys\nd = sys.stdin.read().split()\nprint(sum(map(int, d[1:])))\n";

struct Workload {
  std::string name;
  std::string source;
  std::vector<std::string> inputs;
  std::vector<std::string> expected;
};

std::vector<Workload> workloads() {
  Workload hello{"hello world", kHello, {""}, {"Hello, World!\n"}};
  Workload task{"10-test task", kSum, {}, {}};
  for (int t = 1; t <= 10; ++t) {
    std::string input = std::to_string(t);
    long sum = 0;
    for (int i = 1; i <= t; ++i) {
      input += " " + std::to_string(i * 37);
      sum += i * 37;
    }
    task.inputs.push_back(input + "\n");
    task.expected.push_back(std::to_string(sum) + "\n");
  }
  return {hello, task};
}

// The baseline: python3 started per run with fork/exec, stdin and stdout
// through pipes, no isolation at all.
std::string run_plain(const std::string& python, const std::string& program, const std::string& input, bool* ok) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw Error("bench: pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  const char* argv[] = {python.c_str(), program.c_str(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, python.c_str(), &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (rc != 0) throw Error("bench: cannot start " + python);
  (void)!write(in[1], input.data(), input.size());
  close(in[1]);
  std::string text;
  char buffer[4096];
  ssize_t got;
  while ((got = read(out[0], buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(got));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  *ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return text;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
  return values[index];
}

// Runs `requests` calls of `one` (each returns its failures) from `clients` threads.
BenchRow measure(const std::string& workload, const std::string& system, int runs_per_request, int clients,
                 int requests, const std::function<int()>& one) {
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::mutex mutex;
  std::vector<double> latencies;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      while (next++ < requests) {
        const auto t0 = Clock::now();
        failures += one();
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard<std::mutex> lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  BenchRow row;
  row.workload = workload;
  row.system = system;
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  row.executions = requests * runs_per_request;
  row.executions_per_second = row.executions / row.seconds;
  row.p50_ms = percentile(latencies, 0.5);
  row.p99_ms = percentile(latencies, 0.99);
  row.failures = failures;
  return row;
}

}  // namespace

BenchReport bench_sandbox(const config::SandboxConfig& config, int clients, int requests) {
  Sandbox box(config);
  BenchReport report;
  report.clients = clients;
  report.workers = worker_count(config);
  report.python = config.python();
  const Limits limits = box.default_limits();
  char scratch[] = "/tmp/rlvr-bench-XXXXXX";
  if (mkdtemp(scratch) == nullptr) throw Error("bench: cannot create a scratch directory in /tmp");
  const std::string dir = scratch;
  for (const Workload& w : workloads()) {
    // Warm-up: every worker started, the page cache hot for both systems.
    for (int i = 0; i < report.workers; ++i) box.run_batch(Language::kPython, w.source, w.inputs, limits);
    const std::string program = dir + "/prog.py";
    std::ofstream(program) << w.source;
    const int runs = static_cast<int>(w.inputs.size());
    report.rows.push_back(measure(w.name, "rlvr pool", runs, clients, requests, [&] {
      const BatchResult batch = box.run_batch(Language::kPython, w.source, w.inputs, limits);
      int failed = runs - static_cast<int>(batch.runs.size());
      for (size_t i = 0; i < batch.runs.size(); ++i) {
        failed += batch.runs[i].status != Status::kOk || batch.runs[i].stdout_text != w.expected[i];
      }
      return failed;
    }));
    report.rows.push_back(measure(w.name, "fork/exec python3", runs, clients, requests, [&] {
      int failed = 0;
      for (size_t i = 0; i < w.inputs.size(); ++i) {
        bool ok = false;
        failed += run_plain(config.python(), program, w.inputs[i], &ok) != w.expected[i] || !ok;
      }
      return failed;
    }));
    std::remove(program.c_str());
  }
  rmdir(dir.c_str());
  return report;
}

}  // namespace rlvr::sandbox
