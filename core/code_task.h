// Code tasks: the layout of Task::meta that program-synthesis environments write
// and the "code" verifier reads. It lives in core so that both layers share one
// definition without depending on each other.
//
//   meta["language"]      "python" (default) or "cpp"
//   meta["time_limit"]    seconds per test run, a decimal number; absent: the sandbox's default
//   meta["memory_limit"]  MB per test run, an integer; absent: the sandbox's default
//   meta["tests"]         a non-empty JSON array of tests, all of one kind:
//
//     {"stdin": "1 2\n", "stdout": "3\n"}
//         The program reads "stdin"; it passes iff it exits 0 and its stdout's
//         whitespace-separated tokens equal those of "stdout" (Python's
//         stdout.split() == expected.split()).
//     {"call": "add", "input": [1, 2], "output": 3}
//         Python only. The program defines the function "call"; it is called
//         with the elements of "input" (a JSON array, decoded) as positional
//         arguments and passes iff it returns normally and its return value,
//         JSON-encoded (tuples become lists), equals "output" as JSON values
//         (1 equals 1.0; object keys are unordered).
//
// Plain data and pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/task.h"

namespace rlvr {

struct CodeTest {
  // stdin/stdout tests.
  std::string stdin_text;
  std::string expected_stdout;
  // Function-call tests: the function's name ("" for stdin/stdout tests), its
  // arguments as a JSON array and the expected return value as JSON.
  std::string function;
  std::string input_json;
  std::string output_json;

  bool is_call() const { return !function.empty(); }
};

struct CodeTaskSpec {
  std::string language = "python";
  std::optional<double> time_limit_s;
  std::optional<int64_t> memory_limit_mb;
  std::vector<CodeTest> tests;
};

// The languages the sandbox runs, as meta["language"] spells them.
bool is_code_language(const std::string& language);

// Parses meta["tests"]; throws rlvr::Error naming the element and field, e.g.
// "tests[2]: missing \"stdout\" (a string)".
std::vector<CodeTest> parse_code_tests(std::string_view json_array);
// The JSON array parse_code_tests reads back.
std::string code_tests_json(const std::vector<CodeTest>& tests);

// Throws rlvr::Error (naming the field, no other context) unless the language
// is known and the tests are non-empty, all of one kind, and call tests are Python.
void check_code_task(const CodeTaskSpec& spec);

// Reads and checks the whole layout (language, limits, tests, call tests only
// for Python); throws rlvr::Error naming the task id and the meta field.
CodeTaskSpec read_code_task(const Task& task);
// Writes `spec` into task.meta in the layout above (limits only when set).
void write_code_task(const CodeTaskSpec& spec, Task& task);

// `program` as a completion in the format the code verifier extracts: a fenced
// block tagged with the language ("```python\n...\n```"), its fence longer than
// any run of backticks inside. Environments use it for SFT solutions.
std::string fenced_program(const std::string& program, const std::string& language);

}  // namespace rlvr
