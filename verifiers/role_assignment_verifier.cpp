// "role_assignment": the answer gives each of a fixed set of names a value, as
// task.reference does: "A=knight B=knave C=knight" (knights_knaves). Pairs
// are separated by blanks or commas, in any order; values compare without
// regard to case. The answer is the tagged answer or the first non-empty line
// (extract_answer_line).
// Partial credit: reward = the fraction of the reference's names given their
// reference value (a missing name counts as wrong); correct only when all are.
// A pair that is not name=value, a name the reference lacks or a name given
// twice makes the answer kInvalid with reward 0, so guessing every value for a
// name earns nothing. Never throws on model output; linear in the completion.
// Stateless and thread-safe.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

constexpr std::string_view kPairSeparators = " ,\t\r";

struct NameValue {
  std::string name;
  std::string value;  // lower case
};

// The name=value pairs of `text` in order, or nullopt with `bad` set to the
// first word that is not one.
std::optional<std::vector<NameValue>> parse_pairs(std::string_view text, std::string& bad) {
  std::vector<NameValue> pairs;
  for (size_t start = text.find_first_not_of(kPairSeparators); start != std::string_view::npos;
       start = text.find_first_not_of(kPairSeparators, start)) {
    const std::string_view word = text.substr(start, text.find_first_of(kPairSeparators, start) - start);
    start += word.size();
    const size_t equals = word.find('=');
    if (equals == 0 || equals == std::string_view::npos || equals + 1 == word.size()) {
      bad = std::string(word);
      return std::nullopt;
    }
    pairs.push_back(NameValue{std::string(word.substr(0, equals)), ascii_lower(word.substr(equals + 1))});
  }
  return pairs;
}

class RoleAssignmentVerifier : public Verifier {
 public:
  std::string name() const override { return "role_assignment"; }

  // Throws rlvr::Error when task.reference is no list of name=value pairs with
  // distinct names: a bug in the environment, not in the model's output.
  Verdict verify(const Task& task, std::string_view completion) const override {
    std::string bad;
    const std::optional<std::vector<NameValue>> reference = parse_pairs(task.reference, bad);
    std::map<std::string, std::string> expected;
    if (reference) {
      for (const NameValue& p : *reference) expected.emplace(p.name, p.value);
    }
    if (!reference || reference->empty() || expected.size() != reference->size()) {
      throw Error("role_assignment task '" + task.id + "' has reference '" + clip_for_detail(task.reference) +
                  "'; it must be name=value pairs with distinct names");
    }

    const std::string answer = extract_answer_line(completion);
    const std::optional<std::vector<NameValue>> given = parse_pairs(answer, bad);
    if (!given) {
      return make_verdict(VerdictStatus::kInvalid, "'" + clip_for_detail(bad) + "' is not name=value", answer);
    }
    if (given->empty()) return make_verdict(VerdictStatus::kNoAnswer, "no name=value pairs in the answer");

    std::map<std::string, std::string> values;
    for (const NameValue& p : *given) {
      if (expected.count(p.name) == 0) {
        return make_verdict(VerdictStatus::kInvalid, "'" + clip_for_detail(p.name) + "' is not a name of the task",
                            answer);
      }
      if (!values.emplace(p.name, p.value).second) {
        return make_verdict(VerdictStatus::kInvalid, "'" + p.name + "' is given twice", answer);
      }
    }
    size_t right = 0;
    std::string canonical;
    for (const NameValue& p : *reference) {
      const auto it = values.find(p.name);
      right += it != values.end() && it->second == p.value;
      if (it != values.end()) canonical += (canonical.empty() ? "" : " ") + p.name + "=" + it->second;
    }
    const std::string tally = std::to_string(right) + " of " + std::to_string(reference->size()) + " right";
    if (right == reference->size()) return make_verdict(VerdictStatus::kCorrect, tally, canonical);
    Verdict v = make_verdict(VerdictStatus::kWrong, tally + ", expected " + clip_for_detail(task.reference), canonical);
    v.reward = static_cast<double>(right) / static_cast<double>(reference->size());
    return v;
  }
};

}  // namespace

RLVR_REGISTER_VERIFIER("role_assignment", [](const config::VerifierConfig&) {
  return std::make_unique<RoleAssignmentVerifier>();
});

}  // namespace rlvr::verifiers
