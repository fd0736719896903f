#include "verifiers/code/call_harness.h"

#include <nlohmann/json.hpp>

namespace rlvr::verifiers {
namespace {

using nlohmann::json;

// The driver; the program and the marker are appended as JSON string literals,
// which are valid Python string literals (raw UTF-8, \uXXXX only for control
// characters; invalid UTF-8 becomes U+FFFD).
constexpr const char* kDriver = R"(import io, json, sys
_rlvr_test = json.loads(sys.stdin.read())
sys.stdin = io.StringIO()
_rlvr_ns = {"__name__": "__solution__"}
exec(compile(_RLVR_PROGRAM, "solution.py", "exec"), _rlvr_ns)
_rlvr_value = _rlvr_ns[_rlvr_test["call"]](*_rlvr_test["input"])
_rlvr_text = json.dumps(_rlvr_value, sort_keys=True, allow_nan=False)
sys.stdout.write("\n" + _RLVR_MARKER + _rlvr_text + "\n")
sys.stdout.flush()
)";

std::string python_literal(const std::string& text) {
  return json(text).dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

}  // namespace

std::string call_harness(const std::string& program, const std::string& marker) {
  return "_RLVR_PROGRAM = " + python_literal(program) + "\n_RLVR_MARKER = " + python_literal(marker) +
         "\n" + kDriver;
}

std::string call_stdin(const CodeTest& test) {
  return json{{"call", test.function}, {"input", json::parse(test.input_json)}}.dump();
}

std::optional<std::string> call_result(std::string_view stdout_text, const std::string& marker) {
  const std::string needle = "\n" + marker;
  const size_t at = stdout_text.rfind(needle);
  if (at == std::string_view::npos) return std::nullopt;
  const size_t start = at + needle.size();
  const size_t end = stdout_text.find('\n', start);
  return std::string(stdout_text.substr(start, end == std::string_view::npos ? end : end - start));
}

bool same_json(const std::string& a, const std::string& b) {
  const json x = json::parse(a, nullptr, /*allow_exceptions=*/false);
  const json y = json::parse(b, nullptr, /*allow_exceptions=*/false);
  return !x.is_discarded() && !y.is_discarded() && x == y;
}

}  // namespace rlvr::verifiers
