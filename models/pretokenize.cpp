#include "models/pretokenize.h"

#include <algorithm>

#include "models/unicode_classes.h"
#include "models/utf8.h"

namespace rlvr::models {
namespace {

constexpr const char* kGpt2Regex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr const char* kLlama3Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3})"
    R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kQwen2Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N})"
    R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

bool is_other(char32_t cp) { return !is_whitespace(cp) && !is_letter(cp) && !is_number(cp); }
bool is_newline(char32_t cp) { return cp == '\r' || cp == '\n'; }

// Matches at one position of a decoded piece. Each method mirrors the regex's
// alternatives in order (the regex engine takes the first that matches, not the
// longest) and returns the end index of the match; every position matches.
class Scanner {
 public:
  explicit Scanner(std::vector<char32_t> cps) : c_(std::move(cps)) {}

  size_t size() const { return c_.size(); }

  size_t match_gpt2(size_t i) const {
    if (size_t end = match_contraction(i, /*ignore_case=*/false)) return end;
    // " ?X+": a leading space cannot itself be a letter, number or other, so
    // trying "with the space" first and "without" second reduces to skipping it.
    const size_t j = c_[i] == ' ' ? i + 1 : i;
    if (j < size()) {
      if (is_letter(c_[j])) return run(is_letter, j);
      if (is_number(c_[j])) return run(is_number, j);
      if (is_other(c_[j])) return run(is_other, j);
    }
    return match_trailing_whitespace(i);
  }

  // Llama-3 (max_digits 3) and Qwen2 (max_digits 1).
  size_t match_llama3(size_t i, size_t max_digits) const {
    if (size_t end = match_contraction(i, /*ignore_case=*/true)) return end;
    const char32_t first = c_[i];
    if (is_letter(first)) return run(is_letter, i);
    // [^\r\n\p{L}\p{N}]?\p{L}+ with the optional character present.
    if (!is_number(first) && !is_newline(first) && i + 1 < size() && is_letter(c_[i + 1])) {
      return run(is_letter, i + 1);
    }
    if (is_number(first)) return std::min(run(is_number, i), i + max_digits);
    const size_t j = first == ' ' ? i + 1 : i;
    if (j < size() && is_other(c_[j])) return run(is_newline, run(is_other, j));
    // \s*[\r\n]+: greedy \s* backs off to the last newline of the space run.
    const size_t space_end = run(is_whitespace, i);
    for (size_t k = space_end; k > i; --k) {
      if (is_newline(c_[k - 1])) return k;
    }
    return match_trailing_whitespace(i);
  }

 private:
  template <typename Pred>
  size_t run(Pred pred, size_t i) const {
    while (i < size() && pred(c_[i])) ++i;
    return i;
  }

  // 's|'t|'re|'ve|'m|'ll|'d (ASCII case folding only when ignore_case).
  size_t match_contraction(size_t i, bool ignore_case) const {
    if (c_[i] != '\'') return 0;
    const auto at = [&](size_t k) -> char32_t {
      if (i + k >= size()) return 0;
      const char32_t ch = c_[i + k];
      return ignore_case && ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
    };
    for (const char* suffix : {"s", "t", "re", "ve", "m", "ll", "d"}) {
      size_t k = 0;
      while (suffix[k] != '\0' && at(k + 1) == static_cast<char32_t>(suffix[k])) ++k;
      if (suffix[k] == '\0') return i + 1 + k;
    }
    return 0;
  }

  // \s+(?!\S)|\s+ : a space run followed by a non-space leaves its last space to
  // start the next word (" ?\p{L}+" etc.), unless the run is a single space.
  size_t match_trailing_whitespace(size_t i) const {
    const size_t end = run(is_whitespace, i);
    // Every character is a letter, number, space or other, so callers reach here
    // only on a space; the guard keeps split_words advancing regardless.
    if (end == i) return i + 1;
    return end < size() && end - i >= 2 ? end - 1 : end;
  }

  std::vector<char32_t> c_;
};

}  // namespace

std::optional<SplitPattern> split_pattern_from_regex(const std::string& regex) {
  if (regex == kGpt2Regex) return SplitPattern::kGpt2;
  if (regex == kLlama3Regex) return SplitPattern::kLlama3;
  if (regex == kQwen2Regex) return SplitPattern::kQwen2;
  return std::nullopt;
}

std::vector<std::string_view> split_words(std::string_view text, SplitPattern pattern) {
  std::vector<char32_t> cps;
  std::vector<size_t> offsets;  // byte offset of each code point, then text.size()
  for (size_t pos = 0; pos < text.size();) {
    size_t length;
    cps.push_back(decode_utf8(text, pos, &length));
    offsets.push_back(pos);
    pos += length;
  }
  offsets.push_back(text.size());
  const Scanner scanner(std::move(cps));
  std::vector<std::string_view> words;
  for (size_t i = 0; i < scanner.size();) {
    const size_t end = pattern == SplitPattern::kGpt2    ? scanner.match_gpt2(i)
                       : pattern == SplitPattern::kLlama3 ? scanner.match_llama3(i, 3)
                                                          : scanner.match_llama3(i, 1);
    words.push_back(text.substr(offsets[i], offsets[end] - offsets[i]));
    i = end;
  }
  return words;
}

}  // namespace rlvr::models
