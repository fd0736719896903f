// The privileged steps of every run, executed inside the worker's user
// namespace (where the zygote holds capabilities) and never by user code: each
// stage gets a new PID namespace whose init reaps everything and reports to
// rlvr, and the program's process drops every capability, limits itself and
// installs the seccomp filter before it returns to the zygote's code.
//
// Built into librlvr_sandbox_child.so (loaded by the Python zygote through
// ctypes), so it uses only libc: no C++ runtime, no exceptions.
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/child/stage_protocol.h"

namespace {

void write_record(int fd, int32_t kind, int32_t stage, int32_t value, int32_t error, int64_t a = 0,
                  int64_t b = 0) {
  RlvrStatusRecord record{kind, stage, value, error, a, b};
  // A record is far below PIPE_BUF, so the write is atomic; nothing to retry
  // but EINTR.
  while (write(fd, &record, sizeof record) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void fail(const RlvrStageSpec* spec, RlvrSetupStep step) {
  write_record(spec->status_fd, kRlvrSetupFailed, spec->stage, step, errno);
  _exit(127);
}

pid_t wait_retrying(pid_t pid, int* status, rusage* usage) {
  pid_t got;
  do {
    got = wait4(pid, status, 0, usage);
  } while (got < 0 && errno == EINTR);
  return got;
}

bool set_hard_limit(int resource, int64_t value) {
  rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  return setrlimit(resource, &limit) == 0;
}

// A limit of 0 in the spec leaves that resource as inherited; core files,
// locked memory and message queues are always off.
void apply_limits(const RlvrStageSpec* spec) {
  const struct {
    int resource;
    int64_t value;
  } limits[] = {{RLIMIT_CPU, spec->cpu_seconds},     {RLIMIT_AS, spec->address_space_bytes},
                {RLIMIT_FSIZE, spec->file_size_bytes}, {RLIMIT_NOFILE, spec->open_files},
                {RLIMIT_NPROC, spec->processes}};
  for (const auto& limit : limits) {
    if (limit.value > 0 && !set_hard_limit(limit.resource, limit.value)) fail(spec, kRlvrStepRlimit);
  }
  const int always_off[] = {RLIMIT_CORE, RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE};
  for (int resource : always_off) {
    if (!set_hard_limit(resource, 0)) fail(spec, kRlvrStepRlimit);
  }
}

// No capability can ever come back: the bounding and ambient sets are emptied,
// root's special treatment on exec is switched off and locked, and the
// effective, permitted and inheritable sets are cleared.
void drop_capabilities(const RlvrStageSpec* spec) {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) fail(spec, kRlvrStepDropCapabilities);
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    fail(spec, kRlvrStepDropCapabilities);
  }
  const unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                             SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                             SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
  if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0) fail(spec, kRlvrStepDropCapabilities);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capset, &header, data) != 0) fail(spec, kRlvrStepDropCapabilities);
}

void install_seccomp(const RlvrStageSpec* spec) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(spec, kRlvrStepNoNewPrivs);
  if (spec->filter == nullptr || spec->filter_bytes <= 0 ||
      spec->filter_bytes % static_cast<int64_t>(sizeof(sock_filter)) != 0) {
    errno = EINVAL;
    fail(spec, kRlvrStepSeccomp);
  }
  sock_fprog program{static_cast<unsigned short>(spec->filter_bytes / sizeof(sock_filter)),
                     static_cast<sock_filter*>(const_cast<void*>(spec->filter))};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) fail(spec, kRlvrStepSeccomp);
}

void set_oom_score(const char* value) {
  const int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the cgroup still bounds the run
  (void)!write(fd, value, strlen(value));
  close(fd);
}

// The program's own process (PID 2 of the stage's namespace). Returns 0 when
// it is ready to run user code; exits on any failure.
int become_program(const RlvrStageSpec* spec) {
  setsid();  // its own session and group: kill(0, ...) reaches only the program
  // The OOM killer should pick the program, never the helpers that report it.
  set_oom_score("1000");
  if (chdir("/tmp") != 0) fail(spec, kRlvrStepChdir);
  apply_limits(spec);
  drop_capabilities(spec);
  install_seccomp(spec);
  if (dup2(spec->stdin_fd, 0) < 0 || dup2(spec->stdout_fd, 1) < 0 || dup2(spec->stderr_fd, 2) < 0) {
    fail(spec, kRlvrStepStdio);
  }
  // Only 0-2 stay open: the status and go pipes and every other stage's
  // streams belong to the helpers.
  syscall(SYS_close_range, 3U, ~0U, 0U);
  return 0;
}

// PID 1 of the stage: mounts this namespace's /proc, waits for rlvr to set
// the limits, starts the program and reports how it ended. When it exits the
// kernel kills whatever else is left in the namespace.
int run_init(const RlvrStageSpec* spec) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // This namespace's own /proc; the host's, which the kernel required to
  // allow that mount, goes before any program can see it.
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0 ||
      umount2("/.host_proc", MNT_DETACH) != 0) {
    fail(spec, kRlvrStepMountProc);
  }
  char go = 0;
  ssize_t got;
  do {
    got = read(spec->go_fd, &go, 1);
  } while (got < 0 && errno == EINTR);
  if (got != 1 || go != 'g') _exit(0);  // rlvr cancelled the stage

  const pid_t program = fork();
  if (program < 0) fail(spec, kRlvrStepFork);
  if (program == 0) return become_program(spec);

  close(spec->stdin_fd);
  close(spec->stdout_fd);
  close(spec->stderr_fd);
  for (;;) {
    int status = 0;
    rusage usage{};
    const pid_t reaped = wait_retrying(-1, &status, &usage);
    if (reaped < 0) _exit(0);
    if (reaped != program) continue;  // an orphan of the program
    rusage all{};
    getrusage(RUSAGE_CHILDREN, &all);
    const int64_t cpu_us = (all.ru_utime.tv_sec + all.ru_stime.tv_sec) * 1000000LL +
                           all.ru_utime.tv_usec + all.ru_stime.tv_usec;
    write_record(spec->status_fd, kRlvrProgramEnded, spec->stage, status, 0, all.ru_maxrss, cpu_us);
    _exit(0);
  }
}

}  // namespace

extern "C" int rlvr_run_begin(int64_t scratch_bytes) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (unshare(CLONE_NEWNS) != 0) return -errno;
  char options[96];
  snprintf(options, sizeof options, "size=%lld,nr_inodes=16384,mode=1777",
           static_cast<long long>(scratch_bytes));
  if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) return -errno;
  if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) != 0) return -errno;
  return 0;
}

extern "C" int rlvr_stage_enter(const RlvrStageSpec* spec) {
  const pid_t caller = getpid();
  const pid_t shim = fork();
  if (shim < 0) return -errno;
  if (shim > 0) {
    int status = 0;
    wait_retrying(shim, &status, nullptr);
    return 1;
  }
  // The shim: owns the new namespaces (unshare(CLONE_NEWPID) can be done once
  // per process, so each stage needs its own) and reports its init's fate.
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid() != caller) _exit(0);
  if (unshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC) != 0) fail(spec, kRlvrStepUnshare);
  const pid_t init = fork();
  if (init < 0) fail(spec, kRlvrStepFork);
  if (init == 0) return run_init(spec);
  write_record(spec->status_fd, kRlvrStageStarted, spec->stage, 0, 0, init);
  close(spec->stdin_fd);
  close(spec->stdout_fd);
  close(spec->stderr_fd);
  close(spec->go_fd);
  int status = 0;
  wait_retrying(init, &status, nullptr);
  write_record(spec->status_fd, kRlvrStageEnded, spec->stage, status, 0);
  _exit(0);
}
