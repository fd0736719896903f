// One pre-started worker: a zygote in its own namespaces and cgroup that runs
// one request at a time. A request is a scratch directory with files and a
// list of stages (compile, then one run per input) that share it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/root_plan.h"
#include "sandbox/sandbox.h"

namespace rlvr::sandbox {

class WorkerCgroup;

struct StageRequest {
  // Either a Python file run by the zygote's interpreter, or a command.
  std::string python_path;
  std::vector<std::string> argv;
  std::string stdin_data;
  double time_limit_s = 2;
  int64_t memory_bytes = 256 << 20;
  int64_t file_size_bytes = 16 << 20;
  int64_t open_files = 256;
  int64_t processes = 64;
  int64_t output_bytes = 1 << 20;
};

struct RunRequest {
  int64_t scratch_bytes = 64 << 20;
  std::map<std::string, std::string> files;  // name in /tmp -> content
  std::vector<StageRequest> stages;
};

class LauncherThread;

// The result of a run the sandbox itself could not carry out: kSandboxError
// with the reason, also in stderr so a reader of the streams sees it.
ExecResult sandbox_error(const std::string& why);

// What every worker of a sandbox shares.
struct WorkerSettings {
  std::string python;
  std::vector<RootEntry> root;
  std::string seccomp_filter;
  bool use_cgroups = true;
  LauncherThread* launcher = nullptr;  // starts the zygotes
};

class Worker {
 public:
  Worker(const WorkerSettings& settings, int index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs the stages in order; after each, `keep_going` decides whether the
  // next one runs. Results are one per stage that ran. A worker that died or
  // stopped responding during the request is replaced before run() returns,
  // so the next request finds a ready one; the stage in flight keeps its
  // program's verdict when its end is known (else kSandboxError), and the
  // stages after it did not run (fewer results than stages).
  std::vector<ExecResult> run(const RunRequest& request,
                              const std::function<bool(const ExecResult&)>& keep_going);

  // Zygotes started after the first: each replaced one that died or stopped
  // responding. Thread-safe.
  int64_t replacements() const { return replacements_; }

 private:
  void start();
  void stop();
  // Starts a fresh zygote after this one was stopped mid-request.
  void replace_now();
  // One attempt; nothing when the zygote was gone before taking the request.
  std::optional<std::vector<ExecResult>> try_run(const RunRequest& request,
                                                 const std::function<bool(const ExecResult&)>& keep_going);

  const WorkerSettings& settings_;
  const int index_;
  pid_t zygote_ = -1;
  int control_fd_ = -1;
  int stderr_fd_ = -1;
  std::unique_ptr<WorkerCgroup> cgroup_;
  bool started_before_ = false;
  std::atomic<int64_t> replacements_{0};
};

}  // namespace rlvr::sandbox
