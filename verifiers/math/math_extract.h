// Finding the final answer in a model's completion for the math verifier.
// Default preference order (conformance README, "Extraction"): the last
// \boxed{} or \fbox{} (nested braces balanced; `\boxed 5` too), else the last
// <answer>...</answer>, else the text after the last `####`, else what follows
// the last "final answer" / "answer is" / "answer:" (its $...$ group or the
// rest of its line), else the last number. The order is configurable
// (verifier.math.extraction_priority). Pure, thread-safe, linear time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.pb.h"

namespace rlvr::verifiers::math {

// The default order: BOXED, ANSWER_TAG, GSM8K_HASHES, ANSWER_PHRASE, LAST_NUMBER.
const std::vector<config::AnswerFormat>& default_extraction_priority();

// The trimmed answer text of the first format in `priority` that is present,
// or nullopt when none is. An unclosed or empty last box is no answer: a
// later format does not stand in for it.
std::optional<std::string> extract_final_answer(
    std::string_view completion,
    const std::vector<config::AnswerFormat>& priority = default_extraction_priority());

}  // namespace rlvr::verifiers::math
