// Names of languages and statuses, and the JSON of the `rlvr exec` contract.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "sandbox/sandbox.h"

namespace rlvr::sandbox {

const char* language_name(Language language) { return language == Language::kPython ? "python" : "cpp"; }

Language parse_language(const std::string& name) {
  if (name == "python") return Language::kPython;
  if (name == "cpp") return Language::kCpp;
  throw ConfigError("unknown language \"" + name + "\": expected python or cpp");
}

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk: return "OK";
    case Status::kRuntimeError: return "RE";
    case Status::kTimeLimit: return "TLE";
    case Status::kMemoryLimit: return "MLE";
    case Status::kOutputLimit: return "OLE";
    case Status::kCompileError: return "CE";
    case Status::kSandboxError: return "SE";
  }
  return "SE";
}

std::string to_json(const ExecResult& result) {
  nlohmann::ordered_json json = {
      {"status", status_name(result.status)}, {"exit_code", result.exit_code},
      {"signal", result.signal},              {"stdout", result.stdout_text},
      {"stderr", result.stderr_text},         {"wall_ms", result.wall_ms},
      {"cpu_ms", result.cpu_ms},              {"peak_rss_kb", result.peak_rss_kb},
  };
  if (result.status == Status::kSandboxError) json["error"] = result.error;
  // Program output is arbitrary bytes: invalid UTF-8 becomes U+FFFD so the
  // object stays valid JSON.
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace rlvr::sandbox
