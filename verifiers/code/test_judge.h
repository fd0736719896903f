// Per-test verdicts of the code verifier: what one sandboxed run of a program
// means for one test (core/code_task.h). Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/code_task.h"
#include "sandbox/sandbox.h"

namespace rlvr::verifiers {

enum class TestVerdict {
  kAccepted,      // AC: exited 0 with the expected output
  kWrongAnswer,   // WA: exited 0 with other output
  kRuntimeError,  // RE: non-zero exit, a signal, or (call tests) an exception
  kTimeLimit,     // TLE
  kMemoryLimit,   // MLE
  kOutputLimit,   // OLE
  kSandboxError,  // SE: the sandbox failed; says nothing about the program
  kNotRun,        // "-": skipped after an earlier failure (stop_on_first_failure)
};

// "AC", "WA", "RE", "TLE", "MLE", "OLE", "SE", "-".
const char* verdict_code(TestVerdict verdict);

// Python's stdout.split() == expected.split() for ASCII text: tokens are the
// maximal runs of bytes other than space, \t \n \v \f \r and \x1c-\x1f.
bool tokens_equal(std::string_view actual, std::string_view expected);

// The verdict of `run` on `test`; call tests read the result line after `marker`
// (see call_harness.h).
TestVerdict judge_test(const sandbox::ExecResult& run, const CodeTest& test, const std::string& marker);

}  // namespace rlvr::verifiers
