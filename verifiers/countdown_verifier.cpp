#include "verifiers/countdown_verifier.h"

#include <charconv>
#include <map>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/arithmetic_expression.h"

namespace rlvr::verifiers {
namespace {

// "25+3*7 = 46" -> "25+3*7": models often restate the target.
std::string strip_result(const std::string& answer) {
  const size_t eq = answer.rfind('=');
  if (eq == std::string::npos || !canonical_number(answer.substr(eq + 1))) return answer;
  return trim(std::string_view(answer).substr(0, eq));
}

int64_t parse_int(const std::string& text, const Task& task, const char* what) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw Error("countdown task '" + task.id + "': " + what + " '" + text + "' is not an integer");
  }
  return value;
}

}  // namespace

Verdict CountdownVerifier::verify(const Task& task, std::string_view completion) const {
  const auto numbers_it = task.meta.find("numbers");
  if (numbers_it == task.meta.end()) {
    throw Error("countdown task '" + task.id + "' has no meta \"numbers\"; is it a countdown task?");
  }
  std::map<int64_t, int> available;
  for (const std::string& n : split(numbers_it->second, ',')) {
    ++available[parse_int(trim(n), task, "number")];
  }
  const int64_t target = parse_int(trim(task.reference), task, "reference");

  const std::string answer = strip_result(extract_answer_line(completion));
  if (answer.empty()) return make_verdict(VerdictStatus::kNoAnswer, "empty answer");

  const ExpressionResult expr = evaluate_expression(answer);
  if (!expr.ok) return make_verdict(VerdictStatus::kInvalid, expr.error, answer);
  for (const int64_t n : expr.literals) {
    if (--available[n] < 0) {
      return make_verdict(VerdictStatus::kInvalid,
                  "uses " + std::to_string(n) + " more often than given (" + numbers_it->second + ")",
                  answer);
    }
  }
  std::string value = std::to_string(expr.numerator);
  if (expr.denominator != 1) value += "/" + std::to_string(expr.denominator);
  const bool correct = expr.denominator == 1 && expr.numerator == target;
  return make_verdict(correct ? VerdictStatus::kCorrect : VerdictStatus::kWrong,
              "value " + value + ", expected " + std::to_string(target), answer);
}

RLVR_REGISTER_VERIFIER("countdown", [](const config::VerifierConfig&) {
  return std::make_unique<CountdownVerifier>();
});

}  // namespace rlvr::verifiers
