#include "verifiers/answer_extraction.h"

#include <cctype>

#include "core/text_util.h"

namespace rlvr::verifiers {
namespace {

// Reads an unsigned number starting at text[i] (a digit): digits, then ",ddd"
// groups when the first run has at most 3 digits, then ".d+". Appends the digits
// (commas dropped) to `out` and returns the index after the number.
size_t read_unsigned(std::string_view text, size_t i, std::string& out) {
  const size_t start = i;
  while (i < text.size() && is_digit(text[i])) out += text[i++];
  if (i - start <= 3) {
    // A group is exactly three digits, so "3,7,25" stays a list of numbers.
    while (i + 3 < text.size() && text[i] == ',' && is_digit(text[i + 1]) &&
           is_digit(text[i + 2]) && is_digit(text[i + 3]) &&
           (i + 4 == text.size() || !is_digit(text[i + 4]))) {
      out.append(text.substr(i + 1, 3));
      i += 4;
    }
  }
  if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
    out += text[i++];
    while (i < text.size() && is_digit(text[i])) out += text[i++];
  }
  return i;
}

}  // namespace

std::optional<std::string> extract_tagged_answer(std::string_view text) {
  static constexpr std::string_view kOpen = "<answer>";
  const size_t close = text.rfind("</answer>");
  if (close == std::string_view::npos) return std::nullopt;
  const size_t open = text.rfind(kOpen, close);
  if (open == std::string_view::npos) return std::nullopt;
  const size_t begin = open + kOpen.size();
  return trim(text.substr(begin, close - begin));
}

std::string extract_answer_line(std::string_view text) {
  if (std::optional<std::string> tagged = extract_tagged_answer(text)) return *tagged;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = trim(text.substr(start, end - start));
    if (!line.empty()) return line;
    start = end + 1;
  }
  return "";
}

std::optional<std::string> extract_last_number(std::string_view text) {
  std::optional<std::string> last;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    const bool negative = i > 0 && text[i - 1] == '-' && (i < 2 || !is_alnum(text[i - 2]));
    std::string number = negative ? "-" : "";
    i = read_unsigned(text, i, number);
    last = std::move(number);
  }
  return last;
}

std::optional<std::string> canonical_number(std::string_view text) {
  const std::string s = trim(text);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
  std::string digits;
  if (read_unsigned(s, i, digits) != s.size()) return std::nullopt;

  const size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  fraction.erase(fraction.find_last_not_of('0') + 1);
  std::string out = whole;
  if (!fraction.empty()) out += "." + fraction;
  if (negative && out != "0") out.insert(0, "-");
  return out;
}

}  // namespace rlvr::verifiers
