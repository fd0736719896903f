// The sandbox's contract on small, benign programs: statuses, streams, limits,
// batches, concurrency and clear errors for configs that cannot work. Hostile
// programs are covered by the red-team suite (redteam_suite.py).
#include "sandbox/sandbox.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"

namespace rlvr::sandbox {
namespace {

config::SandboxConfig small_config() {
  config::SandboxConfig config;
  config.set_workers(2);
  return config;
}

Sandbox& shared_sandbox() {
  static Sandbox box(small_config());
  return box;
}

const Limits kLimits{2, 256};

TEST(SandboxTest, PythonHelloWorld) {
  const ExecResult r = shared_sandbox().run(Language::kPython, "print('hello')\n", "", kLimits);
  EXPECT_EQ(r.status, Status::kOk) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "hello\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_GT(r.peak_rss_kb, 0);
}

TEST(SandboxTest, StdinReachesTheProgramAndExitCodesAreKept) {
  const ExecResult r = shared_sandbox().run(
      Language::kPython, "import sys\nprint(sum(map(int, sys.stdin.read().split())))\nsys.exit(7)\n",
      "1 2 3\n", kLimits);
  EXPECT_EQ(r.status, Status::kRuntimeError);
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.stdout_text, "6\n");
}

TEST(SandboxTest, UncaughtExceptionIsARuntimeErrorWithTraceback) {
  const ExecResult r = shared_sandbox().run(Language::kPython, "x = 1\nraise ValueError('boom')\n", "", kLimits);
  EXPECT_EQ(r.status, Status::kRuntimeError);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("ValueError: boom"), std::string::npos) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("line 2"), std::string::npos) << r.stderr_text;
}

TEST(SandboxTest, EnvironmentIsScrubbed) {
  setenv("RLVR_TEST_SECRET", "leaked", 1);
  const ExecResult r = shared_sandbox().run(
      Language::kPython, "import os\nprint(sorted(os.environ))\nprint(os.getcwd())\n", "", kLimits);
  EXPECT_EQ(r.status, Status::kOk) << r.stderr_text;
  EXPECT_EQ(r.stdout_text.find("RLVR_TEST_SECRET"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("/tmp"), std::string::npos);
}

TEST(SandboxTest, NoNetworkAndNoHostProcesses) {
  const ExecResult r = shared_sandbox().run(Language::kPython,
                                            "import os, socket\n"
                                            "print(len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
                                            "s = socket.socket()\n"
                                            "try:\n"
                                            "    s.connect(('1.1.1.1', 53)); print('connected')\n"
                                            "except OSError:\n"
                                            "    print('no network')\n",
                                            "", kLimits);
  EXPECT_EQ(r.status, Status::kOk) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "2\nno network\n");  // the stage's init and the program
}

TEST(SandboxTest, SleepingProgramTimesOutOnTheWallClock) {
  const ExecResult r = shared_sandbox().run(Language::kPython, "import time\ntime.sleep(30)\n", "", Limits{0.5, 256});
  EXPECT_EQ(r.status, Status::kTimeLimit);
  EXPECT_GE(r.wall_ms, 500);
  EXPECT_LT(r.wall_ms, 3000);
}

TEST(SandboxTest, CpuTimeCountsEveryProcess) {
  // The children burn CPU and the program prints what the kernel charged them;
  // the run's CPU time must include it (no timing assumption: load-proof).
  const ExecResult r = shared_sandbox().run(Language::kPython,
                                            "import os, resource\n"
                                            "for _ in range(3):\n"
                                            "    if os.fork() == 0:\n"
                                            "        sum(i * i for i in range(300000))\n"
                                            "        os._exit(0)\n"
                                            "for _ in range(3): os.wait()\n"
                                            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
                                            "print(int(1000 * (u.ru_utime + u.ru_stime)))\n",
                                            "", Limits{30, 256});
  ASSERT_EQ(r.status, Status::kOk) << r.stderr_text;
  EXPECT_GE(r.cpu_ms, std::stoll(r.stdout_text));
}

TEST(SandboxTest, BusyChildrenTimeOut) {
  const ExecResult r = shared_sandbox().run(Language::kPython,
                                            "import os\n"
                                            "for _ in range(3):\n"
                                            "    if os.fork() == 0:\n"
                                            "        while True: pass\n"
                                            "while True: pass\n",
                                            "", Limits{1, 256});
  EXPECT_EQ(r.status, Status::kTimeLimit);
}

TEST(SandboxTest, MemoryOverTheLimitIsMle) {
  const ExecResult r = shared_sandbox().run(Language::kPython, "x = bytearray(300 << 20)\nprint('held')\n", "",
                                            Limits{2, 64});
  EXPECT_EQ(r.status, Status::kMemoryLimit) << r.stderr_text;
  EXPECT_EQ(r.stdout_text.find("held"), std::string::npos);
}

TEST(SandboxTest, OutputOverTheCapIsOleAndTruncated) {
  config::SandboxConfig config = small_config();
  config.set_max_output_bytes(4096);
  Sandbox box(config);
  const ExecResult r = box.run(Language::kPython, "import sys\nwhile True: sys.stdout.write('x' * 1000)\n", "", kLimits);
  EXPECT_EQ(r.status, Status::kOutputLimit);
  EXPECT_EQ(r.stdout_text.size(), 4096u);
}

TEST(SandboxTest, ScratchIsPrivateToEachRun) {
  // Left behind the hard way: nested, in a directory without permissions.
  const ExecResult first = shared_sandbox().run(Language::kPython,
                                                "import os\n"
                                                "os.makedirs('/tmp/a/b')\n"
                                                "open('/tmp/a/b/left_behind', 'w').write('x')\n"
                                                "os.chmod('/tmp/a/b', 0)\n"
                                                "os.chmod('/tmp/a', 0)\n"
                                                "print('wrote')\n",
                                                "", kLimits);
  ASSERT_EQ(first.status, Status::kOk) << first.stderr_text;
  for (int run = 0; run < 3; ++run) {  // whichever worker takes it
    const ExecResult next = shared_sandbox().run(
        Language::kPython, "import os\nprint(sorted(os.listdir('/tmp')))\n", "", kLimits);
    EXPECT_EQ(next.stdout_text, "['prog.py']\n");
  }
}

TEST(SandboxTest, CppCompilesOnceForManyInputs) {
  const std::string source =
      "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";
  const BatchResult batch = shared_sandbox().run_batch(Language::kCpp, source, {"1 2", "40 2", "-5 5"}, kLimits);
  ASSERT_EQ(batch.compile.status, Status::kOk) << batch.compile.stderr_text;
  ASSERT_EQ(batch.runs.size(), 3u);
  EXPECT_EQ(batch.runs[0].stdout_text, "3\n");
  EXPECT_EQ(batch.runs[1].stdout_text, "42\n");
  EXPECT_EQ(batch.runs[2].stdout_text, "0\n");
}

TEST(SandboxTest, CompileErrorIsCeWithTheCompilerMessage) {
  const BatchResult batch = shared_sandbox().run_batch(Language::kCpp, "int main( { return 0; }\n", {""}, kLimits);
  EXPECT_EQ(batch.compile.status, Status::kCompileError);
  EXPECT_NE(batch.compile.stderr_text.find("error"), std::string::npos);
  EXPECT_TRUE(batch.runs.empty());
}

TEST(SandboxTest, KeepGoingStopsTheBatch) {
  const BatchResult batch = shared_sandbox().run_batch(
      Language::kPython, "import sys\nsys.exit(int(input()))\n", {"0", "3", "0", "0"}, kLimits,
      [](size_t, const ExecResult& r) { return r.status == Status::kOk; });
  ASSERT_EQ(batch.runs.size(), 2u);
  EXPECT_EQ(batch.runs[0].status, Status::kOk);
  EXPECT_EQ(batch.runs[1].exit_code, 3);
}

TEST(SandboxTest, ConcurrentRunsDoNotInterfere) {
  std::vector<std::thread> threads;
  std::vector<std::string> outputs(6);
  for (size_t i = 0; i < outputs.size(); ++i) {
    threads.emplace_back([&, i] {
      outputs[i] = shared_sandbox()
                       .run(Language::kPython, "print(int(input()) * 2)\n", std::to_string(i), kLimits)
                       .stdout_text;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < outputs.size(); ++i) EXPECT_EQ(outputs[i], std::to_string(2 * i) + "\n");
}

TEST(SandboxTest, NonsenseLimitsAreConfigErrors) {
  EXPECT_THROW(shared_sandbox().run(Language::kPython, "pass", "", Limits{0, 256}), ConfigError);
  EXPECT_THROW(shared_sandbox().run(Language::kPython, "pass", "", Limits{-1, 256}), ConfigError);
  EXPECT_THROW(shared_sandbox().run(Language::kPython, "pass", "", Limits{1, 1}), ConfigError);
  EXPECT_THROW(shared_sandbox().run(Language::kPython, "pass", "", Limits{1, int64_t{1} << 40}), ConfigError);
}

TEST(SandboxTest, MissingInterpreterOrCompilerIsAConfigError) {
  config::SandboxConfig config = small_config();
  config.set_python("/usr/bin/no-such-python3");
  try {
    Sandbox box(config);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("sandbox.python"), std::string::npos) << e.what();
  }
  config = small_config();
  config.set_cxx("/usr/bin/no-such-g++");
  Sandbox box(config);
  EXPECT_THROW(box.require_language(Language::kCpp), ConfigError);
  EXPECT_THROW(box.run(Language::kCpp, "int main(){}", "", kLimits), ConfigError);
  EXPECT_THROW(parse_language("rust"), ConfigError);
}

TEST(SandboxTest, JsonHasTheContractFieldsAndStaysValidOnBadUtf8) {
  ExecResult r;
  r.status = Status::kOk;
  r.exit_code = 0;
  r.stdout_text = std::string("ok \xff\xfe end");
  const auto json = nlohmann::json::parse(to_json(r));
  for (const char* field : {"status", "exit_code", "signal", "stdout", "stderr", "wall_ms", "cpu_ms", "peak_rss_kb"}) {
    EXPECT_TRUE(json.contains(field)) << field;
  }
  EXPECT_EQ(json["status"], "OK");
  EXPECT_EQ(json["stdout"].get<std::string>().substr(0, 3), "ok ");
}

}  // namespace
}  // namespace rlvr::sandbox
