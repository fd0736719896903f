#include "verifiers/code/test_judge.h"

#include "verifiers/code/call_harness.h"

namespace rlvr::verifiers {
namespace {

// What Python's str.split() treats as whitespace among ASCII characters.
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

// The next token of `text` at or after `pos`, advancing `pos` past it; empty at the end.
std::string_view next_token(std::string_view text, size_t& pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  const size_t start = pos;
  while (pos < text.size() && !is_space(text[pos])) ++pos;
  return text.substr(start, pos - start);
}

}  // namespace

const char* verdict_code(TestVerdict verdict) {
  switch (verdict) {
    case TestVerdict::kAccepted: return "AC";
    case TestVerdict::kWrongAnswer: return "WA";
    case TestVerdict::kRuntimeError: return "RE";
    case TestVerdict::kTimeLimit: return "TLE";
    case TestVerdict::kMemoryLimit: return "MLE";
    case TestVerdict::kOutputLimit: return "OLE";
    case TestVerdict::kSandboxError: return "SE";
    case TestVerdict::kNotRun: return "-";
  }
  return "?";
}

bool tokens_equal(std::string_view actual, std::string_view expected) {
  size_t a = 0;
  size_t e = 0;
  while (true) {
    const std::string_view x = next_token(actual, a);
    const std::string_view y = next_token(expected, e);
    if (x != y) return false;
    if (x.empty()) return true;  // both ended
  }
}

TestVerdict judge_test(const sandbox::ExecResult& run, const CodeTest& test, const std::string& marker) {
  switch (run.status) {
    case sandbox::Status::kOk: break;
    case sandbox::Status::kRuntimeError: return TestVerdict::kRuntimeError;
    case sandbox::Status::kTimeLimit: return TestVerdict::kTimeLimit;
    case sandbox::Status::kMemoryLimit: return TestVerdict::kMemoryLimit;
    case sandbox::Status::kOutputLimit: return TestVerdict::kOutputLimit;
    // A test run never compiles; a compile status here is the sandbox's fault.
    case sandbox::Status::kCompileError:
    case sandbox::Status::kSandboxError: return TestVerdict::kSandboxError;
  }
  if (!test.is_call()) {
    return tokens_equal(run.stdout_text, test.expected_stdout) ? TestVerdict::kAccepted
                                                               : TestVerdict::kWrongAnswer;
  }
  const std::optional<std::string> value = call_result(run.stdout_text, marker);
  return value && same_json(*value, test.output_json) ? TestVerdict::kAccepted : TestVerdict::kWrongAnswer;
}

}  // namespace rlvr::verifiers
