#include "sandbox/worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher_thread.h"
#include "sandbox/request_supervisor.h"
#include "sandbox/zygote_launch.h"

namespace rlvr::sandbox {
namespace {

constexpr int kReadyTimeoutMs = 20000;

// Closes the descriptors it holds when it goes out of scope.
class FdList {
 public:
  ~FdList() {
    for (int fd : fds_) close(fd);
  }
  int add(int fd) {
    if (fd < 0) throw Error(std::string("sandbox: cannot create a pipe or memfd: ") + std::strerror(errno));
    fds_.push_back(fd);
    return fd;
  }
  void close_all() {
    for (int fd : fds_) close(fd);
    fds_.clear();
  }

 private:
  std::vector<int> fds_;
};

std::pair<int, int> make_pipe(FdList& ours, FdList& theirs) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) fds[0] = fds[1] = -1;
  ours.add(fds[0]);
  theirs.add(fds[1]);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  return {fds[0], fds[1]};
}

// A sealed memfd: the program reads it as a file and cannot change it.
int sealed_memfd(const std::string& name, const std::string& data) {
  const int fd = memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return fd;
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t written = write(fd, data.data() + done, data.size() - done);
    if (written <= 0) {
      close(fd);
      return -1;
    }
    done += static_cast<size_t>(written);
  }
  lseek(fd, 0, SEEK_SET);
  fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  return fd;
}

// The request as the zygote reads it. Without a cgroup, memory and process
// counts can only be bounded per process, by rlimits.
std::string request_json(const RunRequest& request, bool per_process_limits) {
  nlohmann::json stages = nlohmann::json::array();
  for (const StageRequest& stage : request.stages) {
    nlohmann::json s;
    if (!stage.python_path.empty()) {
      s["kind"] = "python";
      s["path"] = stage.python_path;
    } else {
      s["kind"] = "exec";
      s["argv"] = stage.argv;
    }
    // Above the limit: the exact bound is rlvr's CPU and wall clocks; this
    // one stops a lone runaway process even if rlvr is slow to look.
    s["cpu_seconds"] = static_cast<int64_t>(stage.time_limit_s) + 2;
    s["address_space_bytes"] = per_process_limits ? stage.memory_bytes : 0;
    s["file_size_bytes"] = stage.file_size_bytes;
    s["open_files"] = stage.open_files;
    s["processes"] = per_process_limits ? stage.processes + 4 : 0;  // + the run's helpers
    stages.push_back(std::move(s));
  }
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, content] : request.files) files[name] = content;
  const nlohmann::json body = {{"scratch_bytes", request.scratch_bytes}, {"files", files}, {"stages", stages}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool send_with_fds(int socket_fd, const std::vector<int>& fds) {
  char payload[] = "run";
  iovec io{payload, sizeof payload};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
  std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
  return sendmsg(socket_fd, &message, MSG_NOSIGNAL) >= 0;
}

std::string drain(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(got));
  return text;
}

}  // namespace

ExecResult sandbox_error(const std::string& why) {
  ExecResult r;
  r.status = Status::kSandboxError;
  r.error = why;
  r.stderr_text = "sandbox error: " + why;
  return r;
}

Worker::Worker(const WorkerSettings& settings, int index) : settings_(settings), index_(index) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  if (started_before_) ++replacements_;
  started_before_ = true;
  if (settings_.use_cgroups) {
    static std::atomic<int> serial{0};
    std::string why_not;
    cgroup_ = WorkerCgroup::create(
        "rlvr-" + std::to_string(getpid()) + "-" + std::to_string(index_) + "-" + std::to_string(serial++),
        &why_not);
    if (!cgroup_) throw Error("sandbox: " + why_not);
  }
  int control[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control) != 0) {
    throw Error(std::string("sandbox: socketpair: ") + std::strerror(errno));
  }
  int errors[2];
  if (pipe2(errors, O_CLOEXEC) != 0) {
    close(control[0]);
    close(control[1]);
    throw Error(std::string("sandbox: pipe: ") + std::strerror(errno));
  }
  ZygoteLaunch launch{settings_.python, settings_.root, control[1], errors[1]};
  try {
    settings_.launcher->run([&] { zygote_ = launch_zygote(launch, cgroup_.get()); });
  } catch (...) {
    for (int fd : {control[0], control[1], errors[0], errors[1]}) close(fd);
    cgroup_.reset();
    throw;
  }
  close(control[1]);
  close(errors[1]);
  control_fd_ = control[0];
  stderr_fd_ = errors[0];
  fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);
  pollfd ready{control_fd_, POLLIN, 0};
  char word[8] = {};
  if (poll(&ready, 1, kReadyTimeoutMs) != 1 || recv(control_fd_, word, sizeof word, 0) != 5 ||
      std::string(word, 5) != "ready") {
    usleep(50000);  // let the interpreter finish printing why
    const std::string why = drain(stderr_fd_);
    stop();
    throw Error("sandbox: the Python zygote (" + settings_.python + ") did not start" +
                (why.empty() ? std::string() : ":\n" + why));
  }
  spdlog::debug("sandbox worker {} ready (zygote pid {}, {})", index_, zygote_,
                cgroup_ ? "cgroup limits" : "rlimit limits");
}

void Worker::stop() {
  if (control_fd_ >= 0) close(control_fd_);  // the zygote reads end-of-file and exits
  control_fd_ = -1;
  if (zygote_ > 0) {
    bool exited = false;
    for (int attempt = 0; attempt < 100 && !exited; ++attempt) {
      exited = waitpid(zygote_, nullptr, WNOHANG) == zygote_;
      if (!exited) usleep(1000);
    }
    if (!exited) {
      kill(zygote_, SIGKILL);
      waitpid(zygote_, nullptr, 0);
    }
  }
  zygote_ = -1;
  if (stderr_fd_ >= 0) close(stderr_fd_);
  stderr_fd_ = -1;
  cgroup_.reset();
}

std::vector<ExecResult> Worker::run(const RunRequest& request,
                                    const std::function<bool(const ExecResult&)>& keep_going) {
  // A zygote can be gone before a request reaches it (it dies with the thread
  // that started it): then nothing ran, and a fresh one takes the request.
  for (int attempt = 0;; ++attempt) {
    if (zygote_ < 0) start();
    std::optional<std::vector<ExecResult>> results = try_run(request, keep_going);
    if (results) {
      if (zygote_ < 0) replace_now();
      return std::move(*results);
    }
    if (attempt == 1) return {sandbox_error("the sandbox worker died twice before taking the request")};
  }
}

void Worker::replace_now() {
  // This request's results are known; failing to start the replacement only
  // means the next request tries again.
  try {
    start();
  } catch (const Error& e) {
    spdlog::warn("sandbox worker {}: replacing it failed, the next request retries: {}", index_, e.what());
  }
}

std::optional<std::vector<ExecResult>> Worker::try_run(
    const RunRequest& request, const std::function<bool(const ExecResult&)>& keep_going) {
  FdList ours, theirs;
  const std::string body = request_json(request, /*per_process_limits=*/!cgroup_);
  const int request_fd = theirs.add(sealed_memfd("rlvr-request", body));
  const auto [status_read, status_write] = make_pipe(ours, theirs);
  int go[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) != 0) go[0] = go[1] = -1;
  ours.add(go[0]);
  theirs.add(go[1]);
  std::vector<int> sent = {request_fd, status_write, go[1]};
  RequestChannels channels{status_read, go[0], {}, {}};
  for (size_t i = 0; i < request.stages.size(); ++i) {
    sent.push_back(theirs.add(sealed_memfd("rlvr-stdin", request.stages[i].stdin_data)));
    const auto [out_read, out_write] = make_pipe(ours, theirs);
    const auto [err_read, err_write] = make_pipe(ours, theirs);
    sent.push_back(out_write);
    sent.push_back(err_write);
    channels.stdout_fds.push_back(out_read);
    channels.stderr_fds.push_back(err_read);
  }
  if (!send_with_fds(control_fd_, sent)) {
    spdlog::debug("sandbox worker {} is gone ({}); restarting it", index_, std::strerror(errno));
    stop();
    return std::nullopt;
  }
  theirs.close_all();  // only the run's processes hold the other ends now
  SupervisedRequest outcome = supervise_request(request, channels, cgroup_.get(), keep_going);
  const std::string zygote_errors = drain(stderr_fd_);
  if (!zygote_errors.empty()) spdlog::warn("sandbox worker {}: {}", index_, zygote_errors);
  if (outcome.worker_broken) stop();
  return std::move(outcome.results);
}

}  // namespace rlvr::sandbox
