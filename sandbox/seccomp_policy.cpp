#include "sandbox/seccomp_policy.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <sched.h>

#include "core/error.h"

namespace rlvr::sandbox {
namespace {

// Calls a test program never needs and that reach beyond its sandbox: the
// kernel's own state, other processes' memory, new namespaces or mounts,
// keyrings, modules, clocks, raw kernel interfaces. They fail with EPERM,
// which well-written programs report rather than crash on.
constexpr const char* kDenied[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr", "unshare", "setns",
    "keyctl", "add_key", "request_key",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "lookup_dcookie",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "syslog",
    "perf_event_open", "bpf", "userfaultfd", "open_by_handle_at", "name_to_handle_at",
    "fanotify_init", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "iopl", "ioperm", "vhangup", "uselib", "nfsservctl", "sethostname", "setdomainname",
    "setrlimit",
};

// clone() flags refused with EPERM: those that would create namespaces
// (CLONE_NEWTIME cannot be passed to clone(): its bit is the exit signal's),
// and CLONE_PARENT, the only way to start a process outside one's own tree:
// its child would be the zygote's rather than the program's. Every other way
// of making processes (fork, vfork, threads, setsid, double forks) stays
// inside the program's tree and its PID namespace, whose end kills them all.
constexpr unsigned long kRefusedCloneFlags[] = {CLONE_NEWUSER, CLONE_NEWNS,     CLONE_NEWPID, CLONE_NEWNET,
                                                CLONE_NEWIPC,  CLONE_NEWUTS,    CLONE_NEWCGROUP,
                                                CLONE_PARENT};

struct ContextDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};

void check(int rc, const std::string& what) {
  if (rc < 0) throw Error("sandbox: building the seccomp filter failed at " + what + ": " + std::strerror(-rc));
}

}  // namespace

std::string seccomp_filter_bpf() {
  std::unique_ptr<void, ContextDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) throw Error("sandbox: seccomp_init failed");
  for (const char* name : kDenied) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not a syscall on this architecture
    check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), nr, 0), name);
  }
  // Changing limits at all (raising soft ones included) or another process's.
  check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(prlimit64), 1,
                         SCMP_A2(SCMP_CMP_NE, 0)),
        "prlimit64");
  for (unsigned long flag : kRefusedCloneFlags) {
    check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                           SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
          "clone");
  }
  // clone3 passes its flags in memory, out of the filter's reach; ENOSYS makes
  // glibc fall back to clone(), whose flags are checked above.
  check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3");

  const int fd = memfd_create("rlvr-seccomp", MFD_CLOEXEC);
  if (fd < 0) throw Error(std::string("sandbox: memfd_create failed: ") + std::strerror(errno));
  const int rc = seccomp_export_bpf(ctx.get(), fd);
  std::string bpf;
  if (rc == 0) {
    const off_t size = lseek(fd, 0, SEEK_END);
    bpf.resize(static_cast<size_t>(size));
    if (pread(fd, bpf.data(), bpf.size(), 0) != size) bpf.clear();
  }
  close(fd);
  check(rc, "export");
  if (bpf.empty()) throw Error("sandbox: reading the exported seccomp filter failed");
  return bpf;
}

}  // namespace rlvr::sandbox
