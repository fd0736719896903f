// "grid": the answer is a filled-in grid written as task.reference is, cells
// as digits and the layout characters between them as they are:
//   meta["puzzle"] "12.4/34.2/2143/4.21" ('.' the blanks to fill),
//   reference      "1234/3412/2143/4321" (the sudoku generator).
// The answer is the tagged answer or the first non-empty line
// (extract_answer_line).
// Partial credit: reward = the fraction of the puzzle's blanks the answer
// fills with the reference's digit; correct only when all are. An answer not
// shaped like the reference (length, layout, a non-digit cell) is kInvalid and
// one that changes a given cell is kWrong, both with reward 0: partial credit
// is for a well-formed completion of this puzzle. The reference is the
// puzzle's only solution (the generator ensures it), so matching it is solving
// it. Never throws on model output; linear in the completion. Stateless and
// thread-safe.
#include <string>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

bool same_layout(const std::string& puzzle, const std::string& reference) {
  if (puzzle.size() != reference.size()) return false;
  for (size_t i = 0; i < reference.size(); ++i) {
    const bool cell = is_digit(reference[i]);
    if (cell ? !(is_digit(puzzle[i]) || puzzle[i] == '.') : puzzle[i] != reference[i]) return false;
  }
  return true;
}

class GridVerifier : public Verifier {
 public:
  std::string name() const override { return "grid"; }

  // Throws rlvr::Error when the task has no meta "puzzle" laid out like its
  // reference, or no blank: a bug in the environment, not in the model's output.
  Verdict verify(const Task& task, std::string_view completion) const override {
    const auto meta = task.meta.find("puzzle");
    const std::string& reference = task.reference;
    if (meta == task.meta.end() || !same_layout(meta->second, reference) ||
        meta->second.find('.') == std::string::npos) {
      throw Error("grid task '" + task.id +
                  "' needs a meta \"puzzle\" with blanks ('.') laid out like its reference '" +
                  clip_for_detail(reference) + "'");
    }
    const std::string& puzzle = meta->second;

    const std::string answer = extract_answer_line(completion);
    if (answer.empty()) return make_verdict(VerdictStatus::kNoAnswer, "no grid in the answer");
    if (answer.size() != reference.size()) {
      return make_verdict(VerdictStatus::kInvalid,
                          "the answer has " + std::to_string(answer.size()) + " characters, a grid like '" +
                              clip_for_detail(reference) + "' has " + std::to_string(reference.size()),
                          answer);
    }
    size_t blanks = 0, right = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
      const bool cell = is_digit(reference[i]);
      if (cell ? !is_digit(answer[i]) : answer[i] != reference[i]) {
        return make_verdict(VerdictStatus::kInvalid,
                            "'" + clip_for_detail(answer) + "' is not laid out like '" + clip_for_detail(reference) +
                                "' (column " + std::to_string(i + 1) + ")",
                            answer);
      }
      if (cell && puzzle[i] != '.' && answer[i] != puzzle[i]) {
        return make_verdict(VerdictStatus::kWrong, "changes the given " + std::string(1, puzzle[i]) + " at column " +
                            std::to_string(i + 1), answer);
      }
      if (puzzle[i] == '.') {
        ++blanks;
        right += answer[i] == reference[i];
      }
    }
    const std::string tally = std::to_string(right) + " of " + std::to_string(blanks) + " blanks right";
    if (right == blanks) return make_verdict(VerdictStatus::kCorrect, tally, answer);
    Verdict v = make_verdict(VerdictStatus::kWrong, tally, answer);
    v.reward = static_cast<double>(right) / static_cast<double>(blanks);
    return v;
  }
};

}  // namespace

RLVR_REGISTER_VERIFIER("grid", [](const config::VerifierConfig&) { return std::make_unique<GridVerifier>(); });

}  // namespace rlvr::verifiers
