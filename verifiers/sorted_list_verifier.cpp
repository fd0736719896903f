// "sorted_list": the answer must be exactly the numbers of task.meta["numbers"]
// ("3,9,1,4") in ascending order, so it checks the task rather than matching a
// string. The answer is the tagged answer or the first non-empty line
// (extract_answer_line), its numbers separated by blanks or commas ("1 3 4 9",
// "1, 3, 4, 9"). Never throws on model output; linear in the completion.
// Stateless and thread-safe.
#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "core/error.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

constexpr std::string_view kSeparators = " ,\t\r";

// The integers of `text`, or nullopt with `bad` set to the first word that is not one.
std::optional<std::vector<int64_t>> parse_numbers(std::string_view text, std::string& bad) {
  std::vector<int64_t> numbers;
  for (size_t start = text.find_first_not_of(kSeparators); start != std::string_view::npos;
       start = text.find_first_not_of(kSeparators, start)) {
    const std::string_view word = text.substr(start, text.find_first_of(kSeparators, start) - start);
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
    if (ec != std::errc() || end != word.data() + word.size()) {
      bad = std::string(word);
      return std::nullopt;
    }
    numbers.push_back(n);
    start += word.size();
  }
  return numbers;
}

class SortedListVerifier : public Verifier {
 public:
  std::string name() const override { return "sorted_list"; }

  // Throws rlvr::Error when the task has no meta "numbers" list: a bug in the
  // environment, not in the model's output.
  Verdict verify(const Task& task, std::string_view completion) const override {
    const auto meta = task.meta.find("numbers");
    std::string bad;
    std::optional<std::vector<int64_t>> expected;
    if (meta != task.meta.end()) expected = parse_numbers(meta->second, bad);
    if (!expected) throw Error("sorted_list task '" + task.id + "' has no meta \"numbers\" list of integers");
    std::sort(expected->begin(), expected->end());

    const std::string answer = extract_answer_line(completion);
    const std::optional<std::vector<int64_t>> given = parse_numbers(answer, bad);
    if (!given) return make_verdict(VerdictStatus::kInvalid, "'" + clip_for_detail(bad) + "' is not an integer", answer);
    if (given->empty()) return make_verdict(VerdictStatus::kNoAnswer, "no numbers in the answer");
    if (!std::is_sorted(given->begin(), given->end())) {
      return make_verdict(VerdictStatus::kWrong, clip_for_detail(answer) + " is not in ascending order", answer);
    }
    if (*given != *expected) {
      return make_verdict(VerdictStatus::kWrong,
                          clip_for_detail(answer) + " is not the numbers " + meta->second + " sorted", answer);
    }
    return make_verdict(VerdictStatus::kCorrect, clip_for_detail(answer), answer);
  }
};

}  // namespace

RLVR_REGISTER_VERIFIER("sorted_list", [](const config::VerifierConfig&) {
  return std::make_unique<SortedListVerifier>();
});

}  // namespace rlvr::verifiers
