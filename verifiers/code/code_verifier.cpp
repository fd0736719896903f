#include "verifiers/code/code_verifier.h"

#include <cstdio>
#include <random>

#include <spdlog/spdlog.h>

#include "core/code_task.h"
#include "verifiers/code/call_harness.h"
#include "verifiers/code/code_extract.h"
#include "verifiers/code/test_judge.h"

namespace rlvr::verifiers {
namespace {

// Unpredictable to the program, so its own output cannot forge a call result.
std::string fresh_marker() {
  std::random_device device;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x%08x", device(), device());
  return std::string("@rlvr-result-") + hex + "@";
}

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

// Not the program's fault, but not a pass either: scored 0, and loud, so that a
// broken sandbox does not pass for a policy that writes wrong programs.
Verdict sandbox_error(const Task& task, const std::string& detail, std::string program) {
  spdlog::warn("code verifier: sandbox error on task '{}', scored 0: {}", task.id, detail);
  return make_verdict(VerdictStatus::kWrong, detail, std::move(program));
}

}  // namespace

CodeVerifier::CodeVerifier(const config::CodeVerifierConfig& config)
    : config_(config), sandbox_(std::make_unique<sandbox::Sandbox>(config.sandbox())) {}

CodeVerifier::~CodeVerifier() = default;

Verdict CodeVerifier::verify(const Task& task, std::string_view completion) const {
  const CodeTaskSpec spec = read_code_task(task);
  const sandbox::Language language = sandbox::parse_language(spec.language);
  sandbox_->require_language(language);
  ExtractedProgram program = extract_program(completion, spec.language);
  if (!program.found) return make_verdict(VerdictStatus::kNoAnswer, program.detail);

  const bool calls = spec.tests.front().is_call();
  const std::string marker = calls ? fresh_marker() : "";
  std::vector<std::string> stdins;
  for (const CodeTest& test : spec.tests) stdins.push_back(calls ? call_stdin(test) : test.stdin_text);
  sandbox::Limits limits = sandbox_->default_limits();
  if (spec.time_limit_s) limits.time_limit_s = *spec.time_limit_s;
  if (spec.memory_limit_mb) limits.memory_limit_mb = *spec.memory_limit_mb;
  // Stopping at the first failure needs the verdict, not just the exit status: a WA stops too.
  sandbox::KeepGoing keep_going;
  if (config_.stop_on_first_failure()) {
    keep_going = [&](size_t i, const sandbox::ExecResult& run) {
      return judge_test(run, spec.tests[i], marker) == TestVerdict::kAccepted;
    };
  }
  const sandbox::BatchResult batch = sandbox_->run_batch(
      language, calls ? call_harness(program.source, marker) : program.source, stdins, limits, keep_going);

  if (batch.compile.status == sandbox::Status::kSandboxError) {
    return sandbox_error(task, "SE before any test ran: " + batch.compile.error, std::move(program.source));
  }
  if (batch.compile.status != sandbox::Status::kOk) {
    return make_verdict(VerdictStatus::kInvalid, compile_error_detail(batch.compile), std::move(program.source));
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
    return sandbox_error(task, detail + "; SE on " + first_sandbox_error, std::move(program.source));
  }
  const bool all_passed = passed == spec.tests.size();
  Verdict v = make_verdict(all_passed ? VerdictStatus::kCorrect : VerdictStatus::kWrong, detail,
                           std::move(program.source));
  if (config_.reward() == config::FRACTION) v.reward = static_cast<double>(passed) / spec.tests.size();
  return v;
}

}  // namespace rlvr::verifiers
