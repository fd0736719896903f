#include "case_agreement.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

namespace rlvr::verifiers {

double CaseAgreement::worst_category() const {
  double worst = 1.0;
  for (const auto& [category, counts] : per_category) {
    worst = std::min(worst, static_cast<double>(counts.first) / counts.second);
  }
  return worst;
}

std::string CaseAgreement::table() const {
  std::string out = fmt::format("{:<24} {:>6} {:>6} {:>8}\n", "category", "agree", "cases", "rate");
  for (const auto& [category, counts] : per_category) {
    out += fmt::format("{:<24} {:>6} {:>6} {:>7.1f}%\n", category, counts.first, counts.second,
                       100.0 * counts.first / counts.second);
  }
  out += fmt::format("{:<24} {:>6} {:>6} {:>7.1f}%\n", "overall", agree, total, 100 * overall());
  return out + (disagreements.empty() ? "" : "disagreements:\n" + disagreements);
}

CaseAgreement judge_cases(const std::string& path, const Verifier& verifier, double max_seconds_per_case) {
  std::ifstream in(path);
  CaseAgreement result;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json c = nlohmann::json::parse(line);
    Task task;
    task.reference = c.at("gold").get<std::string>();
    if (c.contains("answer_style")) task.meta["answer_style"] = c.at("answer_style").get<std::string>();
    const auto start = std::chrono::steady_clock::now();
    const Verdict v = verifier.verify(task, c.at("response").get<std::string>());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string id = c.at("id").get<std::string>();
    if (seconds >= max_seconds_per_case) result.slow_cases += fmt::format("  {} took {:.2f} s\n", id, seconds);
    const bool agree = v.correct == c.at("expected").get<bool>() && seconds < max_seconds_per_case;
    auto& [agree_n, total_n] = result.per_category[c.at("category").get<std::string>()];
    agree_n += agree;
    ++total_n;
    result.agree += agree;
    ++result.total;
    if (!agree) result.disagreements += fmt::format("  {} ({}): {}\n", id, status_name(v.status), v.detail);
  }
  return result;
}

}  // namespace rlvr::verifiers
