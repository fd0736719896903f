#include "sandbox/zygote_launch.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "sandbox/cgroup.h"

namespace rlvr::sandbox {
namespace {

// Where the new root is assembled, in the clone's private mount namespace
// (the host's /tmp is untouched).
constexpr const char* kStaging = "/tmp";

enum Step : int {
  kStepSync = 1, kStepIds, kStepPrivateMounts, kStepStagingTmpfs, kStepRootEntry, kStepPivot,
  kStepReadOnlyRoot, kStepDescriptors, kStepExec,
};

const char* step_name(int step) {
  switch (step) {
    case kStepSync: return "waiting for the user namespace's id maps";
    case kStepIds: return "becoming the namespace's root user";
    case kStepPrivateMounts: return "making mounts private";
    case kStepStagingTmpfs: return "mounting the root tmpfs";
    case kStepRootEntry: return "building the root file system";
    case kStepPivot: return "pivot_root into the new root";
    case kStepReadOnlyRoot: return "making the root read-only";
    case kStepDescriptors: return "setting up file descriptors";
    case kStepExec: return "executing the Python interpreter";
  }
  return "unknown step";
}

struct ChildFailure {
  int step;
  int error;
  int entry;  // index of the root entry, for kStepRootEntry
};

// Everything the clone needs, as plain pointers prepared before clone(): the
// child of a multi-threaded process may only make system calls.
struct ChildPlan {
  struct Entry {
    RootEntry::Kind kind;
    const char* staged;  // path under kStaging
    const char* source;
    const char* content;
    size_t content_size;
    int mode;
    bool read_only;
    unsigned long locked_flags;
  };
  std::vector<std::string> staged_paths;
  std::vector<Entry> entries;
  std::vector<const char*> argv;
  std::vector<const char*> envp;
  const char* python;
  int sync_fd, failure_fd, control_fd, stderr_fd;
  pid_t parent;
  bool host_root;
};

[[noreturn]] void child_fail(const ChildPlan& plan, int step, int entry = -1) {
  ChildFailure failure{step, errno, entry};
  (void)!write(plan.failure_fd, &failure, sizeof failure);
  _exit(127);
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

bool make_entry(const ChildPlan::Entry& entry) {
  switch (entry.kind) {
    case RootEntry::Kind::kDirectory:
      return mkdir(entry.staged, entry.mode) == 0 && chmod(entry.staged, entry.mode) == 0;
    case RootEntry::Kind::kSymlink:
      return symlink(entry.source, entry.staged) == 0;
    case RootEntry::Kind::kFile: {
      const int fd = open(entry.staged, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, entry.mode);
      if (fd < 0) return false;
      const bool ok = write_all(fd, entry.content, entry.content_size);
      close(fd);
      return ok;
    }
    case RootEntry::Kind::kBind: {
      if (mount(entry.source, entry.staged, nullptr, MS_BIND, nullptr) != 0) {
        // A mount with locked submounts can only be bound with them.
        if (errno != EINVAL || mount(entry.source, entry.staged, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
          return false;
        }
      }
      if (!entry.read_only) return true;
      return mount(nullptr, entry.staged, nullptr,
                   MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | entry.locked_flags,
                   nullptr) == 0;
    }
  }
  return false;
}

[[noreturn]] void run_child(const ChildPlan& plan) {
  char go = 0;
  if (read(plan.sync_fd, &go, 1) != 1) child_fail(plan, kStepSync);
  // Leave the host's identity: from here on the process is the namespace's
  // root, which the host sees as an unprivileged user.
  // Raw system calls: glibc's wrappers would try to change every thread of the
  // (multi-threaded) parent, whose threads do not exist here, and hang.
  if (syscall(SYS_setresgid, 0, 0, 0) != 0) child_fail(plan, kStepIds);
  if (plan.host_root && syscall(SYS_setgroups, 0, nullptr) != 0) child_fail(plan, kStepIds);
  if (syscall(SYS_setresuid, 0, 0, 0) != 0) child_fail(plan, kStepIds);
  // After the identity change, which clears it: the zygote dies with the
  // rlvr thread that started it.
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid() != plan.parent) _exit(1);
  sethostname("sandbox", 7);
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) child_fail(plan, kStepPrivateMounts);
  if (mount("tmpfs", kStaging, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755") != 0) {
    child_fail(plan, kStepStagingTmpfs);
  }
  for (size_t i = 0; i < plan.entries.size(); ++i) {
    if (!make_entry(plan.entries[i])) child_fail(plan, kStepRootEntry, static_cast<int>(i));
  }
  if (mkdir("/tmp/.old_root", 0700) != 0 || syscall(SYS_pivot_root, kStaging, "/tmp/.old_root") != 0 ||
      chdir("/") != 0 || umount2("/.old_root", MNT_DETACH) != 0 || rmdir("/.old_root") != 0) {
    child_fail(plan, kStepPivot);
  }
  if (mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0) {
    child_fail(plan, kStepReadOnlyRoot);
  }
  // Move the descriptors above the ones they become, then into place: fd 0
  // and 1 /dev/null, 2 the zygote's error pipe, 3 the control socket, 4 the
  // launch-failure pipe (closed by a successful exec).
  const int control = fcntl(plan.control_fd, F_DUPFD, 100);
  const int errors = fcntl(plan.stderr_fd, F_DUPFD, 100);
  const int failure = fcntl(plan.failure_fd, F_DUPFD_CLOEXEC, 100);
  const int null = open("/dev/null", O_RDWR);
  if (control < 0 || errors < 0 || failure < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
      dup2(errors, 2) < 0 || dup2(control, 3) < 0 || dup3(failure, 4, O_CLOEXEC) < 0) {
    child_fail(plan, kStepDescriptors);
  }
  syscall(SYS_close_range, 5U, ~0U, 0U);
  execve(plan.python, const_cast<char* const*>(plan.argv.data()), const_cast<char* const*>(plan.envp.data()));
  ChildFailure failure_record{kStepExec, errno, -1};
  (void)!write(4, &failure_record, sizeof failure_record);
  _exit(127);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  if (!out) {
    throw Error("sandbox: cannot write " + path + " (" + std::strerror(errno) +
                "); user namespaces may be disabled here");
  }
}

// The clone's root is the host's nobody when rlvr runs as root, else rlvr's own user.
void map_identity(pid_t pid, bool host_root) {
  const std::string proc = "/proc/" + std::to_string(pid);
  const std::string outside_uid = host_root ? "65534" : std::to_string(geteuid());
  const std::string outside_gid = host_root ? "65534" : std::to_string(getegid());
  if (!host_root) write_file(proc + "/setgroups", "deny");
  write_file(proc + "/uid_map", "0 " + outside_uid + " 1\n");
  write_file(proc + "/gid_map", "0 " + outside_gid + " 1\n");
}

}  // namespace

pid_t launch_zygote(const ZygoteLaunch& launch, const WorkerCgroup* cgroup) {
  ChildPlan plan;
  plan.staged_paths.reserve(launch.root.size());
  for (const RootEntry& entry : launch.root) plan.staged_paths.push_back(kStaging + entry.path);
  for (size_t i = 0; i < launch.root.size(); ++i) {
    const RootEntry& e = launch.root[i];
    plan.entries.push_back({e.kind, plan.staged_paths[i].c_str(), e.source.c_str(), e.content.data(),
                            e.content.size(), e.mode, e.read_only, e.locked_flags});
  }
  plan.python = launch.python.c_str();
  plan.argv = {plan.python, "-I", "-B", "/rlvr/zygote.py", nullptr};
  // The whole environment programs see: nothing of rlvr's own leaks in.
  plan.envp = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8",
               "LC_ALL=C.UTF-8", "PYTHONIOENCODING=utf-8", nullptr};
  plan.control_fd = launch.control_fd;
  plan.stderr_fd = launch.stderr_fd;
  plan.parent = getpid();
  plan.host_root = geteuid() == 0;

  int sync[2], failure[2];
  if (pipe2(sync, O_CLOEXEC) != 0) throw Error(std::string("sandbox: pipe: ") + std::strerror(errno));
  if (pipe2(failure, O_CLOEXEC) != 0) {
    close(sync[0]);
    close(sync[1]);
    throw Error(std::string("sandbox: pipe: ") + std::strerror(errno));
  }
  plan.sync_fd = sync[0];
  plan.failure_fd = failure[1];
  const long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |
                     CLONE_NEWCGROUP | SIGCHLD;
  const pid_t pid = static_cast<pid_t>(syscall(SYS_clone, flags, nullptr, nullptr, nullptr, 0));
  if (pid == 0) run_child(plan);
  const int clone_error = errno;
  close(sync[0]);
  close(failure[1]);
  auto abandon = [&](const std::string& why) {
    close(sync[1]);
    close(failure[0]);
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    throw Error("sandbox: cannot start a worker: " + why);
  };
  if (pid < 0) {
    abandon(std::string("clone with new user, mount, network, IPC and UTS namespaces failed (") +
            std::strerror(clone_error) + "); unprivileged user namespaces may be disabled "
            "(sysctl kernel.unprivileged_userns_clone / user.max_user_namespaces)");
  }
  try {
    map_identity(pid, plan.host_root);
    if (cgroup != nullptr) cgroup->add_process(pid);
    // Best effort (it needs CAP_SYS_RESOURCE): each program raises its own
    // score to the maximum anyway, so the OOM killer picks it first.
    std::ofstream("/proc/" + std::to_string(pid) + "/oom_score_adj") << "-1000";
  } catch (const Error& e) {
    abandon(e.what());
  }
  if (write(sync[1], "g", 1) != 1) abandon("the clone vanished");
  close(sync[1]);
  ChildFailure child_failure{};
  ssize_t got;
  do {
    got = read(failure[0], &child_failure, sizeof child_failure);
  } while (got < 0 && errno == EINTR);
  close(failure[0]);
  if (got == static_cast<ssize_t>(sizeof child_failure)) {
    waitpid(pid, nullptr, 0);
    std::string what = std::string(step_name(child_failure.step)) + " failed: " + std::strerror(child_failure.error);
    if (child_failure.entry >= 0) {
      const RootEntry& entry = launch.root[static_cast<size_t>(child_failure.entry)];
      what += " (at " + entry.path + (entry.source.empty() ? "" : " from " + entry.source) + ")";
    }
    throw Error("sandbox: cannot start a worker: " + what);
  }
  return pid;
}

}  // namespace rlvr::sandbox
