#include "trainer/bench_workload.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/error.h"

namespace rlvr::trainer {

BenchWorkload read_bench_workload(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read the benchmark workload " + path);
  const auto fail = [&](const std::string& what) {
    return Error(path + ": " + what + " (a workload is written by bench/peers/make_workload.py)");
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("not valid JSON: ") + e.what());
  }
  BenchWorkload w;
  try {
    w.name = j.value("name", "workload");
    w.prompts = j.at("prompts").get<std::vector<std::vector<int64_t>>>();
    w.answers = j.at("answers").get<std::vector<std::string>>();
    w.group_size = j.at("group_size").get<int64_t>();
    w.max_new_tokens = j.at("max_new_tokens").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw fail(e.what());
  }
  if (w.prompts.empty()) throw fail("field 'prompts' is empty");
  if (w.answers.size() != w.prompts.size()) {
    throw fail("field 'answers' has " + std::to_string(w.answers.size()) + " entries for " +
               std::to_string(w.prompts.size()) + " prompts");
  }
  for (size_t i = 0; i < w.prompts.size(); ++i) {
    if (w.prompts[i].empty()) throw fail("prompts[" + std::to_string(i) + "] is empty");
  }
  if (w.group_size < 1) throw fail("field 'group_size' must be at least 1");
  if (w.max_new_tokens < 1) throw fail("field 'max_new_tokens' must be at least 1");
  return w;
}

}  // namespace rlvr::trainer
