#include "envs/environment.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"

namespace rlvr::envs {
namespace {

class FixedEnvironment : public Environment {
 public:
  std::string name() const override { return "fixed"; }
  size_t size(Split) const override { return 1; }
  Task task(Split, size_t) const override { return Task{"fixed/0", "1+1=", "2", "2", "exact_number", {}}; }
};

TEST(EnvironmentRegistry, SplitNames) {
  EXPECT_STREQ(split_name(Split::kTrain), "train");
  EXPECT_STREQ(split_name(Split::kEval), "eval");
}

TEST(EnvironmentRegistry, BuiltInsAreAlwaysRegistered) {
  const std::vector<std::string> names = environment_names();
  for (const char* name : {"arithmetic", "countdown", "jsonl"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  config::EnvConfig config;
  config.set_name("countdown");
  EXPECT_EQ(make_environment(config)->name(), "countdown");
  config.set_name("arithmetic");
  EXPECT_EQ(make_environment(config)->name(), "arithmetic");
}

TEST(EnvironmentRegistry, UnknownNameListsKnownOnes) {
  config::EnvConfig config;
  config.set_name("arithmetik");
  try {
    make_environment(config);
    FAIL() << "expected rlvr::Error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("unknown environment 'arithmetik' (known: arithmetic, countdown, jsonl"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("did you mean 'arithmetic'"), std::string::npos) << message;
  }
}

TEST(EnvironmentRegistry, UserEnvironmentsCanBeRegistered) {
  register_environment("fixed", [](const config::EnvConfig&) {
    return std::make_unique<FixedEnvironment>();
  });
  config::EnvConfig config;
  config.set_name("fixed");
  EXPECT_EQ(make_environment(config)->task(Split::kTrain, 0).prompt, "1+1=");
}

}  // namespace
}  // namespace rlvr::envs
