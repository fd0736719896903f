#include "verifiers/code/batch_verdict.h"

#include <spdlog/spdlog.h>

#include "verifiers/code/test_judge.h"

namespace rlvr::verifiers {
namespace {

// The compiler's first "error:" line, which says more than its first line
// ("In function 'int main()':").
std::string compile_error_detail(const sandbox::ExecResult& compile) {
  const std::string& text = compile.stderr_text;
  const size_t error = text.find("error:");
  if (error == std::string::npos) return "CE: " + clip_for_detail(text);
  const size_t start = text.rfind('\n', error);
  const size_t end = text.find('\n', error);
  const size_t from = start == std::string::npos ? 0 : start + 1;
  return "CE: " + clip_for_detail(std::string_view(text).substr(from, end == std::string::npos ? end : end - from));
}

// Not the program's fault, so not a wrong answer: unjudged (reward 0, left out
// of accuracy), and loud, so that a broken sandbox is noticed rather than
// mistaken for a policy that writes wrong programs.
Verdict sandbox_error(const Task& task, const std::string& detail, std::string program) {
  spdlog::warn("code verifier: sandbox error on task '{}', unjudged: {}", task.id, detail);
  return make_verdict(VerdictStatus::kUnjudged, detail, std::move(program));
}

}  // namespace

Verdict batch_verdict(const Task& task, const CodeTaskSpec& spec, const sandbox::BatchResult& batch,
                      const std::string& marker, config::CodeReward reward, std::string program) {
  if (batch.compile.status == sandbox::Status::kSandboxError) {
    return sandbox_error(task, "SE before any test ran: " + batch.compile.error, std::move(program));
  }
  if (batch.compile.status != sandbox::Status::kOk) {
    return make_verdict(VerdictStatus::kInvalid, compile_error_detail(batch.compile), std::move(program));
  }

  size_t passed = 0;
  std::string codes;
  std::string first_sandbox_error;
  for (size_t i = 0; i < spec.tests.size(); ++i) {
    const TestVerdict verdict =
        i < batch.runs.size() ? judge_test(batch.runs[i], spec.tests[i], marker) : TestVerdict::kNotRun;
    if (verdict == TestVerdict::kSandboxError && first_sandbox_error.empty()) {
      first_sandbox_error = "test " + std::to_string(i + 1) + ": " + batch.runs[i].error;
    }
    passed += verdict == TestVerdict::kAccepted;
    codes += std::string(i == 0 ? "" : " ") + verdict_code(verdict);
  }
  const std::string detail =
      std::to_string(passed) + "/" + std::to_string(spec.tests.size()) + " passed: " + codes;
  if (!first_sandbox_error.empty()) {
    return sandbox_error(task, detail + "; SE on " + first_sandbox_error, std::move(program));
  }
  const bool all_passed = passed == spec.tests.size();
  Verdict v = make_verdict(all_passed ? VerdictStatus::kCorrect : VerdictStatus::kWrong, detail, std::move(program));
  if (reward == config::FRACTION) v.reward = static_cast<double>(passed) / spec.tests.size();
  return v;
}

}  // namespace rlvr::verifiers
