#include "verifiers/exact_number_verifier.h"

#include <cctype>

#include "core/text_util.h"
#include "verifiers/answer_extraction.h"

namespace rlvr::verifiers {
namespace {

Verdict judge(bool correct, const std::string& extracted, const std::string& expected) {
  Verdict v;
  v.answer = extracted;
  v.correct = correct;
  v.reward = correct ? 1 : 0;
  v.status = correct ? VerdictStatus::kCorrect : VerdictStatus::kWrong;
  v.detail = "extracted " + clip_for_detail(extracted) + ", expected " + clip_for_detail(expected);
  return v;
}

Verdict no_answer(const std::string& why) {
  Verdict v;
  v.status = VerdictStatus::kNoAnswer;
  v.detail = why;
  return v;
}

bool has_leading_zero(const std::string& number) {
  const size_t digits = number.find_first_not_of("+-");
  return digits != std::string::npos && digits + 1 < number.size() && number[digits] == '0' &&
         std::isdigit(static_cast<unsigned char>(number[digits + 1]));
}

}  // namespace

Verdict ExactNumberVerifier::verify(const Task& task, std::string_view completion) const {
  const std::optional<std::string> tagged = extract_tagged_answer(completion);
  const std::string reference = trim(task.reference);
  const std::optional<std::string> expected = canonical_number(reference);

  if (!expected) {
    const std::string answer = tagged ? *tagged : trim(completion);
    if (answer.empty()) return no_answer("empty answer");
    return judge(answer == reference, answer, reference);
  }


  const std::optional<std::string> number = extract_last_number(tagged ? *tagged : completion);
  if (!number) return no_answer(tagged ? "no number inside <answer>" : "no number in the completion");
  // A reference written with leading zeros ("052", a reversed or fixed-width
  // answer) is a digit string: "52" would read as another number there.
  if (has_leading_zero(reference)) return judge(*number == reference, *number, reference);
  return judge(*canonical_number(*number) == *expected, *number, reference);
}

bool ExactNumberVerifier::same_answer(const Task& task, const std::string& a,
                                      const std::string& b) const {
  if (has_leading_zero(trim(task.reference))) return a == b;
  const auto ca = canonical_number(a), cb = canonical_number(b);
  return ca && cb ? *ca == *cb : a == b;
}

RLVR_REGISTER_VERIFIER("exact_number", [](const config::VerifierConfig&) {
  return std::make_unique<ExactNumberVerifier>();
});

}  // namespace rlvr::verifiers
