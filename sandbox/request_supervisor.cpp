#include "sandbox/request_supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <spdlog/spdlog.h>

#include "sandbox/cgroup.h"
#include "sandbox/child/stage_protocol.h"

namespace rlvr::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

// How often the CPU time of a running stage is checked (it spans processes,
// so no single rlimit can bound it).
constexpr auto kCpuPollInterval = std::chrono::milliseconds(10);
// A stage that has not started within this long means the worker itself is
// stuck (no user code runs before the start: this is the zygote's own work).
constexpr auto kStartWithin = std::chrono::seconds(20);
// Once its program has ended or been killed, a stage is over (its init
// reaped, its streams closed) within milliseconds; a worker that takes longer
// is stuck. The stage keeps the verdict its program earned, the worker is
// replaced, and the caller gets that verdict within the time limit plus this.
constexpr auto kEndWithin = std::chrono::seconds(1);

const char* setup_step_name(int step) {
  switch (step) {
    case kRlvrStepFork: return "fork";
    case kRlvrStepUnshare: return "creating the PID, mount and IPC namespaces";
    case kRlvrStepMountProc: return "mounting /proc";
    case kRlvrStepRlimit: return "setting resource limits";
    case kRlvrStepDropCapabilities: return "dropping capabilities";
    case kRlvrStepNoNewPrivs: return "setting no_new_privs";
    case kRlvrStepSeccomp: return "installing the seccomp filter";
    case kRlvrStepStdio: return "connecting stdin/stdout/stderr";
    case kRlvrStepChdir: return "entering /tmp";
    case kRlvrStepScratch: return "mounting the scratch /tmp";
    case kRlvrStepRequest: return "reading the request";
  }
  return "an unknown step";
}

int64_t ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

struct Stage {
  bool started = false;
  bool program_ended = false;
  bool init_ended = false;
  bool stdout_open = true;
  bool stderr_open = true;
  bool timed_out = false;
  bool output_exceeded = false;
  bool killed = false;
  int pidfd = -1;
  Clock::time_point go_time, end_time, kill_time, cpu_checked;
  int64_t cpu_start_ns = 0;
  int64_t oom_start = 0;
  int64_t memory_base = 0;
  int wait_status = 0;
  int64_t maxrss_kb = 0;
  int64_t cpu_us = 0;
  std::string setup_error;
  std::string out, err;

  bool complete() const { return init_ended && !stdout_open && !stderr_open; }
};

class Supervisor {
 public:
  Supervisor(const RunRequest& request, const RequestChannels& channels, const WorkerCgroup* cgroup,
             const std::function<bool(const ExecResult&)>& keep_going)
      : request_(request), channels_(channels), cgroup_(cgroup), keep_going_(keep_going),
        stages_(request.stages.size()) {
    waiting_since_ = Clock::now();
  }

  SupervisedRequest run() {
    while (!status_closed_ || (current_ < stages_.size() && stages_[current_].started)) {
      if (!step()) break;
    }
    for (Stage& stage : stages_) {
      if (stage.pidfd >= 0) close(stage.pidfd);
    }
    // The zygote closed the status channel with stages left: it is gone.
    if (status_closed_ && current_ < stages_.size()) outcome_.worker_broken = true;
    if (outcome_.results.empty() && !request_.stages.empty()) {
      outcome_.worker_broken = true;
      outcome_.results.push_back(sandbox_error(request_error_.empty()
                                                   ? "the worker ended the run before it started"
                                                   : request_error_));
    }
    return std::move(outcome_);
  }

 private:
  // One round of waiting and handling; false to give up on the worker.
  bool step() {
    const bool active = current_ < stages_.size();
    Stage* stage = active ? &stages_[current_] : nullptr;
    pollfd fds[3];
    nfds_t count = 0;
    if (!status_closed_) fds[count++] = {channels_.status_fd, POLLIN, 0};
    if (stage != nullptr && stage->stdout_open) fds[count++] = {channels_.stdout_fds[current_], POLLIN, 0};
    if (stage != nullptr && stage->stderr_open) fds[count++] = {channels_.stderr_fds[current_], POLLIN, 0};
    if (count == 0 && stage != nullptr && !stage->complete()) {
      // Only the init's end is missing and no channel is left to tell it.
      stage->init_ended = true;
    }
    poll(fds, count, timeout_ms(stage));
    read_status();
    if (stage != nullptr) {
      read_stream(channels_.stdout_fds[current_], *stage, stage->out, stage->stdout_open);
      read_stream(channels_.stderr_fds[current_], *stage, stage->err, stage->stderr_open);
      enforce_limits(*stage);
      if (stage->complete()) finish_stage();
    }
    const bool program_running = stage != nullptr && stage->started && !stage->killed && !stage->program_ended;
    const bool ending = stage != nullptr && stage->started && !program_running;
    if (!program_running && Clock::now() - waiting_since_ > (ending ? kEndWithin : kStartWithin)) {
      give_up_on_worker(stage);
      return false;
    }
    return true;
  }

  // The worker stopped responding: the stage in flight gets the verdict its
  // program earned when its end is known (it ended, or rlvr killed it), else
  // SE; the worker is replaced.
  void give_up_on_worker(Stage* stage) {
    request_error_ = "the worker stopped responding";
    outcome_.worker_broken = true;
    if (stage == nullptr) return;
    const bool program_over = stage->program_ended || stage->killed;
    spdlog::warn("sandbox: a worker stopped responding {} of stage {}; replacing it",
                 program_over ? "after the end (or kill) of the program" : "before the start", current_);
    if (stage->started) kill_stage(*stage);
    outcome_.results.push_back(program_over ? judge(*stage, request_.stages[current_])
                                            : sandbox_error(request_error_));
  }

  int timeout_ms(const Stage* stage) const {
    if (stage == nullptr || !stage->started || stage->program_ended || stage->killed) return 100;
    const auto limit = std::chrono::duration<double>(request_.stages[current_].time_limit_s);
    const auto left = stage->go_time + std::chrono::duration_cast<Clock::duration>(limit) - Clock::now();
    const auto wait = std::min<Clock::duration>(std::max<Clock::duration>(left, Clock::duration(0)),
                                                cgroup_ != nullptr ? Clock::duration(kCpuPollInterval)
                                                                   : Clock::duration(std::chrono::seconds(1)));
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()) + 1;
  }

  void read_status() {
    if (status_closed_) return;
    char buffer[4096];
    for (;;) {
      const ssize_t got = read(channels_.status_fd, buffer, sizeof buffer);
      if (got > 0) {
        status_bytes_.append(buffer, static_cast<size_t>(got));
        continue;
      }
      if (got == 0) status_closed_ = true;
      if (got < 0 && errno == EINTR) continue;
      break;
    }
    while (status_bytes_.size() >= sizeof(RlvrStatusRecord)) {
      RlvrStatusRecord record;
      std::memcpy(&record, status_bytes_.data(), sizeof record);
      status_bytes_.erase(0, sizeof record);
      handle(record);
    }
  }

  void handle(const RlvrStatusRecord& record) {
    if (record.stage < 0) {
      request_error_ = std::string("the sandbox failed at ") + setup_step_name(record.value) + ": " +
                       std::strerror(record.error);
      if (current_ < stages_.size()) {
        stages_[current_].setup_error = request_error_;
        stages_[current_].init_ended = true;
      }
      return;
    }
    if (current_ >= stages_.size() || static_cast<size_t>(record.stage) < current_) return;
    if (static_cast<size_t>(record.stage) > current_) {
      // The next stage may report before this one's streams have closed.
      pending_.push_back(record);
      return;
    }
    Stage& stage = stages_[current_];
    switch (record.kind) {
      case kRlvrStageStarted: start_stage(stage, static_cast<pid_t>(record.a)); break;
      case kRlvrProgramEnded:
        stage.program_ended = true;
        stage.end_time = Clock::now();
        waiting_since_ = stage.end_time;
        stage.wait_status = record.value;
        stage.maxrss_kb = record.a;
        stage.cpu_us = record.b;
        break;
      case kRlvrSetupFailed:
        if (stage.setup_error.empty()) {
          stage.setup_error = std::string("the sandbox failed at ") + setup_step_name(record.value) + ": " +
                              std::strerror(record.error);
        }
        if (!stage.started) stage.init_ended = true;  // the shim failed before the init existed
        break;
      case kRlvrStageEnded: stage.init_ended = true; break;
      default: break;
    }
  }

  void start_stage(Stage& stage, pid_t init) {
    if (stopped_) return;  // its init reads end-of-file and exits
    stage.pidfd = static_cast<int>(syscall(SYS_pidfd_open, init, 0));
    const StageRequest& spec = request_.stages[current_];
    if (cgroup_ != nullptr) {
      stage.memory_base = cgroup_->memory_usage();
      // Rounded up, so that the limit is rewritten only when the worker's own
      // memory (the zygote, the scratch files) has grown noticeably.
      constexpr int64_t kGrain = 16 << 20;
      cgroup_->set_memory_limit((stage.memory_base + kGrain - 1) / kGrain * kGrain + spec.memory_bytes);
      cgroup_->set_process_limit(spec.processes + 4);  // + zygote, run, shim, init
      cgroup_->reset_memory_peak();
      stage.oom_start = cgroup_->oom_kills();
      stage.cpu_start_ns = cgroup_->cpu_usage_ns();
    }
    stage.started = true;
    stage.go_time = Clock::now();
    stage.cpu_checked = stage.go_time;
    waiting_since_ = stage.go_time;
    const char go = 'g';
    if (send(channels_.go_fd, &go, 1, MSG_NOSIGNAL) != 1) stage.setup_error = "the stage's init is gone";
  }

  void read_stream(int fd, Stage& stage, std::string& text, bool& open) {
    if (!open) return;
    char buffer[65536];
    const size_t cap = static_cast<size_t>(request_.stages[current_].output_bytes);
    for (;;) {
      const ssize_t got = read(fd, buffer, sizeof buffer);
      if (got > 0) {
        const size_t room = cap > text.size() ? cap - text.size() : 0;
        text.append(buffer, std::min(room, static_cast<size_t>(got)));
        if (static_cast<size_t>(got) > room && !stage.output_exceeded) {
          stage.output_exceeded = true;
          kill_stage(stage);
        }
        continue;
      }
      if (got == 0) open = false;
      if (got < 0 && errno == EINTR) continue;
      return;
    }
  }

  void enforce_limits(Stage& stage) {
    if (!stage.started || stage.program_ended || stage.killed) return;
    const StageRequest& spec = request_.stages[current_];
    const auto now = Clock::now();
    const double wall = std::chrono::duration<double>(now - stage.go_time).count();
    bool over_cpu = false;
    if (cgroup_ != nullptr && now - stage.cpu_checked >= kCpuPollInterval) {
      stage.cpu_checked = now;
      over_cpu = static_cast<double>(cgroup_->cpu_usage_ns() - stage.cpu_start_ns) > spec.time_limit_s * 1e9;
    }
    if (wall > spec.time_limit_s || over_cpu) {
      stage.timed_out = true;
      kill_stage(stage);
    }
  }

  void kill_stage(Stage& stage) {
    if (stage.killed) return;
    stage.killed = true;
    stage.kill_time = Clock::now();
    waiting_since_ = stage.kill_time;
    // Killing the init ends its PID namespace: the kernel kills every process in it.
    if (stage.pidfd >= 0) syscall(SYS_pidfd_send_signal, stage.pidfd, SIGKILL, nullptr, 0);
  }

  void finish_stage() {
    Stage& stage = stages_[current_];
    ExecResult result = judge(stage, request_.stages[current_]);
    if (stage.pidfd >= 0) {
      close(stage.pidfd);
      stage.pidfd = -1;
    }
    outcome_.results.push_back(result);
    ++current_;
    waiting_since_ = Clock::now();
    if (current_ < stages_.size() && (result.status == Status::kSandboxError || !keep_going_(result))) {
      stopped_ = true;
      shutdown(channels_.go_fd, SHUT_WR);
      current_ = stages_.size();
    }
    std::vector<RlvrStatusRecord> early;
    early.swap(pending_);
    for (const RlvrStatusRecord& record : early) handle(record);
  }

  ExecResult judge(const Stage& stage, const StageRequest& spec) const {
    ExecResult r;
    r.stdout_text = stage.out;
    r.stderr_text = stage.err;
    if (!stage.setup_error.empty()) return sandbox_error(stage.setup_error);
    if (!stage.started) return sandbox_error("the stage never started");
    const Clock::time_point end = stage.program_ended ? stage.end_time
                                  : stage.killed      ? stage.kill_time
                                                      : Clock::now();
    r.wall_ms = ms_between(stage.go_time, end);
    bool oom = false;
    r.cpu_ms = stage.cpu_us / 1000;
    r.peak_rss_kb = stage.maxrss_kb;
    if (cgroup_ != nullptr) {
      r.cpu_ms = std::max<int64_t>(r.cpu_ms, (cgroup_->cpu_usage_ns() - stage.cpu_start_ns) / 1000000);
      oom = cgroup_->oom_kills() > stage.oom_start;
      const int64_t peak = cgroup_->memory_peak();
      if (!stage.program_ended && peak > stage.memory_base) r.peak_rss_kb = (peak - stage.memory_base) / 1024;
    }
    const bool over_time = r.cpu_ms > spec.time_limit_s * 1000;
    if (stage.program_ended) {
      if (WIFEXITED(stage.wait_status)) {
        r.exit_code = WEXITSTATUS(stage.wait_status);
      } else if (WIFSIGNALED(stage.wait_status)) {
        r.signal = WTERMSIG(stage.wait_status);
      }
    } else if (stage.killed) {
      r.signal = SIGKILL;
    }
    if (stage.output_exceeded) {
      r.status = Status::kOutputLimit;
    } else if (stage.timed_out || (r.signal == SIGXCPU) || (r.signal == SIGKILL && over_time)) {
      r.status = Status::kTimeLimit;
    } else if (oom && r.exit_code != 0) {
      r.status = Status::kMemoryLimit;
    } else if (r.signal == SIGXFSZ) {
      r.status = Status::kOutputLimit;
    } else if (!stage.program_ended) {
      return sandbox_error("the stage's init ended before the program did");
    } else if (over_time) {
      r.status = Status::kTimeLimit;
    } else {
      r.status = r.exit_code == 0 ? Status::kOk : Status::kRuntimeError;
    }
    return r;
  }

  const RunRequest& request_;
  const RequestChannels& channels_;
  const WorkerCgroup* cgroup_;
  const std::function<bool(const ExecResult&)>& keep_going_;
  std::vector<Stage> stages_;
  size_t current_ = 0;
  bool status_closed_ = false;
  bool stopped_ = false;
  std::string status_bytes_;
  std::vector<RlvrStatusRecord> pending_;
  std::string request_error_;
  Clock::time_point waiting_since_;
  SupervisedRequest outcome_;
};

}  // namespace

SupervisedRequest supervise_request(const RunRequest& request, const RequestChannels& channels,
                                    const WorkerCgroup* cgroup,
                                    const std::function<bool(const ExecResult&)>& keep_going) {
  return Supervisor(request, channels, cgroup, keep_going).run();
}

}  // namespace rlvr::sandbox
