// Pulling answers out of free-form completions. Pure functions, thread-safe,
// linear in the length of the text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rlvr::verifiers {

// Trimmed text inside the last complete <answer>...</answer> pair, or nullopt
// when the text has none (an unclosed tag, e.g. a truncated completion, is none).
std::optional<std::string> extract_tagged_answer(std::string_view text);

// The answer of a short-answer completion: the tagged answer when there is one,
// else the trimmed first non-empty line ("" when every line is blank).
std::string extract_answer_line(std::string_view text);

// The last number in `text` with thousands commas removed ("1,234.50" ->
// "1234.50"), or nullopt. A '-' is a sign only when not preceded by a digit or a
// letter, so "3-5" yields "5" (a subtraction, not minus five).
std::optional<std::string> extract_last_number(std::string_view text);

// Canonical form of a text that is exactly one number (optional sign, digits with
// optional thousands commas, optional fraction; surrounding blanks allowed):
// no leading zeros, no trailing fractional zeros, no "-0". "0132" -> "132",
// "-2.50" -> "-2.5", "-0.0" -> "0". nullopt when the text is not a number.
std::optional<std::string> canonical_number(std::string_view text);

}  // namespace rlvr::verifiers
