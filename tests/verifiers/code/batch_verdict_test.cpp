// The code verifier's verdict from a batch of sandboxed runs, on made-up sandbox
// results: a sandbox error is unjudged, never a wrong answer.
#include "verifiers/code/batch_verdict.h"

#include <gtest/gtest.h>

namespace rlvr::verifiers {
namespace {

sandbox::ExecResult result(sandbox::Status status, std::string out = "", std::string error = "") {
  sandbox::ExecResult r;
  r.status = status;
  r.exit_code = status == sandbox::Status::kOk ? 0 : 1;
  r.stdout_text = std::move(out);
  r.error = std::move(error);
  return r;
}

CodeTaskSpec two_tests() {
  CodeTaskSpec spec;
  spec.tests.resize(2);
  spec.tests[0].expected_stdout = "2\n";
  spec.tests[1].expected_stdout = "4\n";
  return spec;
}

sandbox::BatchResult ran(std::vector<sandbox::ExecResult> runs) {
  sandbox::BatchResult batch;
  batch.compile = result(sandbox::Status::kOk);
  batch.runs = std::move(runs);
  return batch;
}

Verdict verdict_of(const sandbox::BatchResult& batch, config::CodeReward reward = config::FRACTION) {
  Task task;
  task.id = "code/test";
  return batch_verdict(task, two_tests(), batch, "", reward, "print(2)");
}

TEST(BatchVerdict, SandboxErrorDuringATestIsUnjudged) {
  const Verdict v = verdict_of(
      ran({result(sandbox::Status::kOk, "2\n"), result(sandbox::Status::kSandboxError, "", "worker died")}));
  EXPECT_EQ(v.status, VerdictStatus::kUnjudged);
  EXPECT_FALSE(v.correct);
  EXPECT_EQ(v.reward, 0);  // not the 1/2 the passing test would give
  EXPECT_EQ(v.detail, "1/2 passed: AC SE; SE on test 2: worker died");
  EXPECT_EQ(v.answer, "print(2)");
}

TEST(BatchVerdict, SandboxErrorBeforeAnyTestIsUnjudged) {
  sandbox::BatchResult batch;
  batch.compile = result(sandbox::Status::kSandboxError, "", "no cgroup");
  const Verdict v = verdict_of(batch);
  EXPECT_EQ(v.status, VerdictStatus::kUnjudged);
  EXPECT_EQ(v.reward, 0);
  EXPECT_EQ(v.detail, "SE before any test ran: no cgroup");
}

TEST(BatchVerdict, ProgramFailuresAreStillJudged) {
  Verdict v = verdict_of(ran({result(sandbox::Status::kOk, "2\n"), result(sandbox::Status::kOk, "5\n")}));
  EXPECT_EQ(v.status, VerdictStatus::kWrong);
  EXPECT_DOUBLE_EQ(v.reward, 0.5);
  v = verdict_of(ran({result(sandbox::Status::kOk, "2\n"), result(sandbox::Status::kTimeLimit)}), config::ALL_PASS);
  EXPECT_EQ(v.status, VerdictStatus::kWrong);
  EXPECT_EQ(v.detail, "1/2 passed: AC TLE");
  v = verdict_of(ran({result(sandbox::Status::kOk, "2\n"), result(sandbox::Status::kOk, "4\n")}));
  EXPECT_EQ(v.status, VerdictStatus::kCorrect);
  EXPECT_EQ(v.reward, 1);
  sandbox::BatchResult compile_error;
  compile_error.compile = result(sandbox::Status::kCompileError);
  compile_error.compile.stderr_text = "a.cpp: In function 'int main()':\na.cpp:1:1: error: boom\n";
  v = verdict_of(compile_error);
  EXPECT_EQ(v.status, VerdictStatus::kInvalid);
  EXPECT_EQ(v.detail, "CE: a.cpp:1:1: error: boom");
}

}  // namespace
}  // namespace rlvr::verifiers
