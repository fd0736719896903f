// "parity": the answer is a single bit, "0" or "1", or the worked form "#"
// followed by bits (the running parity after each input bit), whose last bit is
// the answer; the intermediate bits are the model's own working and are not
// graded. The answer is the tagged answer or the first non-empty line
// (extract_answer_line). Compared with task.reference. Never throws on model
// output; linear in the completion. Stateless and thread-safe.
#include <string>

#include "core/error.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

bool is_bits(std::string_view text) { return text.find_first_not_of("01") == std::string_view::npos; }

class ParityVerifier : public Verifier {
 public:
  std::string name() const override { return "parity"; }

  // Throws rlvr::Error when the task's reference is not a bit: a bug in the
  // environment, not in the model's output.
  Verdict verify(const Task& task, std::string_view completion) const override {
    if (task.reference != "0" && task.reference != "1") {
      throw Error("parity task '" + task.id + "' has reference '" + clip_for_detail(task.reference) +
                  "'; it must be \"0\" or \"1\"");
    }
    const std::string line = extract_answer_line(completion);
    if (line.empty() || line == "#") return make_verdict(VerdictStatus::kNoAnswer, "no bit in the answer");
    const bool worked = line.front() == '#';
    const std::string_view bits = std::string_view(line).substr(worked ? 1 : 0);
    if (!is_bits(bits) || (!worked && bits.size() != 1)) {
      return make_verdict(VerdictStatus::kInvalid,
                          "'" + clip_for_detail(line) + "' is neither one bit nor '#' followed by bits", line);
    }
    const std::string answer(1, bits.back());
    if (answer != task.reference) {
      return make_verdict(VerdictStatus::kWrong, "answered " + answer + ", expected " + task.reference, answer);
    }
    return make_verdict(VerdictStatus::kCorrect, answer, answer);
  }
};

}  // namespace

RLVR_REGISTER_VERIFIER("parity", [](const config::VerifierConfig&) { return std::make_unique<ParityVerifier>(); });

}  // namespace rlvr::verifiers
