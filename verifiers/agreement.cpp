#include "verifiers/agreement.h"

#include <spdlog/fmt/fmt.h>

namespace rlvr::verifiers {
namespace {

std::string row(const std::string& name, const AgreementCounts& c) {
  const std::optional<double> rate = c.rate();
  return fmt::format("{:<24} {:>6} {:>8} {:>6} {:>8}\n", name, c.agree, c.unjudged, c.cases,
                     rate ? fmt::format("{:.1f}%", 100 * *rate) : "-");
}

}  // namespace

std::optional<double> AgreementCounts::rate() const {
  const int judged = cases - unjudged;
  if (judged == 0) return std::nullopt;
  return static_cast<double>(agree) / judged;
}

Agreement AgreementTally::add(const std::string& category, const Verdict& verdict,
                              std::optional<bool> expected) {
  const Agreement outcome = verdict.status == VerdictStatus::kUnjudged              ? Agreement::kUnjudged
                            : verdict.correct == expected.value_or(true) ? Agreement::kAgree
                                                                         : Agreement::kDisagree;
  for (AgreementCounts* c : {&total_, &per_category_[category]}) {
    ++c->cases;
    c->agree += outcome == Agreement::kAgree;
    c->unjudged += outcome == Agreement::kUnjudged;
  }
  ++statuses_[status_name(verdict.status)];
  return outcome;
}

std::string AgreementTally::table() const {
  std::string out = fmt::format("{:<24} {:>6} {:>8} {:>6} {:>8}\n", "category", "agree", "unjudged", "cases", "rate");
  for (const auto& [category, counts] : per_category_) out += row(category, counts);
  out += row("overall", total_);
  for (const auto& [status, count] : statuses_) out += fmt::format("  {:<10} {}\n", status, count);
  return out;
}

}  // namespace rlvr::verifiers
