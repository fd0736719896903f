#include "verifiers/code/test_judge.h"

#include <gtest/gtest.h>

#include "verifiers/code/call_harness.h"

namespace rlvr::verifiers {
namespace {

sandbox::ExecResult exited(sandbox::Status status, std::string out = "") {
  sandbox::ExecResult r;
  r.status = status;
  r.exit_code = status == sandbox::Status::kOk ? 0 : 1;
  r.stdout_text = std::move(out);
  return r;
}

CodeTest io_test(std::string expected) {
  CodeTest t;
  t.expected_stdout = std::move(expected);
  return t;
}

CodeTest call_test(std::string output_json) {
  CodeTest t;
  t.function = "f";
  t.input_json = "[1, \"a\"]";
  t.output_json = std::move(output_json);
  return t;
}

TEST(TokensEqual, IsPythonSplitEquality) {
  EXPECT_TRUE(tokens_equal("1 2\n", "1 2"));
  EXPECT_TRUE(tokens_equal("  1\t\t2 \r\n\n", "1\n2\n"));
  EXPECT_TRUE(tokens_equal("", "\n \n"));
  EXPECT_TRUE(tokens_equal("a\x1c" "b\v", "a b"));
  EXPECT_FALSE(tokens_equal("12", "1 2"));
  EXPECT_FALSE(tokens_equal("1 2", "1 2 3"));
  EXPECT_FALSE(tokens_equal("1 2 3", "1 2"));
  EXPECT_FALSE(tokens_equal("1.0", "1"));
  EXPECT_FALSE(tokens_equal("Yes", "YES"));
  EXPECT_FALSE(tokens_equal("", "0"));
}

TEST(JudgeTest, SandboxStatusesMapToVerdicts) {
  const CodeTest t = io_test("3\n");
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "3"), t, ""), TestVerdict::kAccepted);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "4\n"), t, ""), TestVerdict::kWrongAnswer);
  // A crash after printing the right answer is still a runtime error.
  EXPECT_EQ(judge_test(exited(sandbox::Status::kRuntimeError, "3\n"), t, ""), TestVerdict::kRuntimeError);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kTimeLimit), t, ""), TestVerdict::kTimeLimit);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kMemoryLimit), t, ""), TestVerdict::kMemoryLimit);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOutputLimit), t, ""), TestVerdict::kOutputLimit);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kSandboxError), t, ""), TestVerdict::kSandboxError);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kCompileError), t, ""), TestVerdict::kSandboxError);
  EXPECT_STREQ(verdict_code(TestVerdict::kNotRun), "-");
  EXPECT_STREQ(verdict_code(TestVerdict::kTimeLimit), "TLE");
}

TEST(JudgeTest, CallResultsCompareAsJson) {
  const std::string m = "@m@";
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "noise\n@m@[1, 2.0]\n"), call_test("[1,2]"), m),
            TestVerdict::kAccepted);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "\n@m@{\"a\": 1, \"b\": [true]}\n"),
                       call_test(R"({"b":[true],"a":1})"), m),
            TestVerdict::kAccepted);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "\n@m@[2, 1]\n"), call_test("[1,2]"), m),
            TestVerdict::kWrongAnswer);
  // No result line (the program exited early) or one that does not parse.
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "[1, 2]\n"), call_test("[1,2]"), m), TestVerdict::kWrongAnswer);
  EXPECT_EQ(judge_test(exited(sandbox::Status::kOk, "\n@m@NaN\n"), call_test("1"), m), TestVerdict::kWrongAnswer);
}

TEST(CallHarness, ResultIsTheLastMarkedLine) {
  EXPECT_EQ(call_result("\n@m@1\nx\n@m@2\n", "@m@"), "2");
  EXPECT_EQ(call_result("\n@m@\"a\"", "@m@"), "\"a\"");
  // Only at the start of a line: a program cannot print it mid-line to confuse the parse.
  EXPECT_FALSE(call_result("x@m@1\n", "@m@"));
  EXPECT_TRUE(same_json("1", "1.0"));
  EXPECT_FALSE(same_json("1", "\"1\""));
  EXPECT_FALSE(same_json("[1", "[1"));
}

TEST(CallHarness, StdinCarriesTheCall) {
  EXPECT_EQ(call_stdin(call_test("0")), R"({"call":"f","input":[1,"a"]})");
  const std::string harness = call_harness("print(\"hi\")\n", "@m@");
  EXPECT_NE(harness.find(R"(_RLVR_PROGRAM = "print(\"hi\")\n")"), std::string::npos) << harness;
  EXPECT_NE(harness.find(R"(_RLVR_MARKER = "@m@")"), std::string::npos) << harness;
}

}  // namespace
}  // namespace rlvr::verifiers
