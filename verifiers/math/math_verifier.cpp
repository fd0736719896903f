#include "verifiers/math/math_verifier.h"

#include <algorithm>
#include <cctype>

#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/math/math_equivalence.h"
#include "verifiers/math/math_extract.h"
#include "verifiers/math/math_normalize.h"
#include "verifiers/math/math_parse.h"

namespace rlvr::verifiers {
namespace {

// The task's answer style: the verifier's setting, else the dataset's
// (meta "answer_style", set by the GSM8K and MATH JSONL formats).
config::MathAnswerStyle style_of(const Task& task, config::MathAnswerStyle configured) {
  if (configured != config::BY_DATASET) return configured;
  const auto it = task.meta.find("answer_style");
  if (it == task.meta.end()) return config::GENERAL_STYLE;
  if (it->second == "gsm8k") return config::GSM8K_STYLE;
  if (it->second == "math") return config::MATH_STYLE;
  return config::GENERAL_STYLE;
}

// A text answer (`\text{Evelyn}`, "Evelyn"): its words, lower-case, one space apart.
std::string text_key(std::string_view answer) {
  std::string key;
  for (char c : math::normalize_answer(answer)) {
    if (c == '@') continue;
    if (is_space(c)) {
      if (!key.empty() && key.back() != ' ') key.push_back(' ');
      continue;
    }
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return trim(key);
}

}  // namespace

MathVerifier::MathVerifier(const config::MathVerifierConfig& config) : style_(config.answer_style()) {
  for (int f : config.extraction_priority()) priority_.push_back(static_cast<config::AnswerFormat>(f));
  options_.float_min_digits = config.float_min_digits();
  options_.lenient_sets = config.set_matching() == config::LENIENT_SETS;
}

Verdict MathVerifier::judge(const Task& task, std::string_view completion) const {
  const config::MathAnswerStyle style = style_of(task, style_);
  const std::vector<config::AnswerFormat>& priority =
      priority_.empty() ? math::extraction_priority_for(style) : priority_;
  const std::optional<math::ExtractedAnswer> found = math::extract_answer(completion, priority);
  if (!found) return make_verdict(VerdictStatus::kNoAnswer, "no final answer (or an empty or unclosed \\boxed{})");
  std::string answer = found->text;
  math::ParseOutcome response = math::parse_answer(answer);
  if (!response.answer && (style == config::GSM8K_STYLE || found->format == config::GSM8K_HASHES)) {
    // A "####" line and every GSM8K answer is a number: "#### 18 eggs a day" answers 18.
    if (std::optional<std::string> number = extract_last_number(answer)) {
      answer = *number;
      response = math::parse_answer(answer);
    }
  }
  const std::string summary =
      "extracted " + clip_for_detail(answer) + ", expected " + clip_for_detail(task.reference);
  const math::ParseOutcome gold = math::parse_answer(task.reference);
  if (!gold.answer) {
    // A reference that is not mathematics (a name, a word) is compared as text.
    const bool same = text_key(answer) == text_key(task.reference);
    return make_verdict(same ? VerdictStatus::kCorrect : VerdictStatus::kWrong,
                        summary + " (reference compared as text: " + gold.error + ")", answer);
  }
  if (!response.answer) return make_verdict(VerdictStatus::kInvalid, summary + ": " + response.error, answer);
  const bool equal = math::answers_equal(*gold.answer, *response.answer, options_);
  return make_verdict(equal ? VerdictStatus::kCorrect : VerdictStatus::kWrong, summary, answer);
}

Verdict MathVerifier::verify(const Task& task, std::string_view completion) const {
  return unjudged_on_failure([&] { return judge(task, completion); });
}

bool MathVerifier::same_answer(const Task&, const std::string& a, const std::string& b) const {
  try {
    const math::ParseOutcome pa = math::parse_answer(a);
    const math::ParseOutcome pb = math::parse_answer(b);
    if (pa.answer && pb.answer) return math::answers_equal(*pa.answer, *pb.answer, options_);
    return text_key(a) == text_key(b);
  } catch (const std::exception&) {
    return a == b;
  }
}

RLVR_REGISTER_VERIFIER("math", [](const config::VerifierConfig& c) {
  return std::make_unique<MathVerifier>(c.math());
});

}  // namespace rlvr::verifiers
