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
  // The program's first process ended: `value` = wait status, `a` = its maxrss
  // (KB) and `b` its CPU time (µs), each with the children it waited for.
  kRlvrProgramEnded = 2,
  // Isolating the stage failed: `value` = RlvrSetupStep, `error` = errno.
  kRlvrSetupFailed = 3,
  // The stage's init was killed and reaped: every process of the stage is gone.
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

// In the zygote, per request: replaces /tmp with an empty size-limited tmpfs
// (/dev/shm links there). Returns 0 or -errno.
int rlvr_run_begin(int64_t scratch_bytes);

// Runs one stage: starts an init in new PID, mount and IPC namespaces, reports
// it, waits for the go byte, then forks the program into those namespaces.
// Returns 0 in the program's process, isolated and limited (the caller then
// execs or runs the program); returns 1 in the zygote once the stage is over
// and every process of it is gone (failures are reported as records).
int rlvr_stage_enter(const RlvrStageSpec* spec);

}  // extern "C"
