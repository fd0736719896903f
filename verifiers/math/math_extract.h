// Finding the final answer in a model's completion for the math verifier.
// Preference order (conformance README, "Extraction"): the last \boxed{} or
// \fbox{} (nested braces balanced; `\boxed 5` too), else the last
// <answer>...</answer>, else the text after the last `####`, else what follows
// the last "final answer" / "answer is" / "answer:" (its $...$ group or the
// rest of its line), else the last number. Pure, thread-safe, linear time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rlvr::verifiers::math {

// The trimmed answer text, or nullopt when there is none. An unclosed or empty
// last box is no answer: an earlier number does not stand in for it.
std::optional<std::string> extract_final_answer(std::string_view completion);

}  // namespace rlvr::verifiers::math
