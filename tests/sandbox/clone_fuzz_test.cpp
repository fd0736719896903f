// Fuzzes process creation inside the sandbox: C++ and Python programs that
// clone with every mix of CLONE_* flags (CLONE_PARENT siblings above all),
// vfork, double-fork, setsid, end their parents or thread leaders early, run
// back to back through one pool. Every run must get its verdict (never SE)
// within its time limit plus 1 s, leave no process behind, and cost the pool
// no worker. The programs run only inside the sandbox.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/error.h"
#include "core/files.h"
#include "sandbox/sandbox.h"
#include "tests/sandbox/clone_fuzz_scripts.h"
#include "tests/sandbox/host_processes.h"

namespace rlvr::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kSeed = 18;
constexpr int kRandomScripts = 40;
const Limits kLimits{1, 256};
// What the sandbox promises: a verdict within the time limit plus 1 s.
const int64_t kVerdictWithinMs = static_cast<int64_t>(kLimits.time_limit_s * 1000) + 1000;
// Between two verdicts the caller also waits for the next stage to start;
// the margin keeps a loaded 2-core machine from failing the test.
const int64_t kNextVerdictWithinMs = kVerdictWithinMs + 1000;

int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Each run names its processes "rlvrfz<language><test pid>-<index>" (comm:
// the kernel keeps 15 bytes, and the prefix up to "-" fits), which its
// descendants inherit. The test's pid keeps a suite running beside this one on
// the same machine (another clone's tests) from counting as survivors here.
std::string marker_prefix(Language language) {
  return std::string("rlvrfz") + (language == Language::kPython ? "p" : "c") + std::to_string(getpid() % 100000) +
         "-";
}

// Live processes named after any run of `language` so far: survivors. (A
// zombie is dead already; only a parent that never reaps keeps it listed.)
std::vector<std::string> survivors(Language language) {
  std::vector<std::string> found;
  for (const HostProcess& p : host_processes()) {
    if (p.name.rfind(marker_prefix(language), 0) == 0 && p.state != 'Z') found.push_back(describe(p));
  }
  return found;
}

Sandbox& fuzz_sandbox() {
  static Sandbox box([] {
    config::SandboxConfig config;
    config.set_workers(2);
    return config;
  }());
  return box;
}

// Skips the test where no sandbox can start here (no user namespaces).
#define SKIP_WITHOUT_SANDBOX()                                                                \
  do {                                                                                        \
    const ExecResult probe = fuzz_sandbox().run(Language::kPython, "print('ok')\n", "", kLimits); \
    if (probe.status == Status::kSandboxError) GTEST_SKIP() << "no sandbox here: " << probe.error; \
  } while (0)

// Runs every script as one input of one batch (C++ compiles once) and checks
// each verdict, its latency and what is left alive after it.
void run_contained(Language language, const std::vector<std::string>& scripts) {
  const bool python = language == Language::kPython;
  const std::string source =
      read_file(std::string(RLVR_SOURCE_DIR) + "/tests/sandbox/clone_fuzz/spawner." + (python ? "py" : "cpp"));
  std::vector<std::string> stdins;
  for (size_t i = 0; i < scripts.size(); ++i) {
    stdins.push_back(marker_prefix(language) + std::to_string(i) + " " + scripts[i]);
  }
  // How long each verdict took after the one before; -1 where keep_going did
  // not see it (the last input of a request).
  std::vector<int64_t> waited_ms(scripts.size(), -1);
  std::vector<std::string> left_alive;
  Clock::time_point last = Clock::now();
  auto check_after = [&](size_t input) {
    waited_ms[input] = ms_since(last);
    last = Clock::now();
    for (const std::string& p : survivors(language)) left_alive.push_back("after '" + scripts[input] + "': " + p);
  };
  const BatchResult batch = fuzz_sandbox().run_batch(language, source, stdins, kLimits,
                                                     [&](size_t input, const ExecResult&) {
                                                       check_after(input);
                                                       return true;
                                                     });
  check_after(scripts.size() - 1);  // the last input, which keep_going does not see
  ASSERT_EQ(batch.compile.status, Status::kOk) << batch.compile.stderr_text;
  ASSERT_EQ(batch.runs.size(), scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) {
    const ExecResult& r = batch.runs[i];
    SCOPED_TRACE("script '" + scripts[i] + "' gave " + status_name(r.status) + " in " +
                 std::to_string(r.wall_ms) + " ms: " + r.stderr_text);
    EXPECT_NE(r.status, Status::kSandboxError) << r.error;
    EXPECT_LE(r.wall_ms, kVerdictWithinMs);
    // The first C++ verdict also waited for the compiler.
    if (i > 0 || python) {
      EXPECT_LE(waited_ms[i], kNextVerdictWithinMs);
      EXPECT_GE(waited_ms[i], 0) << "this verdict came in a request of its own: its worker was replaced";
    }
  }
  EXPECT_TRUE(left_alive.empty()) << left_alive.size() << " processes survived their run, first: "
                                  << left_alive.front();
}

// No worker was lost or replaced, and both answer a plain request at once.
void expect_pool_intact() {
  EXPECT_EQ(fuzz_sandbox().workers_replaced(), 0);
  std::vector<std::thread> clients;
  std::vector<ExecResult> results(2);
  std::vector<int64_t> took_ms(2);
  for (size_t i = 0; i < results.size(); ++i) {
    clients.emplace_back([&, i] {
      const Clock::time_point start = Clock::now();
      results[i] = fuzz_sandbox().run(Language::kPython, "print('still here')\n", "", kLimits);
      took_ms[i] = ms_since(start);
    });
  }
  for (std::thread& client : clients) client.join();
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].status, Status::kOk) << results[i].error;
    EXPECT_LE(took_ms[i], kVerdictWithinMs);
  }
  EXPECT_EQ(fuzz_sandbox().workers_replaced(), 0);
}

TEST(CloneFuzz, CppProgramsCannotEscapeOrStallTheirWorker) {
  SKIP_WITHOUT_SANDBOX();
  try {
    fuzz_sandbox().require_language(Language::kCpp);
  } catch (const ConfigError& e) {
    GTEST_SKIP() << e.what();
  }
  run_contained(Language::kCpp, clone_fuzz_scripts(/*python=*/false, kSeed, kRandomScripts));
  expect_pool_intact();
}

TEST(CloneFuzz, PythonProgramsCannotEscapeOrStallTheirWorker) {
  SKIP_WITHOUT_SANDBOX();
  run_contained(Language::kPython, clone_fuzz_scripts(/*python=*/true, kSeed, kRandomScripts));
  expect_pool_intact();
}

}  // namespace
}  // namespace rlvr::sandbox
