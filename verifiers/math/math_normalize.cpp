#include "verifiers/math/math_normalize.h"

#include <array>
#include <cctype>
#include <utility>

#include "core/text_util.h"

namespace rlvr::verifiers::math {
namespace {

using rlvr::trim;

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find(from, pos);
    if (hit == std::string::npos) break;
    out.append(s, pos, hit - pos);
    out.append(to);
    pos = hit + from.size();
  }
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

// Replaces the command `\name` (not a prefix of a longer command name).
void replace_command(std::string& s, std::string_view name, std::string_view to) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\\' && s.compare(i + 1, name.size(), name) == 0 &&
        (i + 1 + name.size() >= s.size() || !is_letter(s[i + 1 + name.size()]))) {
      out.append(to);
      i += 1 + name.size();
    } else {
      out.push_back(s[i++]);
    }
  }
  s = std::move(out);
}

// `x != 3` -> `x \neq 3`; `5!=120` stays a factorial equation.
void replace_not_equal_sign(std::string& s) {
  for (size_t at = s.find("!="); at != std::string::npos; at = s.find("!=", at + 1)) {
    if (at > 0 && is_digit(s[at - 1])) continue;
    s.replace(at, 2, "\\neq ");
  }
}

// Drops \! \, \; \: and "\ " (thin and explicit spaces) but keeps the row
// separator \\ of matrices, which "\\ 3" would otherwise lose.
std::string drop_spacing_commands(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char next = s[i + 1];
      if (next == '\\') {
        out += "\\\\";
        ++i;
        continue;
      }
      if (next == '!' || next == ',' || next == ';' || next == ':' || next == ' ') {
        ++i;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Index just past the brace group opening at `open`, or npos when unbalanced.
size_t skip_group(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;  // \{ and \} are set braces, not grouping
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string::npos;
}

// Words inside \text{} are marked with '@' so units can be dropped and other
// words rejected; `\mathrm{i}`, `\mathrm{e}` and numbers stay themselves.
std::string unwrap_text(std::string_view content) {
  const std::string t = trim(content);
  bool words = !t.empty();
  // Compound units ("m/s", "km/h") split into unit words.
  for (char c : t) words = words && (is_letter(c) || c == ' ' || c == '/');
  if (!words) return " " + t + " ";
  if (t == "i" || t == "e") return t;  // \mathrm{i}, \mathrm{e}: the constants
  std::string out = " ";
  bool start = true;
  for (char c : t) {
    if (c == ' ' || c == '/') {
      start = true;
    } else {
      if (start) out += " @";
      start = false;
      out.push_back(c);
    }
  }
  return out + " ";
}

void unwrap_text_commands(std::string& s) {
  static constexpr std::array<std::string_view, 13> kWrappers = {
      "text",   "textbf", "textrm", "textit", "textnormal", "textsf",      "texttt",
      "mathrm", "mathbf", "mathit", "mathsf", "mbox",       "operatorname"};
  for (std::string_view name : kWrappers) {
    const std::string head = "\\" + std::string(name) + "{";
    size_t pos;
    while ((pos = s.find(head)) != std::string::npos) {
      const size_t open = pos + head.size() - 1;
      const size_t end = skip_group(s, open);
      if (end == std::string::npos) {
        s.erase(pos, head.size());  // unbalanced: drop the command, the parser reports the rest
        continue;
      }
      std::string_view content(s.data() + open + 1, end - open - 2);
      std::string repl =
          name == "operatorname" ? "\\" + trim(content) + " " : unwrap_text(content);
      s.replace(pos, end - pos, repl);
    }
  }
}

// `1,234,567` -> `1234567` (separator ','), `1 000 000` -> `1000000` (' '):
// groups of exactly three digits after a 1-3 digit head, one separator
// between them. Anything else stays as written (`1, 234` is a list).
std::string drop_thousands_separators(const std::string& s, char separator) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (!is_digit(s[i]) || (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.'))) {
      out.push_back(s[i++]);
      continue;
    }
    size_t j = i;
    while (j < s.size() && is_digit(s[j])) ++j;
    size_t end = j;
    size_t groups = 0;
    while (end + 4 <= s.size() && s[end] == separator && is_digit(s[end + 1]) && is_digit(s[end + 2]) &&
           is_digit(s[end + 3]) && (end + 4 == s.size() || !is_digit(s[end + 4]))) {
      end += 4;
      ++groups;
    }
    if (groups > 0 && j - i <= 3) {
      for (size_t k = i; k < end; ++k) {
        if (s[k] != separator) out.push_back(s[k]);
      }
    } else {
      out.append(s, i, end - i);
    }
    i = end;
  }
  return out;
}

// A plain trailing word that is a unit rather than a product of variables:
// short unit names from a list ("cm", "kg", "mph"), or any word of four or more
// letters ("hours", "apples"), which the parser would reject as prose anyway.
bool is_unit_like_word(const std::string& word) {
  // "am" and "pm" after a clock time: the 12-hour marker is not compared.
  static constexpr std::array<std::string_view, 24> kShortUnits = {
      "cm", "mm", "km", "kg", "mg", "lb", "lbs", "oz", "ft", "in", "yd", "mi", "mph",
      "kph", "min", "hr", "hrs", "ml", "cc", "sq", "am", "pm", "AM", "PM"};
  static constexpr std::array<std::string_view, 16> kMath = {
      "sin", "cos", "tan", "sec", "csc", "cot", "ln", "log", "exp", "sqrt",
      "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"};
  for (std::string_view m : kMath) {
    if (word == m) return false;
  }
  if (word.size() >= 4) return true;
  for (std::string_view u : kShortUnits) {
    if (word == u) return true;
  }
  return false;
}

// "9 @square": another unit word before the one being dropped.
bool ends_with_marked_word(const std::string& s) {
  size_t b = s.size();
  while (b > 0 && is_letter(s[b - 1])) --b;
  return b < s.size() && b > 0 && s[b - 1] == '@';
}

// Drops trailing unit words ("cm", "@square @units", "@m^2", "dollars") when a
// value remains before them.
void drop_trailing_units(std::string& s) {
  while (true) {
    std::string t = trim(s);
    size_t end = t.size();
    // A squared or cubed unit: "m^2", "m^{3}".
    for (std::string_view suffix : {"^2", "^3", "^{2}", "^{3}"}) {
      if (end > suffix.size() && t.compare(end - suffix.size(), suffix.size(), suffix) == 0 &&
          t.find_last_not_of(' ', end - suffix.size() - 1) != std::string::npos &&
          is_letter(t[t.find_last_not_of(' ', end - suffix.size() - 1)])) {
        end -= suffix.size();
        break;
      }
    }
    while (end > 0 && is_space(t[end - 1])) --end;
    size_t b = end;
    while (b > 0 && is_letter(t[b - 1])) --b;
    if (b == end) return;
    const bool marked = b > 0 && t[b - 1] == '@';
    const std::string word = t.substr(b, end - b);
    const size_t word_start = marked ? b - 1 : b;
    if (word_start > 0 && t[word_start - 1] == '\\') return;  // a command such as \pi
    const bool separated = word_start == 0 || is_space(t[word_start - 1]) || is_digit(t[word_start - 1]);
    if (!separated || (!marked && !is_unit_like_word(word))) return;
    const std::string rest = trim(t.substr(0, word_start));
    if (rest.empty()) return;
    const char last = rest.back();
    if (!(is_digit(last) || last == '}' || last == ')' || last == ']' || ends_with_marked_word(rest))) {
      return;
    }
    s = rest;
  }
}

// Plain words with a fixed meaning: the percent / degree / infinity policy.
void rewrite_words(std::string& s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\\') {  // a command name is never one of these words
      out.push_back(s[i++]);
      while (i < s.size() && is_letter(s[i])) out.push_back(s[i++]);
      continue;
    }
    if (!is_letter(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    size_t j = i;
    while (j < s.size() && is_letter(s[j])) ++j;
    std::string word = s.substr(i, j - i);
    std::string lower;
    for (char c : word) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    const bool dropped = lower == "percent" || lower == "pct" || lower == "degrees" || lower == "degree";
    const bool infinity = lower == "infinity";
    if (!out.empty() && out.back() == '@' && (dropped || infinity)) out.pop_back();  // a \text{} word
    if (dropped) {
      out.push_back(' ');
    } else if (infinity) {
      out += "\\infty ";
    } else {
      out += word;
    }
    i = j;
  }
  s = std::move(out);
}

}  // namespace

std::string normalize_answer(std::string_view text) {
  std::string s(text);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kUnicode = {{
      {"\u2212", "-"}, {"\u2013", "-"}, {"\u221e", "\\infty "}, {"\u00b0", ""}, {"\u00d7", "\\times "},
      {"\u00b7", "\\cdot "}, {"\u22c5", "\\cdot "}, {"\u2264", "\\le "}, {"\u2265", "\\ge "},
      {"\u03c0", "\\pi "}, {"\u221a", "\\sqrt "}, {"\u00a0", " "}, {"\u00f7", "\\div "},
      {"\u2260", "\\neq "},
  }};
  for (const auto& [from, to] : kUnicode) replace_all(s, from, to);
  for (std::string_view delimiter : {"\\(", "\\)", "\\[", "\\]"}) replace_all(s, delimiter, " ");
  replace_all(s, "\\$", " ");
  replace_all(s, "$", " ");
  replace_all(s, "\\%", " ");
  replace_all(s, "%", " ");
  replace_all(s, "{,}", ",");
  replace_all(s, "{:}", ":");
  // "\frac{5}{12} \approx 0.4167": the exact value stated first is the answer.
  for (std::string_view approx : {"\\approx", "\u2248"}) {
    const size_t at = s.find(approx);
    if (at != std::string::npos && !trim(std::string_view(s).substr(0, at)).empty()) s.erase(at);
  }
  s = drop_spacing_commands(s);
  replace_all(s, "~", " ");
  for (std::string_view name : {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "displaystyle"}) {
    replace_command(s, name, "");
  }
  for (std::string_view name : {"quad", "qquad"}) replace_command(s, name, " ");
  for (std::string_view name : {"dfrac", "tfrac", "cfrac"}) replace_command(s, name, "\\frac");
  for (std::string_view name : {"dbinom", "tbinom"}) replace_command(s, name, "\\binom");
  for (std::string_view name : {"leq", "leqslant"}) replace_command(s, name, "\\le");
  for (std::string_view name : {"geq", "geqslant"}) replace_command(s, name, "\\ge");
  replace_command(s, "ne", "\\neq");
  replace_all(s, "\\not=", "\\neq ");
  replace_not_equal_sign(s);
  replace_command(s, "lt", "<");
  replace_command(s, "gt", ">");
  replace_command(s, "varnothing", "\\emptyset");
  // The real line as a set: the interval it is.
  replace_all(s, "\\mathbb{R}", "(-\\infty,\\infty)");
  replace_command(s, "degree", " ");
  for (std::string_view circ : {"^{\\circ}", "^\\circ", "\\circ"}) replace_all(s, circ, " ");
  unwrap_text_commands(s);
  // "4:30 p.m.": the 12-hour marker as a word, dropped after a time like a unit.
  for (const auto& [from, to] : {std::pair<std::string_view, std::string_view>{"p.m.", " pm "}, {"a.m.", " am "},
                                 {"P.M.", " pm "}, {"A.M.", " am "}}) {
    replace_all(s, from, to);
  }
  rewrite_words(s);
  s = drop_thousands_separators(s, ',');
  s = drop_thousands_separators(s, ' ');
  s = trim(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ',')) s = trim(s.substr(0, s.size() - 1));
  drop_trailing_units(s);
  return trim(s);
}

}  // namespace rlvr::verifiers::math
