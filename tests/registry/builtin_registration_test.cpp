// Every built-in environment and verifier is registered in a binary that never
// names their classes: nothing but the self-registration in their own .cpp
// (kept by the whole-archive link) puts them in the registries.
#include <gtest/gtest.h>

#include <algorithm>

#include "envs/environment.h"
#include "verifiers/verifier.h"

namespace rlvr {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(BuiltinRegistration, EveryEnvironmentRegistersItself) {
  const std::vector<std::string> names = envs::environment_names();
  for (const char* name : {"arithmetic", "countdown", "jsonl", "knights_knaves", "parity", "program_synthesis",
                           "radix_conversion", "running_total", "shortest_path", "sort", "sudoku", "word_problems"}) {
    EXPECT_TRUE(contains(names, name)) << name;
  }
  config::EnvConfig config;
  config.set_name("sort");
  EXPECT_EQ(envs::make_environment(config)->name(), "sort");
}

TEST(BuiltinRegistration, EveryVerifierRegistersItself) {
  const std::vector<std::string> names = verifiers::verifier_names();
  for (const char* name :
       {"code", "countdown", "exact_number", "grid", "math", "path", "radix_number", "role_assignment", "sorted_list"}) {
    EXPECT_TRUE(contains(names, name)) << name;
    EXPECT_EQ(verifiers::make_verifier(name)->name(), name);
  }
}

}  // namespace
}  // namespace rlvr
