#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.h"
#include "scaling/pass_at_k.h"

namespace rlvr::scaling {
namespace {

// Brute force: the share of all k-subsets of n samples (c correct) that hold
// at least one correct sample, by enumerating bit masks.
double brute_force_pass_at_k(int n, int c, int k) {
  int64_t subsets = 0, hits = 0;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (__builtin_popcount(mask) != k) continue;
    ++subsets;
    // Samples 0..c-1 are the correct ones.
    hits += (mask & ((1u << c) - 1)) != 0 ? 1 : 0;
  }
  return static_cast<double>(hits) / static_cast<double>(subsets);
}

TEST(PassAtK, MatchesBruteForceEnumeration) {
  for (int n = 1; n <= 12; ++n) {
    for (int c = 0; c <= n; ++c) {
      for (int k = 1; k <= n; ++k) {
        EXPECT_NEAR(pass_at_k(n, c, k), brute_force_pass_at_k(n, c, k), 1e-12)
            << "n=" << n << " c=" << c << " k=" << k;
      }
    }
  }
}

TEST(PassAtK, StableForLargeN) {
  EXPECT_NEAR(pass_at_k(1000, 1, 1), 0.001, 1e-12);
  EXPECT_NEAR(pass_at_k(100000, 50000, 64), 1.0, 1e-12);
  const double p = pass_at_k(5000, 10, 100);
  EXPECT_GT(p, 0.18);
  EXPECT_LT(p, 0.19);  // 1 - (1 - 100/5000)^10 ≈ 0.183
}

TEST(PassAtK, RejectsImpossibleArguments) {
  EXPECT_THROW(pass_at_k(4, 1, 5), Error);
  EXPECT_THROW(pass_at_k(4, 5, 1), Error);
  EXPECT_THROW(pass_at_k(4, 1, 0), Error);
}

bool numerically_equal(const std::string& a, const std::string& b) {
  // "1/2" style fractions and decimals compare by value.
  const auto value = [](const std::string& s) {
    const auto slash = s.find('/');
    return slash == std::string::npos ? std::strtod(s.c_str(), nullptr)
                                      : std::strtod(s.substr(0, slash).c_str(), nullptr) /
                                            std::strtod(s.substr(slash + 1).c_str(), nullptr);
  };
  return value(a) == value(b);
}

TEST(MajorityAtK, EquivalentAnswersVoteTogether) {
  // Among the first 3, "0.5" and "1/2" are one answer with 2 votes against 1.
  const std::vector<Vote> votes{{"3", false}, {"0.5", true}, {"1/2", true}, {"3", false},
                                {std::nullopt, false}};
  EXPECT_TRUE(majority_at_k(votes, 3, numerically_equal));   // 0.5 ≡ 1/2: 2 votes vs 1
  EXPECT_FALSE(majority_at_k(votes, 4, numerically_equal));  // 2-2 tie: "3" came first
  EXPECT_FALSE(majority_at_k(votes, 1, numerically_equal));
  const auto by_string = [](const std::string& a, const std::string& b) { return a == b; };
  EXPECT_FALSE(majority_at_k(votes, 3, by_string));  // without equivalence "3" wins the tie
}

TEST(MajorityAtK, NoAnswersMeansWrong) {
  const std::vector<Vote> votes{{std::nullopt, false}, {std::nullopt, false}};
  EXPECT_FALSE(majority_at_k(votes, 2, numerically_equal));
}

}  // namespace
}  // namespace rlvr::scaling
