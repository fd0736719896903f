// Small string helpers used across layers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rlvr {

std::string trim(std::string_view s);
// `s` with ASCII letters in lower case (other bytes, UTF-8 included, as they are).
std::string ascii_lower(std::string_view s);
// <cctype>'s classes (C locale) for a plain char of either sign.
bool is_space(char c);
bool is_letter(char c);
bool is_digit(char c);
bool is_alnum(char c);
std::vector<std::string> split(std::string_view s, char sep);
bool ends_with(std::string_view s, std::string_view suffix);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Text-format / C-style double-quoted string with escapes.
std::string quote(std::string_view s);
// The candidate closest to `word` by edit distance, or "" when none is close
// enough to be a plausible typo.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// The brace-balanced argument of the last `command` in `text` ("\\boxed" in
// "so \\boxed{\\frac{1}{2}}" gives "\\frac{1}{2}"), or "" when there is none
// or its braces never close.
std::string last_braced_argument(std::string_view text, std::string_view command);

}  // namespace rlvr
