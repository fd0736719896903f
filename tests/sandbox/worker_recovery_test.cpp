// A worker that stops responding in the middle of a run (its zygote is
// stopped with SIGSTOP, as a hung worker would be): the run still gets a
// verdict within its time limit plus 1 s, the worker is replaced before the
// next request arrives, and that request is served as fast as ever.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "sandbox/sandbox.h"
#include "tests/sandbox/host_processes.h"

namespace rlvr::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// This process's zygotes (its children running the sandbox's zygote script)
// other than those in `known`.
std::vector<pid_t> zygotes(const std::vector<pid_t>& known = {}) {
  std::vector<pid_t> found;
  for (const HostProcess& p : host_processes()) {
    if (p.parent == getpid() && p.cmdline.find("/rlvr/zygote.py") != std::string::npos &&
        std::find(known.begin(), known.end(), p.pid) == known.end()) {
      found.push_back(p.pid);
    }
  }
  return found;
}

TEST(WorkerRecovery, AStoppedWorkerIsReplacedWithoutFailingTheNextRequest) {
  const std::vector<pid_t> other_sandboxes = zygotes();
  config::SandboxConfig config;
  config.set_workers(1);
  Sandbox box(config);
  const Limits limits{2, 256};
  const ExecResult warm = box.run(Language::kPython, "print('ok')\n", "", limits);
  if (warm.status == Status::kSandboxError) GTEST_SKIP() << "no sandbox here: " << warm.error;
  const std::vector<pid_t> before = zygotes(other_sandboxes);
  ASSERT_EQ(before.size(), 1u);
  const pid_t zygote = before.front();

  // The zygote waits for the program when it stops, so it never reports the
  // program's end: rlvr sees a program running past its limit.
  std::thread stopper([zygote] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(zygote, SIGSTOP);
  });
  const Clock::time_point start = Clock::now();
  const ExecResult stalled =
      box.run(Language::kPython, "import time\ntime.sleep(0.6)\nprint('slept', flush=True)\n", "", limits);
  const int64_t stalled_ms = ms_since(start);
  stopper.join();
  EXPECT_EQ(stalled.status, Status::kTimeLimit) << stalled.error;
  EXPECT_EQ(stalled.stdout_text, "slept\n");
  // The limit, 1 s for the worker to finish the stage, then the replacement's
  // start (a few hundred ms; more on a loaded machine).
  EXPECT_LE(stalled_ms, static_cast<int64_t>(limits.time_limit_s * 1000) + 1000 + 2000);
  EXPECT_EQ(box.workers_replaced(), 1);

  const std::vector<pid_t> after = zygotes(other_sandboxes);
  ASSERT_EQ(after.size(), 1u) << "the stopped zygote is still there";
  EXPECT_NE(after.front(), zygote);
  const Clock::time_point next_start = Clock::now();
  const ExecResult next = box.run(Language::kPython, "print('next')\n", "", limits);
  EXPECT_EQ(next.status, Status::kOk) << next.error;
  EXPECT_EQ(next.stdout_text, "next\n");
  EXPECT_LE(ms_since(next_start), 1000);
}

}  // namespace
}  // namespace rlvr::sandbox
