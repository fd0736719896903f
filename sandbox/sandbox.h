// Sandbox: runs untrusted programs (Python 3 or C++) in fresh Linux namespaces
// under seccomp and resource limits, from a pool of pre-started workers.
//
// Every run gets new PID, mount and IPC namespaces inside its worker's user,
// network and UTS namespaces, a private size-limited /tmp, read-only views of
// /usr, no network, a scrubbed environment and only fds 0-2; every process it
// starts is dead when run() returns. Where isolation cannot be set up the result
// is kSandboxError with the reason: nothing ever runs unsandboxed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.pb.h"

namespace rlvr::sandbox {

enum class Language { kPython, kCpp };

const char* language_name(Language language);  // "python", "cpp"
// Throws rlvr::ConfigError naming the known languages.
Language parse_language(const std::string& name);

enum class Status {
  kOk,             // OK: exited with status 0
  kRuntimeError,   // RE: non-zero exit or killed by a signal
  kTimeLimit,      // TLE: CPU or wall-clock time over the limit
  kMemoryLimit,    // MLE: memory over the limit
  kOutputLimit,    // OLE: stdout or stderr over the output cap, or a file over the size limit
  kCompileError,   // CE: the compiler failed or exceeded its own limits
  kSandboxError,   // SE: the sandbox itself failed; ExecResult::error says why
};

const char* status_name(Status status);  // "OK", "RE", "TLE", "MLE", "OLE", "CE", "SE"

// Per-run limits; the rest (processes, files, output) come from SandboxConfig.
struct Limits {
  double time_limit_s = 2;
  int64_t memory_limit_mb = 256;
};

struct ExecResult {
  Status status = Status::kSandboxError;
  int exit_code = -1;       // the exit status when the program exited, else -1
  int signal = 0;           // the signal that ended it, 0 when it exited
  std::string stdout_text;  // at most SandboxConfig.max_output_bytes, raw bytes
  std::string stderr_text;
  int64_t wall_ms = 0;
  int64_t cpu_ms = 0;       // all threads and processes of the run
  int64_t peak_rss_kb = 0;  // largest resident set of any of its processes
  std::string error;        // why, for kSandboxError
};

// One program run on several inputs (a task's tests): C++ is compiled once.
struct BatchResult {
  // The compiler's run; kOk with empty streams when nothing was compiled.
  // When it is not kOk its status is kCompileError, or kSandboxError when the
  // sandbox itself failed before any input ran, and `runs` is empty.
  ExecResult compile;
  // One result per input, in order; shorter when keep_going stopped the batch.
  std::vector<ExecResult> runs;
};

// Called after each input's run; returning false skips the remaining inputs.
using KeepGoing = std::function<bool(size_t input_index, const ExecResult& result)>;

class Sandbox {
 public:
  // Checks the config (interpreter and compiler exist, limits make sense) and
  // throws rlvr::ConfigError before anything runs. Workers start on first use.
  explicit Sandbox(const config::SandboxConfig& config);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Thread-safe: up to `workers` runs proceed at once, the rest wait.
  // Throws rlvr::ConfigError for limits that make no sense.
  BatchResult run_batch(Language language, const std::string& source,
                        const std::vector<std::string>& stdins, const Limits& limits,
                        const KeepGoing& keep_going = nullptr);
  ExecResult run(Language language, const std::string& source, const std::string& stdin_data,
                 const Limits& limits);

  // Workers replaced since construction because one died or stopped
  // responding (each is replaced at once; no run fails for it). Non-zero
  // means something went wrong: it is also logged as a warning.
  int64_t workers_replaced() const;

  // The config's default time and memory limits.
  Limits default_limits() const;
  // Throws rlvr::ConfigError when `language` cannot run with this config
  // (its interpreter or compiler is not installed).
  void require_language(Language language) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Workers a Sandbox with this config starts: config.workers, or two per core.
int worker_count(const config::SandboxConfig& config);

// The JSON object of the `rlvr exec` contract: status, exit_code, signal,
// stdout, stderr (invalid UTF-8 escaped), wall_ms, cpu_ms, peak_rss_kb.
std::string to_json(const ExecResult& result);

}  // namespace rlvr::sandbox
