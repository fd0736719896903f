// The registry template (core/registry.h) shared by environments and verifiers.
#include "core/registry.h"

#include <gtest/gtest.h>

#include <functional>

namespace rlvr {
namespace {

using IntFactory = std::function<int()>;

std::string error_of(const Registry<IntFactory>& registry, const std::string& name) {
  try {
    registry.get(name);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, AddsReplacesAndListsSorted) {
  Registry<IntFactory> registry("widget");
  registry.add("b", [] { return 1; });
  registry.add("a", [] { return 2; });
  registry.add("b", [] { return 3; });
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(registry.get("b")(), 3);
}

TEST(Registry, UnknownNameNamesTheKindTheKnownAndTheClosest) {
  Registry<IntFactory> registry("widget");
  registry.add("sprocket", [] { return 1; });
  registry.add("gear", [] { return 2; });
  EXPECT_EQ(error_of(registry, "sprockt"),
            "unknown widget 'sprockt' (known: gear, sprocket); did you mean 'sprocket'?");
  EXPECT_EQ(error_of(registry, "zzzzzzzzzz"), "unknown widget 'zzzzzzzzzz' (known: gear, sprocket)");
}

int registered_at_startup = 0;
RLVR_REGISTRATION(registered_at_startup = 7);

TEST(Registry, RegistrationRunsBeforeMain) { EXPECT_EQ(registered_at_startup, 7); }

}  // namespace
}  // namespace rlvr
