#include "sandbox/sandbox.h"

#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher_thread.h"
#include "sandbox/root_plan.h"
#include "sandbox/seccomp_policy.h"
#include "sandbox/worker.h"

namespace rlvr::embedded {
extern const unsigned char child_library[];
extern const std::size_t child_library_size;
extern const unsigned char zygote_source[];
extern const std::size_t zygote_source_size;
}  // namespace rlvr::embedded

namespace rlvr::sandbox {
namespace {

// Each stage carries three descriptors in one SCM_RIGHTS message (at most
// 253), so long batches go in several requests.
constexpr size_t kMaxStagesPerRequest = 64;

std::string_view embedded(const unsigned char* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The real path of a program, which must be visible inside the sandbox.
std::string resolve_tool(const std::string& field, const std::string& path,
                         const std::vector<std::string>& read_only_paths) {
  char resolved[PATH_MAX];
  if (path.empty() || path[0] != '/') {
    throw ConfigError("sandbox." + field + ": \"" + path + "\" must be an absolute path");
  }
  if (realpath(path.c_str(), resolved) == nullptr || access(resolved, X_OK) != 0) {
    throw ConfigError("sandbox." + field + ": " + path + " is not installed (not an executable file); "
                      "install it or point sandbox." + field + " at one");
  }
  const std::string real = resolved;
  std::vector<std::string> visible = {"/usr/"};
  for (const std::string& p : read_only_paths) visible.push_back(p + "/");
  for (const std::string& prefix : visible) {
    if (real.rfind(prefix, 0) == 0) return path;
  }
  throw ConfigError("sandbox." + field + ": " + path + " resolves to " + real +
                    ", outside /usr, so the sandbox cannot see it; add its directory to "
                    "sandbox.read_only_paths or use /usr/bin/" + real.substr(real.rfind('/') + 1));
}

void check_read_only_paths(const config::SandboxConfig& config) {
  for (const std::string& path : config.read_only_paths()) {
    if (path.empty() || path[0] != '/' || path == "/") {
      throw ConfigError("sandbox.read_only_paths: \"" + path + "\" must be an absolute path other than /");
    }
    for (const char* reserved : {"/tmp", "/proc", "/dev", "/rlvr", "/etc"}) {
      const std::string prefix = std::string(reserved);
      if (path == prefix || path.rfind(prefix + "/", 0) == 0) {
        throw ConfigError("sandbox.read_only_paths: " + path + " lies under " + prefix +
                          ", which the sandbox provides itself");
      }
    }
  }
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

int64_t physical_memory_mb() {
  return static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE) / (1 << 20);
}

void check_limits(const Limits& limits) {
  if (!std::isfinite(limits.time_limit_s) || limits.time_limit_s <= 0 || limits.time_limit_s > 3600) {
    throw ConfigError("time limit " + std::to_string(limits.time_limit_s) +
                      " s makes no sense: it must be above 0 and at most 3600 seconds");
  }
  if (limits.memory_limit_mb < 16 || limits.memory_limit_mb > physical_memory_mb()) {
    throw ConfigError("memory limit " + std::to_string(limits.memory_limit_mb) +
                      " MB makes no sense: it must be at least 16 MB and at most this machine's " +
                      std::to_string(physical_memory_mb()) + " MB");
  }
}

bool cgroups_usable() {
  std::string why_not;
  if (WorkerCgroup::create("rlvr-probe-" + std::to_string(getpid()), &why_not)) return true;
  spdlog::warn("sandbox: no cgroup ({}); memory is bounded per process by RLIMIT_AS and CPU time "
               "by RLIMIT_CPU and the wall clock",
               why_not);
  return false;
}

}  // namespace

struct Sandbox::Impl {
  config::SandboxConfig config;
  LauncherThread launcher;
  WorkerSettings settings;
  std::vector<std::string> cxx_flags;
  // Why C++ cannot run with this config ("" when it can): checked once, since
  // the compiler may legitimately be absent where only Python is used.
  std::string cxx_problem;
  std::mutex mutex;
  std::condition_variable available;
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<Worker*> idle;

  Worker* acquire() {
    std::unique_lock<std::mutex> lock(mutex);
    available.wait(lock, [&] { return !idle.empty(); });
    Worker* worker = idle.back();
    idle.pop_back();
    return worker;
  }
  void release(Worker* worker) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      idle.push_back(worker);
    }
    available.notify_one();
  }

  StageRequest stage(double time_limit_s, int64_t memory_mb) const {
    StageRequest s;
    s.time_limit_s = time_limit_s;
    s.memory_bytes = memory_mb << 20;
    s.file_size_bytes = config.max_file_size_mb() << 20;
    s.open_files = config.max_open_files();
    s.processes = config.max_processes();
    s.output_bytes = config.max_output_bytes();
    return s;
  }

  // One request: the compile stage (C++) and a run per input.
  RunRequest request(Language language, const std::string& source,
                     const std::vector<std::string>& stdins, size_t first, size_t count,
                     const Limits& limits) const {
    RunRequest r;
    r.scratch_bytes = config.scratch_size_mb() << 20;
    StageRequest run = stage(limits.time_limit_s, limits.memory_limit_mb);
    if (language == Language::kPython) {
      r.files["prog.py"] = source;
      run.python_path = "/tmp/prog.py";
    } else {
      r.files["prog.cpp"] = source;
      StageRequest compile = stage(config.compile_time_limit_s(), config.compile_memory_limit_mb());
      compile.argv.push_back(config.cxx());
      compile.argv.insert(compile.argv.end(), cxx_flags.begin(), cxx_flags.end());
      for (const char* arg : {"-o", "/tmp/prog", "/tmp/prog.cpp"}) compile.argv.push_back(arg);
      compile.file_size_bytes = r.scratch_bytes;
      compile.processes = std::max<int64_t>(compile.processes, 16);
      r.stages.push_back(std::move(compile));
      run.argv = {"/tmp/prog"};
    }
    for (size_t i = first; i < first + count; ++i) {
      run.stdin_data = stdins[i];
      r.stages.push_back(run);
    }
    return r;
  }
};

Sandbox::Sandbox(const config::SandboxConfig& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  check_read_only_paths(config);
  std::vector<std::string> read_only(config.read_only_paths().begin(), config.read_only_paths().end());
  impl_->settings.python = resolve_tool("python", config.python(), read_only);
  impl_->cxx_flags = split_words(config.cxx_flags());
  try {
    resolve_tool("cxx", config.cxx(), read_only);
  } catch (const ConfigError& e) {
    impl_->cxx_problem = e.what();
  }
  check_limits(default_limits());
  impl_->settings.seccomp_filter = seccomp_filter_bpf();
  impl_->settings.root =
      plan_root(read_only, RootFiles{embedded(embedded::child_library, embedded::child_library_size),
                                     embedded(embedded::zygote_source, embedded::zygote_source_size),
                                     impl_->settings.seccomp_filter});
  impl_->settings.use_cgroups = cgroups_usable();
  impl_->settings.launcher = &impl_->launcher;
  const int count = worker_count(config);
  for (int i = 0; i < count; ++i) {
    impl_->workers.push_back(std::make_unique<Worker>(impl_->settings, i));
    impl_->idle.push_back(impl_->workers.back().get());
  }
}

Sandbox::~Sandbox() = default;

int worker_count(const config::SandboxConfig& config) {
  if (config.workers() > 0) return config.workers();
  return 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int64_t Sandbox::workers_replaced() const {
  int64_t total = 0;
  for (const std::unique_ptr<Worker>& worker : impl_->workers) total += worker->replacements();
  return total;
}

Limits Sandbox::default_limits() const {
  return Limits{impl_->config.time_limit_s(), impl_->config.memory_limit_mb()};
}

void Sandbox::require_language(Language language) const {
  if (language == Language::kCpp && !impl_->cxx_problem.empty()) throw ConfigError(impl_->cxx_problem);
}

BatchResult Sandbox::run_batch(Language language, const std::string& source,
                               const std::vector<std::string>& stdins, const Limits& limits,
                               const KeepGoing& keep_going) {
  check_limits(limits);
  require_language(language);
  BatchResult batch;
  batch.compile.status = Status::kOk;
  const size_t compile_stages = language == Language::kCpp ? 1 : 0;
  size_t first = 0;
  while (first < stdins.size()) {
    const size_t count = std::min(kMaxStagesPerRequest, stdins.size() - first);
    const RunRequest request = impl_->request(language, source, stdins, first, count, limits);
    bool stopped = false;
    size_t stage_index = 0;
    auto decide = [&](const ExecResult& result) {
      const size_t stage = stage_index++;
      if (stage < compile_stages) return result.status == Status::kOk;
      const size_t input = first + stage - compile_stages;
      stopped = keep_going && !keep_going(input, result);
      return !stopped;
    };
    Worker* worker = impl_->acquire();
    std::vector<ExecResult> results;
    try {
      results = worker->run(request, decide);
    } catch (const Error& e) {
      impl_->release(worker);
      batch.compile = sandbox_error(e.what());
      batch.runs.clear();
      return batch;
    }
    impl_->release(worker);
    size_t next = 0;
    if (compile_stages == 1 && !results.empty()) {
      ExecResult compile = results[next++];
      if (compile.status != Status::kOk && compile.status != Status::kSandboxError) {
        compile.status = Status::kCompileError;
      }
      batch.compile = std::move(compile);
      if (batch.compile.status != Status::kOk) {
        batch.runs.clear();
        return batch;
      }
    }
    const size_t ran = results.size() - next;
    for (; next < results.size(); ++next) batch.runs.push_back(std::move(results[next]));
    if (stopped || (ran > 0 && batch.runs.back().status == Status::kSandboxError)) break;
    if (ran == 0) {
      // The worker stopped responding after the compiler ran: no input ran.
      batch.runs.push_back(sandbox_error("the sandbox worker stopped responding before input " +
                                         std::to_string(first + 1) + " ran"));
      break;
    }
    // A request its worker cut short goes on, on the worker's replacement.
    first += ran;
  }
  return batch;
}

ExecResult Sandbox::run(Language language, const std::string& source, const std::string& stdin_data,
                        const Limits& limits) {
  BatchResult batch = run_batch(language, source, {stdin_data}, limits);
  if (batch.compile.status != Status::kOk || batch.runs.empty()) return batch.compile;
  return std::move(batch.runs.front());
}

}  // namespace rlvr::sandbox
