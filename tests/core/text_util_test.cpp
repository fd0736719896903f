#include <gtest/gtest.h>

#include "core/progress.h"
#include "core/rng.h"
#include "core/text_util.h"

namespace rlvr {
namespace {

TEST(TextUtil, SplitJoinTrim) {
  EXPECT_EQ(split("a.b..c", '.'), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(join({"a", "b"}, ", "), "a, b");
  EXPECT_EQ(trim("  x y \n"), "x y");
  EXPECT_EQ(quote("a\"b\\"), "\"a\\\"b\\\\\"");
}

TEST(TextUtil, ClosestMatch) {
  EXPECT_EQ(closest_match("grup_size", {"group_size", "steps"}), "group_size");
  EXPECT_EQ(closest_match("zzzzzzzz", {"group_size", "steps"}), "");
}

TEST(Rng, StableAcrossCalls) {
  EXPECT_EQ(fnv1a("abc", 1), fnv1a("abc", 1));
  EXPECT_NE(fnv1a("abc", 1), fnv1a("abc", 2));
  EXPECT_NE(derive_seed(1, 2, 3), derive_seed(1, 2, 4));
  Rng a(derive_seed(7, 1)), b(derive_seed(7, 1));
  for (int i = 0; i < 100; ++i) {
    const int64_t x = uniform_int(a, -3, 3);
    EXPECT_EQ(x, uniform_int(b, -3, 3));
    EXPECT_GE(x, -3);
    EXPECT_LE(x, 3);
  }
}

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(Progress::format_duration(65), "01:05");
  EXPECT_EQ(Progress::format_duration(3725), "1:02:05");
  EXPECT_EQ(Progress::format_duration(-1), "--:--");
}

}  // namespace
}  // namespace rlvr
