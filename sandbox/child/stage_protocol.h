// The records a run's helper processes write to the supervisor (rlvr) on the
// status pipe, and the per-stage settings the zygote passes to the entry
// library. Plain C layout: shared by rlvr and librlvr_sandbox_child.so, which
// the Python zygote calls through ctypes.
#pragma once

#include <stdint.h>

extern "C" {

enum RlvrRecordKind : int32_t {
  // The stage's init process exists and waits for the go byte; `a` = its host pid.
  kRlvrStageStarted = 1,
  // The program's first process ended: `value` = wait status, `a` = largest
  // maxrss (KB) of the run's reaped processes, `b` = their CPU time (µs).
  kRlvrProgramEnded = 2,
  // Isolating the stage failed: `value` = RlvrSetupStep, `error` = errno.
  kRlvrSetupFailed = 3,
  // The stage's init was reaped (every process of the stage is gone): `value` = wait status.
  kRlvrStageEnded = 4,
};

enum RlvrSetupStep : int32_t {
  kRlvrStepFork = 1,
  kRlvrStepUnshare = 2,
  kRlvrStepMountProc = 3,
  kRlvrStepRlimit = 4,
  kRlvrStepDropCapabilities = 5,
  kRlvrStepNoNewPrivs = 6,
  kRlvrStepSeccomp = 7,
  kRlvrStepStdio = 8,
  kRlvrStepChdir = 9,
  kRlvrStepScratch = 10,  // rlvr_run_begin failed (reported by the zygote)
  kRlvrStepRequest = 11,  // the zygote could not read or carry out the request
};

struct RlvrStatusRecord {
  int32_t kind;
  int32_t stage;
  int32_t value;
  int32_t error;
  int64_t a;
  int64_t b;
};

// One stage (a compiler run or a program run) of a request.
struct RlvrStageSpec {
  int32_t stage;
  int32_t stdin_fd;
  int32_t stdout_fd;
  int32_t stderr_fd;
  int32_t status_fd;
  int32_t go_fd;
  // Hard rlimits; 0 leaves the limit as inherited.
  int64_t cpu_seconds;
  int64_t address_space_bytes;  // only where no memory cgroup is available
  int64_t file_size_bytes;
  int64_t open_files;
  int64_t processes;            // RLIMIT_NPROC; only where no pids cgroup is available
  // Seccomp BPF program (struct sock_filter array) and its length in bytes.
  const void* filter;
  int64_t filter_bytes;
};

// In the run's process (a fresh fork of the zygote): a private mount namespace
// with an empty size-limited /tmp and /dev/shm. Returns 0 or -errno.
int rlvr_run_begin(int64_t scratch_bytes);

// Runs one stage: forks a process in a new PID, mount and IPC namespace whose
// init waits for the go byte, then forks the program. Returns 0 in the program's
// process, isolated and limited (the caller then execs or runs the program);
// returns 1 in the caller once the stage is over; -errno if it could not fork.
int rlvr_stage_enter(const RlvrStageSpec* spec);

}  // extern "C"
