// The code verifier end to end, through the real sandbox: extraction, per-test
// verdicts, rewards, function-call tests, compile errors and concurrency.
#include "verifiers/code/code_verifier.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/code_task.h"
#include "core/error.h"

namespace rlvr::verifiers {
namespace {

CodeTest io(std::string in, std::string out) {
  CodeTest t;
  t.stdin_text = std::move(in);
  t.expected_stdout = std::move(out);
  return t;
}

CodeTest call(std::string function, std::string input, std::string output) {
  CodeTest t;
  t.function = std::move(function);
  t.input_json = std::move(input);
  t.output_json = std::move(output);
  return t;
}

Task task_with(std::vector<CodeTest> tests, std::string language = "python", double time_limit = 1) {
  CodeTaskSpec spec;
  spec.language = std::move(language);
  spec.time_limit_s = time_limit;
  spec.tests = std::move(tests);
  Task t;
  t.id = "code/test";
  t.verifier = "code";
  write_code_task(spec, t);
  return t;
}

// Doubles its input: tests 1, 2 and 3 expect 2, 4 and 7 (the last is wrong on purpose).
Task doubling() { return task_with({io("1\n", "2\n"), io("2\n", "4\n"), io("3\n", "7\n")}); }

config::CodeVerifierConfig settings(config::CodeReward reward, bool stop) {
  config::CodeVerifierConfig c;
  c.set_reward(reward);
  c.set_stop_on_first_failure(stop);
  return c;
}

std::string py(const std::string& body) { return "Solution:\n```python\n" + body + "```\n"; }

TEST(CodeVerifier, RegisteredUnderCode) {
  config::VerifierConfig c;
  c.mutable_code()->set_reward(config::FRACTION);
  const auto verifier = make_verifier("code", c);
  EXPECT_EQ(verifier->name(), "code");
  const Verdict v = verifier->verify(doubling(), py("print(2*int(input()))\n"));
  EXPECT_DOUBLE_EQ(v.reward, 2.0 / 3);
}

TEST(CodeVerifier, PerTestVerdictsAndRewards) {
  const CodeVerifier all_pass(settings(config::ALL_PASS, false));
  const CodeVerifier fraction(settings(config::FRACTION, false));
  const Task t = doubling();
  const std::string program = "x = int(input())\nprint(2 * x if x < 3 else 6)\n";
  const Verdict strict = all_pass.verify(t, py(program));
  EXPECT_EQ(strict.status, VerdictStatus::kWrong);
  EXPECT_EQ(strict.detail, "2/3 passed: AC AC WA");
  EXPECT_EQ(strict.reward, 0);
  EXPECT_EQ(strict.answer, program);
  const Verdict partial = fraction.verify(t, py(program));
  EXPECT_EQ(partial.detail, "2/3 passed: AC AC WA");
  EXPECT_DOUBLE_EQ(partial.reward, 2.0 / 3);
  EXPECT_FALSE(partial.correct);

  const Verdict right = all_pass.verify(t, py("x = int(input())\nprint(2 * x + (x == 3))\n"));
  EXPECT_EQ(right.status, VerdictStatus::kCorrect);
  EXPECT_EQ(right.detail, "3/3 passed: AC AC AC");
  EXPECT_EQ(right.reward, 1);
}

TEST(CodeVerifier, RuntimeErrorsAndTimeouts) {
  const CodeVerifier verifier(settings(config::FRACTION, false));
  const Task t = task_with({io("1\n", "1\n"), io("2\n", "2\n"), io("3\n", "3\n")}, "python", 0.5);
  const Verdict v = verifier.verify(
      t, py("x = int(input())\nif x == 2:\n    raise ValueError\nwhile x == 3:\n    pass\nprint(x)\n"));
  EXPECT_EQ(v.detail, "1/3 passed: AC RE TLE");
  EXPECT_DOUBLE_EQ(v.reward, 1.0 / 3);
}

TEST(CodeVerifier, StopOnFirstFailureSkipsTheRest) {
  const CodeVerifier verifier(settings(config::FRACTION, true));
  const Task t = task_with({io("1\n", "1\n"), io("2\n", "2\n"), io("3\n", "3\n")});
  // A wrong answer stops the batch as a crash would; skipped tests count as failed.
  const Verdict wa = verifier.verify(t, py("x = int(input())\nprint(x if x != 2 else 0)\n"));
  EXPECT_EQ(wa.detail, "1/3 passed: AC WA -");
  EXPECT_DOUBLE_EQ(wa.reward, 1.0 / 3);
  const Verdict re = verifier.verify(t, py("raise SystemExit(3)\n"));
  EXPECT_EQ(re.detail, "0/3 passed: RE - -");
  EXPECT_EQ(re.reward, 0);
}

TEST(CodeVerifier, MissingProgramIsNoAnswer) {
  const CodeVerifier verifier(settings(config::ALL_PASS, true));
  const Verdict v = verifier.verify(doubling(), "print(2*int(input()))");
  EXPECT_EQ(v.status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(v.detail, "no fenced code block (```python ... ```)");
  EXPECT_EQ(v.reward, 0);
  EXPECT_EQ(verifier.verify(doubling(), "```cpp\nint main() {}\n```").status, VerdictStatus::kNoAnswer);
}

TEST(CodeVerifier, CppCompilesOnceAndCompileErrorsAreInvalid) {
  const CodeVerifier verifier(settings(config::ALL_PASS, false));
  const Task t = task_with({io("1 2\n", "3\n"), io("5 -7\n", "-2\n")}, "cpp", 2);
  const Verdict right = verifier.verify(
      t, "```cpp\n#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b << \"\\n\"; }\n```");
  EXPECT_TRUE(right.correct) << right.detail;
  const Verdict broken = verifier.verify(t, "```c++\nint main() { return x; }\n```");
  EXPECT_EQ(broken.status, VerdictStatus::kInvalid);
  EXPECT_EQ(broken.detail.rfind("CE: ", 0), 0u) << broken.detail;
  EXPECT_NE(broken.detail.find("error:"), std::string::npos) << broken.detail;
  EXPECT_EQ(broken.reward, 0);
}

TEST(CodeVerifier, FunctionCallTests) {
  const CodeVerifier verifier(settings(config::FRACTION, false));
  const Task t = task_with({call("pair", "[1, 2]", "[2, 1]"), call("pair", "[\"a\", {\"k\": null}]", R"([{"k":null},"a"])"),
                            call("pair", "[0.5, 3]", "[3, 0.5]")});
  // Tuples become lists; a __main__ block and top-level reading do not break the driver.
  const Verdict right = verifier.verify(
      t, py("import sys\ndef pair(a, b):\n    return (b, a)\nif __name__ == '__main__':\n    print(pair(*input()))\n"));
  EXPECT_TRUE(right.correct) << right.detail;
  EXPECT_EQ(right.detail, "3/3 passed: AC AC AC");

  const Verdict wrong = verifier.verify(t, py("def pair(a, b):\n    return [a, b] if a != 1 else [2, 1]\n"));
  EXPECT_EQ(wrong.detail, "1/3 passed: AC WA WA");
  const Verdict missing = verifier.verify(t, py("def other(a, b):\n    return [b, a]\n"));
  EXPECT_EQ(missing.detail, "0/3 passed: RE RE RE");
  const Verdict raises = verifier.verify(t, py("def pair(a, b):\n    return [b, a] if b != 2 else 1 / 0\n"));
  EXPECT_EQ(raises.detail, "2/3 passed: RE AC AC");
  const Verdict unencodable = verifier.verify(t, py("def pair(a, b):\n    return {b, 1}\n"));
  EXPECT_EQ(unencodable.detail, "0/3 passed: RE RE RE");
  // Printing something that looks like a result, then exiting, is no result.
  const Verdict forged = verifier.verify(t, py("import os\nprint('\\n@rlvr-result-0@[2, 1]')\nos._exit(0)\n"));
  EXPECT_EQ(forged.detail, "0/3 passed: WA WA WA");
}

TEST(CodeVerifier, ConcurrentVerificationsAgree) {
  const CodeVerifier verifier(settings(config::FRACTION, false));
  const Task t = doubling();
  std::vector<std::thread> threads;
  std::vector<std::string> details(8);
  for (size_t i = 0; i < details.size(); ++i) {
    threads.emplace_back([&, i] {
      details[i] = verifier.verify(t, py(i % 2 ? "print(2*int(input()))\n" : "print(7)\n")).detail;
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t i = 0; i < details.size(); ++i) {
    EXPECT_EQ(details[i], i % 2 ? "2/3 passed: AC AC WA" : "1/3 passed: WA WA AC") << i;
  }
}

TEST(CodeVerifier, MalformedTasksThrow) {
  const CodeVerifier verifier(settings(config::ALL_PASS, true));
  Task t;
  t.id = "broken";
  EXPECT_THROW(verifier.verify(t, py("print(1)\n")), Error);
}

}  // namespace
}  // namespace rlvr::verifiers
