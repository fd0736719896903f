// Finding the final answer in a model's completion for the math verifier.
// Default preference order (conformance README, "Extraction"): the last
// \boxed{} or \fbox{} (nested braces balanced; `\boxed 5` too), else the last
// <answer>...</answer>, else the text after the last `####`, else what follows
// the last "final answer" / "answer is" / "answer:" (its $...$ group, what
// follows the last " is " of a sentence, or the rest of its line), else the
// last $...$ or \[...\] group, else the last number. Boxes joined by "and" or
// commas form one answer. Text after a new chat turn (`<|im_start|>`,
// "\nUser:") is ignored. The order is configurable
// (verifier.math.extraction_priority). Pure, thread-safe, linear time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.pb.h"

namespace rlvr::verifiers::math {

// The default order: BOXED, ANSWER_TAG, GSM8K_HASHES, ANSWER_PHRASE, LAST_MATH, LAST_NUMBER.
const std::vector<config::AnswerFormat>& default_extraction_priority();

// The order a dataset's answer style implies (config.proto, MathAnswerStyle);
// BY_DATASET and GENERAL_STYLE give the default.
const std::vector<config::AnswerFormat>& extraction_priority_for(config::MathAnswerStyle style);

// The completion up to where it starts a new chat turn (a template marker such
// as `<|im_end|>` or `<|im_start|>`, or a "\nUser:" line): a model that runs on
// writes the next question and often its answer there.
std::string_view before_new_turn(std::string_view completion);

struct ExtractedAnswer {
  std::string text;              // trimmed
  config::AnswerFormat format;  // where it was found
};

// The answer of the first format in `priority` that is present, or nullopt
// when none is. An unclosed or empty last box is no answer: a later format
// does not stand in for it.
std::optional<ExtractedAnswer> extract_answer(
    std::string_view completion,
    const std::vector<config::AnswerFormat>& priority = default_extraction_priority());

// The text of extract_answer.
std::optional<std::string> extract_final_answer(
    std::string_view completion,
    const std::vector<config::AnswerFormat>& priority = default_extraction_priority());

}  // namespace rlvr::verifiers::math
