#include "core/code_task.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace rlvr {
namespace {

using nlohmann::json;

bool is_identifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string string_field(const json& test, const char* key, const std::string& where) {
  const auto it = test.find(key);
  if (it == test.end() || !it->is_string()) {
    throw Error(where + ": missing \"" + key + "\" (a string)");
  }
  return it->get<std::string>();
}

CodeTest parse_test(const json& test, const std::string& where) {
  if (!test.is_object()) throw Error(where + ": expected an object, got " + test.type_name());
  CodeTest t;
  if (!test.contains("call")) {
    t.stdin_text = string_field(test, "stdin", where);
    t.expected_stdout = string_field(test, "stdout", where);
    return t;
  }
  t.function = string_field(test, "call", where);
  if (!is_identifier(t.function)) {
    throw Error(where + ": \"call\" must be a function name, got \"" + t.function + "\"");
  }
  const auto input = test.find("input");
  if (input == test.end() || !input->is_array()) {
    throw Error(where + ": missing \"input\" (a JSON array of the arguments)");
  }
  const auto output = test.find("output");
  if (output == test.end()) throw Error(where + ": missing \"output\" (the expected return value)");
  t.input_json = input->dump();
  t.output_json = output->dump();
  return t;
}

double parse_seconds(const std::string& text, const std::string& where) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value <= 0) {
    throw Error(where + ": meta \"time_limit\" must be a positive number of seconds, got \"" + text + "\"");
  }
  return value;
}

int64_t parse_megabytes(const std::string& text, const std::string& where) {
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value <= 0) {
    throw Error(where + ": meta \"memory_limit\" must be a positive integer (MB), got \"" + text + "\"");
  }
  return value;
}

}  // namespace

bool is_code_language(const std::string& language) { return language == "python" || language == "cpp"; }

// Non-empty, all of one kind, call tests only in Python: what the verifier can run.
void check_code_task(const CodeTaskSpec& spec) {
  if (!is_code_language(spec.language)) {
    throw Error("\"language\" must be \"python\" or \"cpp\", got \"" + spec.language + "\"");
  }
  if (spec.tests.empty()) throw Error("\"tests\" is empty");
  const bool calls = spec.tests.front().is_call();
  for (size_t i = 0; i < spec.tests.size(); ++i) {
    if (spec.tests[i].is_call() != calls) {
      throw Error("tests[" + std::to_string(i) + "]: mixes stdin/stdout and function-call tests");
    }
  }
  if (calls && spec.language != "python") {
    throw Error("function-call tests need language \"python\", got \"" + spec.language + "\"");
  }
}

std::vector<CodeTest> parse_code_tests(std::string_view json_array) {
  const json tests = json::parse(json_array, nullptr, /*allow_exceptions=*/false);
  if (tests.is_discarded()) throw Error("\"tests\" is not valid JSON");
  if (!tests.is_array()) throw Error(std::string("\"tests\" must be an array, got ") + tests.type_name());
  std::vector<CodeTest> parsed;
  for (size_t i = 0; i < tests.size(); ++i) {
    parsed.push_back(parse_test(tests[i], "tests[" + std::to_string(i) + "]"));
  }
  return parsed;
}

std::string code_tests_json(const std::vector<CodeTest>& tests) {
  json array = json::array();
  for (const CodeTest& t : tests) {
    if (t.is_call()) {
      array.push_back({{"call", t.function},
                       {"input", json::parse(t.input_json)},
                       {"output", json::parse(t.output_json)}});
    } else {
      array.push_back({{"stdin", t.stdin_text}, {"stdout", t.expected_stdout}});
    }
  }
  return array.dump(-1, ' ', false, json::error_handler_t::replace);
}

CodeTaskSpec read_code_task(const Task& task) {
  const std::string where = "code task '" + task.id + "'";
  CodeTaskSpec spec;
  const auto field = [&](const char* key) -> const std::string* {
    const auto it = task.meta.find(key);
    return it == task.meta.end() ? nullptr : &it->second;
  };
  if (const std::string* language = field("language")) spec.language = *language;
  if (const std::string* limit = field("time_limit")) spec.time_limit_s = parse_seconds(*limit, where);
  if (const std::string* limit = field("memory_limit")) spec.memory_limit_mb = parse_megabytes(*limit, where);
  const std::string* tests = field("tests");
  if (tests == nullptr) throw Error(where + " has no meta \"tests\"; is it a code task?");
  try {
    spec.tests = parse_code_tests(*tests);
    check_code_task(spec);
  } catch (const Error& e) {
    throw Error(where + ": meta " + e.what());
  }
  return spec;
}

void write_code_task(const CodeTaskSpec& spec, Task& task) {
  task.meta["language"] = spec.language;
  // JSON spelling: the shortest text that reads back as the same double.
  if (spec.time_limit_s) task.meta["time_limit"] = json(*spec.time_limit_s).dump();
  if (spec.memory_limit_mb) task.meta["memory_limit"] = std::to_string(*spec.memory_limit_mb);
  task.meta["tests"] = code_tests_json(spec.tests);
}

std::string fenced_program(const std::string& program, const std::string& language) {
  size_t longest = 0;
  for (size_t run = 0, i = 0; i < program.size(); ++i) {
    run = program[i] == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  const bool ends_line = !program.empty() && program.back() == '\n';
  return fence + language + "\n" + program + (ends_line ? "" : "\n") + fence;
}

}  // namespace rlvr
