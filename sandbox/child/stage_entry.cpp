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
#include <ftw.h>
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
#include <sys/stat.h>
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

// Reaps the zygote's children until `target` has ended; returns it, or -1
// when it is not a child. Every other child is a process of the running stage
// that became the zygote's own (its parent is the zygote, not the program: a
// clone with CLONE_PARENT, should seccomp ever let one through). They must be
// reaped here, since the stage's init cannot finish dying while any process
// of its namespace is unreaped, and waiting for the init alone would then
// wait forever.
pid_t reap_until(pid_t target, int* status, rusage* usage) {
  for (;;) {
    int got_status = 0;
    rusage got_usage{};
    const pid_t got = wait4(-1, &got_status, __WALL, &got_usage);
    if (got == target) {
      if (status != nullptr) *status = got_status;
      if (usage != nullptr) *usage = got_usage;
      return got;
    }
    if (got < 0 && errno != EINTR) return -1;
  }
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

// The program's own process, born in the stage's PID namespace (PID 2): it
// joins the stage's mount and IPC namespaces, then limits itself and gives up
// every privilege. Returns 0 when it is ready to run user code; exits on any
// failure. (No parent-death signal: its parent exits at once; the init's does.)
int become_program(const RlvrStageSpec* spec, int init_pidfd) {
  if (setns(init_pidfd, CLONE_NEWNS | CLONE_NEWIPC) != 0) fail(spec, kRlvrStepUnshare);
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
  // Only 0-2 stay open: the status and go channels, the control socket and
  // every other stage's streams belong to the zygote.
  syscall(SYS_close_range, 3U, ~0U, 0U);
  return 0;
}

struct InitArgs {
  const RlvrStageSpec* spec;
  int ready_fd;
};

// PID 1 of the stage, sharing the zygote's memory (no page tables to copy)
// and running only this function on its own stack: mounts the namespace's
// /proc, detaches the host's, then reaps the program's orphans until the
// zygote kills it, which makes the kernel kill whatever is left.
int run_init(void* raw) {
  const InitArgs* args = static_cast<const InitArgs*>(raw);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // Over the host's /proc, which the kernel requires to be visible before it
  // allows this mount: the program sees only its own namespace's processes and
  // can never unmount this one (no capabilities, and seccomp).
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    fail(args->spec, kRlvrStepMountProc);
  }
  // SIGCHLD stays pending while blocked, so no orphan's end slips by between
  // reaping and waiting.
  sigset_t children;
  sigemptyset(&children);
  sigaddset(&children, SIGCHLD);
  sigprocmask(SIG_BLOCK, &children, nullptr);
  (void)!write(args->ready_fd, "r", 1);
  for (;;) {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    int signal_number = 0;
    sigwait(&children, &signal_number);
  }
}

// The stack run_init runs on; one stage runs at a time per zygote.
alignas(64) char init_stack[64 * 1024];

bool read_byte(int fd, char* byte) {
  ssize_t got;
  do {
    got = read(fd, byte, 1);
  } while (got < 0 && errno == EINTR);
  return got == 1;
}

int remove_entry(const char* path, const struct stat*, int type, FTW* where) {
  if (where->level == 0) return 0;  // the directory itself stays
  return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

// Removes everything below `path` (a tmpfs only rlvr's helpers and the
// finished programs wrote to); false if anything is left.
bool empty_directory(const char* path) {
  return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) == 0;
}

// Ends the stage's namespace by killing its init, which kills whatever the
// program left behind, and reports it; returns what rlvr_stage_enter returns.
int end_stage(const RlvrStageSpec* spec, pid_t init, int init_pidfd) {
  syscall(SYS_pidfd_send_signal, init_pidfd, SIGKILL, nullptr, 0);
  reap_until(init, nullptr, nullptr);
  close(init_pidfd);
  write_record(spec->status_fd, kRlvrStageEnded, spec->stage, 0, 0);
  return 1;
}

}  // namespace

extern "C" int rlvr_run_begin(int64_t scratch_bytes) {
  // Adopts each program when the helper that forked it exits.
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return -errno;
  // Emptying the previous request's scratch is much cheaper than a new mount
  // (an unmount waits for an RCU grace period); a new mount is made when the
  // size changes or emptying fails. Every process of that request is gone.
  static int64_t mounted_bytes = 0;
  if (mounted_bytes == scratch_bytes && empty_directory("/tmp")) return 0;
  if (mounted_bytes != 0 && umount2("/tmp", MNT_DETACH) != 0) return -errno;
  mounted_bytes = 0;
  char options[96];
  snprintf(options, sizeof options, "size=%lld,nr_inodes=16384,mode=1777",
           static_cast<long long>(scratch_bytes));
  if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) return -errno;
  mounted_bytes = scratch_bytes;
  return 0;
}

extern "C" int rlvr_stage_enter(const RlvrStageSpec* spec) {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) return -errno;
  InitArgs args{spec, ready[1]};
  int init_pidfd = -1;
  const pid_t init = clone(run_init, init_stack + sizeof init_stack,
                           CLONE_VM | CLONE_PIDFD | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | SIGCHLD,
                           &args, &init_pidfd);
  const int clone_error = errno;
  close(ready[1]);
  if (init < 0) {
    close(ready[0]);
    errno = clone_error;
    write_record(spec->status_fd, kRlvrSetupFailed, spec->stage, kRlvrStepUnshare, errno);
    return 1;
  }
  char byte = 0;
  const bool init_ready = read_byte(ready[0], &byte);
  close(ready[0]);
  if (!init_ready) return end_stage(spec, init, init_pidfd);  // it reported why
  write_record(spec->status_fd, kRlvrStageStarted, spec->stage, 0, 0, init);
  // rlvr sets the stage's limits, then says go (or closes the channel to cancel).
  if (!read_byte(spec->go_fd, &byte) || byte != 'g') return end_stage(spec, init, init_pidfd);
  // A vfork()ed helper enters the stage's PID namespace and forks the program
  // there (PID 2), a copy of the zygote's memory and stack that returns from
  // this function into the zygote's code. The helper exits at once and the
  // zygote, a child subreaper, adopts the program.
  volatile pid_t program = -1;
  const pid_t helper = vfork();
  if (helper == 0) {
    if (setns(init_pidfd, CLONE_NEWPID) != 0) _exit(1);
    const pid_t child = fork();
    if (child == 0) return become_program(spec, init_pidfd);
    program = child;
    _exit(child > 0 ? 0 : 2);
  }
  int helper_status = 0;
  if (helper > 0) reap_until(helper, &helper_status, nullptr);
  if (helper < 0 || !WIFEXITED(helper_status) || WEXITSTATUS(helper_status) != 0) {
    const bool no_namespace = helper > 0 && WIFEXITED(helper_status) && WEXITSTATUS(helper_status) == 1;
    write_record(spec->status_fd, kRlvrSetupFailed, spec->stage,
                 no_namespace ? kRlvrStepUnshare : kRlvrStepFork, 0);
    return end_stage(spec, init, init_pidfd);
  }
  int status = 0;
  rusage usage{};
  reap_until(program, &status, &usage);
  const int64_t cpu_us = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL +
                         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
  write_record(spec->status_fd, kRlvrProgramEnded, spec->stage, status, 0, usage.ru_maxrss, cpu_us);
  return end_stage(spec, init, init_pidfd);
}
