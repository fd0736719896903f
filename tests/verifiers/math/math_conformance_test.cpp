// Runs the shared conformance suite (RLVR_CONFORMANCE_DIR/math/cases.jsonl, read
// in place; ../shared/conformance in the workspace) through the "math" verifier
// and prints agreement per category. Skipped, naming the path, without the suite.
#include <gtest/gtest.h>
#include <spdlog/fmt/fmt.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "case_agreement.h"
#include "verifiers/math/math_extract.h"

namespace rlvr::verifiers {
namespace {

const char* kCases = RLVR_CONFORMANCE_DIR "/math/cases.jsonl";

// Per-case time budget: a hang or a blow-up shows as a failure, not a stuck suite.
constexpr double kMaxSecondsPerCase = 1.0;
// Agreement floors (the held-out suite has more cases of the same kinds).
constexpr double kMinOverall = 0.98;
constexpr double kMinPerCategory = 0.90;

std::vector<nlohmann::json> load_cases() {
  std::ifstream in(kCases);
  std::vector<nlohmann::json> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) cases.push_back(nlohmann::json::parse(line));
  }
  return cases;
}

std::string strip_math(std::string s) {
  std::string out;
  for (char c : s) {
    if (c != '$' && !std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

TEST(MathConformance, AgreesWithExpectedVerdicts) {
  if (!std::filesystem::exists(kCases)) {
    GTEST_SKIP() << "no math conformance suite at " << kCases
                 << " (the shared conformance suites sit beside the repository)";
  }
  const CaseAgreement result = judge_cases(kCases, *make_verifier("math"), kMaxSecondsPerCase);
  ASSERT_GT(result.total, 0) << "no cases read from " << kCases;
  std::cout << result.table() << result.slow_cases;
  EXPECT_TRUE(result.slow_cases.empty());
  EXPECT_GE(result.overall(), kMinOverall);
  EXPECT_GE(result.worst_category(), kMinPerCategory) << "a category is below " << 100 * kMinPerCategory << "%";
}

TEST(MathConformance, ExtractsTheListedFinalAnswer) {
  int checked = 0, agree = 0;
  std::string failures;
  for (const nlohmann::json& c : load_cases()) {
    if (c.at("final").is_null()) continue;
    const std::string expected = strip_math(c.at("final").get<std::string>());
    if (expected.empty()) continue;
    const std::optional<std::string> got = math::extract_final_answer(c.at("response").get<std::string>());
    ++checked;
    if (got && strip_math(*got) == expected) {
      ++agree;
    } else {
      failures += fmt::format("  {}: got '{}', listed '{}'\n", c.at("id").get<std::string>(),
                              got ? *got : "<none>", expected);
    }
  }
  std::cout << fmt::format("extraction agrees on {}/{}\n", agree, checked) << failures;
  EXPECT_GE(agree, checked * 98 / 100);
}

}  // namespace
}  // namespace rlvr::verifiers
