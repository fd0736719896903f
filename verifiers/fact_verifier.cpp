// "fact": short factual answers (a name, a number with its unit, a date)
// against one or more gold aliases. The answer is the text inside the last
// <answer></answer>, else what follows the last "answer is" / "answer:" on its
// line, else the first non-empty line. It matches an alias when both read as
// the same quantity, or the same date, or normalise (normalize_fact) to the
// same text. Reward: exact match, or the best token F1 (fact.reward).
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/fact_normalize.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

// The gold aliases of a reference: a JSON array of strings, or the text itself.
std::vector<std::string> gold_aliases(const std::string& reference) {
  const std::string text = trim(reference);
  if (!text.empty() && text.front() == '[') {
    const auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_array() && !parsed.empty() &&
        std::all_of(parsed.begin(), parsed.end(), [](const auto& a) { return a.is_string(); })) {
      return parsed.get<std::vector<std::string>>();
    }
  }
  return {text};
}

// What follows the last "answer is" or "answer:" (any case) on its line.
std::optional<std::string> answer_phrase(std::string_view text) {
  const std::string lower = ascii_lower(text);
  size_t best = std::string::npos, length = 0;
  for (const std::string cue : {"answer is", "answer:"}) {
    const size_t at = lower.rfind(cue);
    if (at != std::string::npos && (best == std::string::npos || at > best)) best = at, length = cue.size();
  }
  if (best == std::string::npos) return std::nullopt;
  const size_t start = best + length, end = text.find('\n', start);
  std::string phrase = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  while (!phrase.empty() && (phrase.back() == '.' || phrase.back() == '!')) phrase.pop_back();
  if (phrase.empty()) return std::nullopt;
  return phrase;
}

std::string extract_fact(std::string_view completion) {
  if (auto tagged = extract_tagged_answer(completion)) return *tagged;
  if (auto phrase = answer_phrase(completion)) return *phrase;
  return extract_answer_line(completion);
}

bool matches(const std::string& answer, const std::string& normalized_answer, const std::string& alias) {
  const auto qa = read_quantity(answer), qb = read_quantity(alias);
  if (qa && qb) return same_quantity(*qa, *qb);
  const auto da = read_date(answer), db = read_date(alias);
  if (da && db) return *da == *db;
  return !normalized_answer.empty() && normalized_answer == normalize_fact(alias);
}

class FactVerifier : public Verifier {
 public:
  explicit FactVerifier(const config::FactVerifierConfig& config) : f1_(config.reward() == config::TOKEN_F1) {}

  std::string name() const override { return "fact"; }

  Verdict verify(const Task& task, std::string_view completion) const override {
    const std::string answer = trim(extract_fact(completion));
    if (answer.empty()) return make_verdict(VerdictStatus::kNoAnswer, "no answer in the completion");
    const std::string normalized = normalize_fact(answer);
    const std::vector<std::string> aliases = gold_aliases(task.reference);
    double best_f1 = 0;
    for (const std::string& alias : aliases) {
      if (matches(answer, normalized, alias)) {
        return make_verdict(VerdictStatus::kCorrect, "matches " + clip_for_detail(alias), answer);
      }
      best_f1 = std::max(best_f1, token_f1(normalized, normalize_fact(alias)));
    }
    Verdict v = make_verdict(VerdictStatus::kWrong,
                             "extracted " + clip_for_detail(answer) + ", expected " +
                                 clip_for_detail(aliases.size() == 1 ? aliases[0] : trim(task.reference)),
                             answer);
    if (f1_) v.reward = best_f1;
    return v;
  }

  bool same_answer(const Task& task, const std::string& a, const std::string& b) const override {
    return matches(a, normalize_fact(a), b);
  }

 private:
  bool f1_;
};

}  // namespace

RLVR_REGISTER_VERIFIER("fact", [](const config::VerifierConfig& c) { return std::make_unique<FactVerifier>(c.fact()); });

}  // namespace rlvr::verifiers
