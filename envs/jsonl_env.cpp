#include "envs/jsonl_env.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/code_task.h"
#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::envs {
namespace {

using nlohmann::json;

std::string optional_string(const json& row, const char* key, const std::string& fallback,
                            const std::string& where) {
  const auto it = row.find(key);
  if (it == row.end()) return fallback;
  if (!it->is_string()) throw Error(where + ": \"" + key + "\" must be a string");
  return it->get<std::string>();
}

std::string required_string(const json& row, const char* key, const std::string& where) {
  const auto it = row.find(key);
  if (it == row.end() || !it->is_string()) {
    throw Error(where + ": missing \"" + std::string(key) + "\" (a string)");
  }
  return it->get<std::string>();
}

// GSM8K: the answer follows the last "####" of the worked solution.
Task parse_gsm8k(const json& row, const std::string& where) {
  Task t;
  t.prompt = required_string(row, "question", where);
  t.solution = required_string(row, "answer", where);
  const size_t mark = t.solution.rfind("####");
  if (mark == std::string::npos) throw Error(where + ": \"answer\" has no \"#### <answer>\" line");
  t.reference = trim(std::string_view(t.solution).substr(mark + 4));
  t.verifier = "math";
  t.meta["answer_style"] = "gsm8k";  // the math verifier reads the "####" line first
  return t;
}

// MATH: the answer is the last \boxed{} of the worked solution.
Task parse_math(const json& row, const std::string& where) {
  Task t;
  t.prompt = required_string(row, "problem", where);
  t.solution = required_string(row, "solution", where);
  t.reference = trim(last_braced_argument(t.solution, "\\boxed"));
  if (t.reference.empty()) throw Error(where + ": \"solution\" has no \\boxed{...} answer");
  t.verifier = "math";
  t.meta["answer_style"] = "math";  // a box, then Minerva's "The final answer is"
  return t;
}

// Programming problems: tests, language and limits go to meta in the layout the
// code verifier reads (core/code_task.h); the reference solution, fenced, is the
// SFT solution.
Task parse_code(const json& row, const std::string& where) {
  Task t;
  t.prompt = required_string(row, "prompt", where);
  CodeTaskSpec spec;
  spec.language = optional_string(row, "language", "python", where);
  if (const auto limit = row.find("time_limit"); limit != row.end()) {
    if (!limit->is_number() || limit->get<double>() <= 0) {
      throw Error(where + ": \"time_limit\" must be a positive number (seconds)");
    }
    spec.time_limit_s = limit->get<double>();
  }
  if (const auto limit = row.find("memory_limit"); limit != row.end()) {
    if (!limit->is_number_integer() || limit->get<int64_t>() <= 0) {
      throw Error(where + ": \"memory_limit\" must be a positive integer (MB)");
    }
    spec.memory_limit_mb = limit->get<int64_t>();
  }
  const std::string checker = optional_string(row, "checker", "tokens", where);
  if (checker != "tokens") {
    throw Error(where + ": \"checker\" \"" + checker + "\" is not supported (only \"tokens\")");
  }
  const auto tests = row.find("tests");
  if (tests == row.end() || !tests->is_array()) {
    throw Error(where + ": missing \"tests\" (an array of {\"stdin\", \"stdout\"} objects)");
  }
  try {
    spec.tests = parse_code_tests(tests->dump());
    check_code_task(spec);
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
  t.reference = optional_string(row, "reference_solution", "", where);
  if (!t.reference.empty()) t.solution = fenced_program(t.reference, spec.language);
  t.verifier = "code";
  write_code_task(spec, t);
  return t;
}

// Factual questions: the gold aliases, as the JSON array the fact verifier reads.
Task parse_qa(const json& row, const std::string& where) {
  Task t;
  t.prompt = required_string(row, "question", where);
  const auto answers = row.find("answers");
  std::vector<std::string> aliases;
  if (answers != row.end() && answers->is_string()) {
    aliases.push_back(answers->get<std::string>());
  } else if (answers != row.end() && answers->is_array()) {
    for (const auto& a : *answers) {
      if (!a.is_string() || trim(a.get<std::string>()).empty()) {
        throw Error(where + ": \"answers\" holds " + a.dump() + ", not a non-empty string");
      }
      aliases.push_back(a.get<std::string>());
    }
  }
  if (aliases.empty()) throw Error(where + ": missing \"answers\" (a non-empty array of strings)");
  t.reference = json(aliases).dump();
  t.solution = optional_string(row, "solution", aliases.front(), where);
  t.verifier = "fact";
  return t;
}

Task parse_row(const std::string& line, Split split, size_t index, const std::string& where,
               config::JsonlFormat format) {
  const json row = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (row.is_discarded()) throw Error(where + ": bad JSON (expected one object per line)");
  if (!row.is_object()) throw Error(where + ": expected a JSON object, got " + row.type_name());
  const std::string default_id = std::string("jsonl/") + split_name(split) + "/" + std::to_string(index);
  if (format != config::PROMPT_ANSWER) {
    Task t = format == config::GSM8K ? parse_gsm8k(row, where)
             : format == config::MATH ? parse_math(row, where)
             : format == config::QA   ? parse_qa(row, where)
                                      : parse_code(row, where);
    t.id = optional_string(row, "id", default_id, where);
    return t;
  }

  Task t;
  const auto prompt = row.find("prompt");
  if (prompt == row.end() || !prompt->is_string()) {
    throw Error(where + ": missing \"prompt\" (a string)");
  }
  t.prompt = prompt->get<std::string>();
  const auto answer = row.find("answer");
  if (answer == row.end() || !(answer->is_string() || answer->is_number())) {
    throw Error(where + ": missing \"answer\" (a string or a number)");
  }
  // Numbers keep their JSON spelling ("42", "2.5") so exact comparison still works.
  t.reference = answer->is_string() ? answer->get<std::string>() : answer->dump();
  t.solution = optional_string(row, "solution", "", where);
  t.verifier = optional_string(row, "verifier", "exact_number", where);
  t.id = optional_string(row, "id", default_id, where);
  const auto meta = row.find("meta");
  if (meta != row.end()) {
    if (!meta->is_object()) throw Error(where + ": \"meta\" must be an object of strings");
    for (const auto& [key, value] : meta->items()) {
      if (!value.is_string()) throw Error(where + ": meta \"" + key + "\" must be a string");
      t.meta[key] = value.get<std::string>();
    }
  }
  return t;
}

std::vector<Task> load(const std::string& path, Split split, const char* field,
                       config::JsonlFormat format) {
  std::ifstream in(path);
  if (!in) throw ConfigError(std::string(field) + ": cannot open '" + path + "'");
  std::vector<Task> tasks;
  std::string line;
  for (size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (trim(line).empty()) continue;
    tasks.push_back(
        parse_row(line, split, tasks.size(), path + ":" + std::to_string(line_no), format));
  }
  return tasks;
}

}  // namespace

JsonlEnvironment::JsonlEnvironment(const config::EnvConfig& config) {
  const config::JsonlConfig& files = config.jsonl();
  if (files.train_path().empty()) {
    throw ConfigError("env.jsonl.train_path is required for env.name \"jsonl\"");
  }
  train_ = load(files.train_path(), Split::kTrain, "env.jsonl.train_path", files.format());
  if (!files.eval_path().empty()) {
    eval_ = load(files.eval_path(), Split::kEval, "env.jsonl.eval_path", files.format());
  }
}

size_t JsonlEnvironment::size(Split split) const {
  return split == Split::kTrain ? train_.size() : eval_.size();
}

Task JsonlEnvironment::task(Split split, size_t index) const {
  const std::vector<Task>& tasks = split == Split::kTrain ? train_ : eval_;
  if (index >= tasks.size()) {
    throw Error(std::string("jsonl: ") + split_name(split) + " index " + std::to_string(index) +
                " out of range (size " + std::to_string(tasks.size()) + ")");
  }
  return tasks[index];
}

RLVR_REGISTER_ENVIRONMENT("jsonl", JsonlEnvironment);

}  // namespace rlvr::envs
