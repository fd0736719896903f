#include "verifiers/math/math_verifier.h"

#include "verifiers/math/math_equivalence.h"
#include "verifiers/math/math_extract.h"
#include "verifiers/math/math_normalize.h"
#include "verifiers/math/math_parse.h"

namespace rlvr::verifiers {
namespace {

Verdict judge(const Task& task, std::string_view completion,
              const std::vector<config::AnswerFormat>& priority) {
  const std::optional<std::string> answer = math::extract_final_answer(completion, priority);
  if (!answer) return make_verdict(VerdictStatus::kNoAnswer, "no final answer (or an empty or unclosed \\boxed{})");
  const std::string summary =
      "extracted " + clip_for_detail(*answer) + ", expected " + clip_for_detail(task.reference);

  const math::ParseOutcome response = math::parse_answer(*answer);
  if (!response.answer) return make_verdict(VerdictStatus::kInvalid, summary + ": " + response.error, *answer);
  const math::ParseOutcome gold = math::parse_answer(task.reference);
  if (!gold.answer) {
    // A reference we cannot read is the dataset's fault; fall back to text equality.
    const bool same = math::normalize_answer(*answer) == math::normalize_answer(task.reference);
    return make_verdict(same ? VerdictStatus::kCorrect : VerdictStatus::kWrong,
                summary + " (reference unparseable: " + gold.error + ")", *answer);
  }
  const bool equal = math::answers_equal(*gold.answer, *response.answer);
  return make_verdict(equal ? VerdictStatus::kCorrect : VerdictStatus::kWrong, summary, *answer);
}

}  // namespace

MathVerifier::MathVerifier(const config::MathVerifierConfig& config) {
  for (int f : config.extraction_priority()) priority_.push_back(static_cast<config::AnswerFormat>(f));
  if (priority_.empty()) priority_ = math::default_extraction_priority();
}

Verdict MathVerifier::verify(const Task& task, std::string_view completion) const {
  return unjudged_on_failure([&] { return judge(task, completion, priority_); });
}

bool MathVerifier::same_answer(const Task&, const std::string& a, const std::string& b) const {
  try {
    const math::ParseOutcome pa = math::parse_answer(a);
    const math::ParseOutcome pb = math::parse_answer(b);
    if (pa.answer && pb.answer) return math::answers_equal(*pa.answer, *pb.answer);
    return math::normalize_answer(a) == math::normalize_answer(b);
  } catch (const std::exception&) {
    return a == b;
  }
}

RLVR_REGISTER_VERIFIER("math", [](const config::VerifierConfig& c) {
  return std::make_unique<MathVerifier>(c.math());
});

}  // namespace rlvr::verifiers
