// "radix_number": the answer is a non-negative whole number written in base
// task.meta["base"] (2..16; digits 0-9 then A-F, either case, no prefix or
// sign), equal to task.reference written in that base: base 2 "1101", base 16
// "1A" (radix_conversion). Leading zeros do not matter ("0011" is "11"). The
// answer is the tagged answer or the first non-empty line (extract_answer_line).
// Partial credit: digits are compared place by place from the least
// significant end; a wrong answer's reward is the places that agree over the
// digits of the longer number ("1100" for "1101": 0.75; one digit too many
// or too few loses at least one place), and only an equal number is correct.
// An answer with a character that is no digit of the base is kInvalid (reward 0).
// Never throws on model output; reads at most kMaxDigits characters of the
// answer. Stateless and thread-safe.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "core/error.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

// 2^64 in base 2 has 65 digits; no reference is longer.
constexpr size_t kMaxDigits = 80;

std::optional<int> base_of(const Task& task) {
  const auto meta = task.meta.find("base");
  if (meta == task.meta.end()) return std::nullopt;
  int base = 0;
  const auto [end, ec] = std::from_chars(meta->second.data(), meta->second.data() + meta->second.size(), base);
  if (ec != std::errc() || end != meta->second.data() + meta->second.size() || base < 2 || base > 16) {
    return std::nullopt;
  }
  return base;
}

// `text` upper-cased without leading zeros ("0" for zero) when it is digits
// of `base`, else nullopt.
std::optional<std::string> canonical_digits(std::string_view text, int base) {
  static constexpr std::string_view kDigits = "0123456789ABCDEF";
  if (text.empty()) return std::nullopt;
  std::string digits;
  for (const char c : text) {
    const char upper = c >= 'a' && c <= 'f' ? static_cast<char>(c - 'a' + 'A') : c;
    const size_t value = kDigits.find(upper);
    if (value == std::string_view::npos || static_cast<int>(value) >= base) return std::nullopt;
    if (!digits.empty() || upper != '0') digits += upper;
  }
  return digits.empty() ? "0" : digits;
}

// Places, counted from the last digit, where `a` and `b` have the same digit.
size_t agreeing_places(const std::string& a, const std::string& b) {
  size_t agree = 0;
  for (size_t i = 1; i <= std::min(a.size(), b.size()); ++i) agree += a[a.size() - i] == b[b.size() - i];
  return agree;
}

class RadixNumberVerifier : public Verifier {
 public:
  std::string name() const override { return "radix_number"; }

  // Throws rlvr::Error when meta "base" is no base in 2..16 or the reference
  // no number in it: a bug in the environment, not in the model's output.
  Verdict verify(const Task& task, std::string_view completion) const override {
    const std::optional<int> base = base_of(task);
    const std::optional<std::string> expected = base ? canonical_digits(task.reference, *base) : std::nullopt;
    if (!expected) {
      throw Error("radix_number task '" + task.id +
                  "' needs a meta \"base\" in 2..16 and a reference in that base, got '" +
                  clip_for_detail(task.reference) + "'");
    }

    const std::string answer = extract_answer_line(completion);
    if (answer.empty()) return make_verdict(VerdictStatus::kNoAnswer, "no number in the answer");
    if (answer.size() > kMaxDigits) {
      return make_verdict(VerdictStatus::kInvalid,
                          "the answer is longer than " + std::to_string(kMaxDigits) + " digits",
                          clip_for_detail(answer));
    }
    const std::optional<std::string> given = canonical_digits(answer, *base);
    if (!given) {
      return make_verdict(VerdictStatus::kInvalid,
                          "'" + clip_for_detail(answer) + "' is not a number in base " + std::to_string(*base), answer);
    }
    const std::string detail =
        "answered " + *given + ", expected " + *expected + " (base " + std::to_string(*base) + ")";
    if (*given == *expected) return make_verdict(VerdictStatus::kCorrect, detail, *given);
    Verdict v = make_verdict(VerdictStatus::kWrong, detail, *given);
    v.reward = static_cast<double>(agreeing_places(*given, *expected)) /
               static_cast<double>(std::max(given->size(), expected->size()));
    return v;
  }
};

}  // namespace

RLVR_REGISTER_VERIFIER("radix_number", [](const config::VerifierConfig&) {
  return std::make_unique<RadixNumberVerifier>();
});

}  // namespace rlvr::verifiers
