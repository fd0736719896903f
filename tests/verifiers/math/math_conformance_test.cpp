// Runs the shared conformance suite (RLVR_CONFORMANCE_DIR/math/cases.jsonl, read
// in place; ../shared/conformance in the workspace) through the "math" verifier
// and prints agreement per category. Skipped, naming the path, without the suite.
#include <gtest/gtest.h>
#include <spdlog/fmt/fmt.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "verifiers/math/math_extract.h"
#include "verifiers/verifier.h"

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
  const std::vector<nlohmann::json> cases = load_cases();
  ASSERT_FALSE(cases.empty()) << "no cases read from " << kCases;
  const auto verifier = make_verifier("math");
  std::map<std::string, std::pair<int, int>> per_category;  // agree, total
  std::string failures;
  int agree_total = 0;
  for (const nlohmann::json& c : cases) {
    Task task;
    task.reference = c.at("gold").get<std::string>();
    const std::string response = c.at("response").get<std::string>();
    const auto start = std::chrono::steady_clock::now();
    const Verdict v = verifier->verify(task, response);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string id = c.at("id").get<std::string>();
    EXPECT_LT(seconds, kMaxSecondsPerCase) << id << " took " << seconds << " s";
    const bool agree = v.correct == c.at("expected").get<bool>() && seconds < kMaxSecondsPerCase;
    auto& [agree_n, total_n] = per_category[c.at("category").get<std::string>()];
    agree_n += agree;
    ++total_n;
    agree_total += agree;
    if (!agree) failures += fmt::format("  {} ({}): {}\n", id, status_name(v.status), v.detail);
  }
  std::string table = fmt::format("{:<24} {:>6} {:>6} {:>8}\n", "category", "agree", "cases", "rate");
  bool categories_ok = true;
  for (const auto& [category, counts] : per_category) {
    const double rate = static_cast<double>(counts.first) / counts.second;
    categories_ok = categories_ok && rate >= kMinPerCategory;
    table += fmt::format("{:<24} {:>6} {:>6} {:>7.1f}%\n", category, counts.first, counts.second, 100 * rate);
  }
  const double overall = static_cast<double>(agree_total) / cases.size();
  table += fmt::format("{:<24} {:>6} {:>6} {:>7.1f}%\n", "overall", agree_total, cases.size(), 100 * overall);
  std::cout << table << (failures.empty() ? "" : "disagreements:\n" + failures);
  EXPECT_GE(overall, kMinOverall);
  EXPECT_TRUE(categories_ok) << "a category is below " << 100 * kMinPerCategory << "%";
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
