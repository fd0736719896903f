// Function-call tests (core/code_task.h) for Python programs. The program runs
// inside a driver that reads the test, a JSON object {"call": name, "input":
// [args...]}, from stdin, then hides stdin from the program (so top-level
// input() cannot swallow the test), executes the program's source with
// __name__ == "__solution__" (a `if __name__ == "__main__":` block does not
// run), calls the function and prints, as the last line of stdout, `marker`
// followed by json.dumps of the return value (sort_keys; tuples become lists).
// A missing function, an exception or a value JSON cannot encode ends the run
// with a non-zero exit: a runtime error.
//
// The marker is chosen per verification (random), so output the program prints
// itself cannot pass for a result. Pure functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/code_task.h"

namespace rlvr::verifiers {

// The driver with `program` embedded as a string literal: one source for every
// test of the task, run once per test with call_stdin(test) as its stdin.
std::string call_harness(const std::string& program, const std::string& marker);

std::string call_stdin(const CodeTest& test);

// The JSON text after the last `marker` at the start of a line, or nullopt when
// the driver never printed a result.
std::optional<std::string> call_result(std::string_view stdout_text, const std::string& marker);

// Whether two JSON texts hold equal values (1 == 1.0, keys unordered); false
// when either does not parse.
bool same_json(const std::string& a, const std::string& b);

}  // namespace rlvr::verifiers
