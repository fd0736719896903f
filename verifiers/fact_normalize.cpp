#include "verifiers/fact_normalize.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>

#include "core/text_util.h"

namespace rlvr::verifiers {
namespace {

// U+00C0..U+017F (Latin-1 letters and Latin Extended-A) folded to lower-case
// ASCII; "" for the two symbols there (multiplication and division signs).
constexpr const char* kLatinFold[] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o",
    "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e",
    "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y",
    "th", "y", "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", "d", "d", "e",
    "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", "g", "g", "g", "g", "h", "h", "h", "h",
    "i", "i", "i", "i", "i", "i", "i", "i", "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l",
    "l", "l", "l", "l", "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", "o",
    "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t",
    "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "w", "w", "y", "y", "y", "z",
    "z", "z", "z", "z", "z", "s"};

// The next code point of `text` at `i` (advanced past it), or -1 for an
// invalid byte (skipped one at a time).
int32_t next_code_point(std::string_view text, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  int length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return -1;
  }
  int32_t cp = length == 1 ? b : b & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += static_cast<size_t>(length);
  return cp;
}

void append_utf8(std::string& out, int32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_combining_mark(int32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

// Separators: blanks, ASCII punctuation and symbols, Latin-1 punctuation,
// general punctuation, CJK punctuation, full-width ASCII punctuation.
bool is_separator(int32_t cp) {
  if (cp < 0x80) return !std::isalnum(cp);
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

int32_t lower(int32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;  // Greek capitals
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                 // Cyrillic capitals
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
  if (cp >= 0xFF21 && cp <= 0xFF3A) return cp - 0xFF21 + 'a';     // full-width Latin
  if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0xFF41 + 'a';
  if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10 + '0';     // full-width digits
  return cp;
}

// Canonical spellings of the units answers use.
std::string canonical_unit(std::string unit) {
  static const std::map<std::string, std::string> aliases = {
      {"percent", "%"}, {"per cent", "%"}, {"kilometer", "km"}, {"kilometre", "km"}, {"meter", "m"},
      {"metre", "m"}, {"centimeter", "cm"}, {"centimetre", "cm"}, {"millimeter", "mm"}, {"millimetre", "mm"},
      {"kilogram", "kg"}, {"gram", "g"}, {"mile", "mi"}, {"foot", "ft"}, {"feet", "ft"}, {"inch", "in"},
      {"inches", "in"}, {"pound", "lb"}, {"lbs", "lb"}, {"second", "s"}, {"sec", "s"}, {"minute", "min"},
      {"hour", "h"}, {"hr", "h"}, {"year", "yr"}, {"years", "yr"}, {"degree", "deg"}, {"liter", "l"},
      {"litre", "l"}, {"dollar", "$"}, {"usd", "$"}, {"euro", "eur"}, {"\xe2\x82\xac", "eur"},
      {"\xc2\xb0", "deg"}, {"\xc2\xb0" "c", "degc"}, {"celsius", "degc"}, {"degrees celsius", "degc"}};
  while (!unit.empty() && (unit.back() == '.' || unit.back() == ' ')) unit.pop_back();
  if (const auto it = aliases.find(unit); it != aliases.end()) return it->second;
  if (unit.size() > 3 && unit.back() == 's') {  // plurals: "kilometers", "dollars"
    unit.pop_back();
    if (const auto it = aliases.find(unit); it != aliases.end()) return it->second;
  }
  return unit;
}

std::string trim_blank(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && (std::isspace(static_cast<unsigned char>(s[b - 1])) || s[b - 1] == '.')) --b;
  return std::string(s.substr(a, b - a));
}

// Whether exactly three digits start at `at` (a thousands group).
bool thousands_group_at(std::string_view text, size_t at) {
  const auto digit = [&](size_t k) { return k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])); };
  return digit(at) && digit(at + 1) && digit(at + 2) && !digit(at + 3);
}

int month_number(std::string_view word) {
  static const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                  "july",    "august",   "september", "october", "november", "december"};
  std::string w = ascii_lower(word);
  while (!w.empty() && (w.back() == '.' || w.back() == ',')) w.pop_back();
  if (w.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    const std::string name = kMonths[m];
    if (w == name || (w.size() >= 3 && name.compare(0, w.size(), w) == 0 && (w.size() == 3 || w == "sept"))) {
      return m + 1;
    }
  }
  return 0;
}

// A whole number of 1-4 digits (with an optional ordinal suffix: "4th").
std::optional<int> small_number(std::string_view word) {
  std::string w = ascii_lower(word);
  while (!w.empty() && (w.back() == ',' || w.back() == '.')) w.pop_back();
  for (const char* suffix : {"st", "nd", "rd", "th"}) {
    if (w.size() > 2 && w.compare(w.size() - 2, 2, suffix) == 0) w.resize(w.size() - 2);
  }
  if (w.empty() || w.size() > 4 || !std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  return std::stoi(w);
}

std::string date_text(int year, int month, int day) {
  return day > 0 ? fmt::format("{:04}-{:02}-{:02}", year, month, day) : fmt::format("{:04}-{:02}", year, month);
}

}  // namespace

std::string normalize_fact(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const int32_t cp = next_code_point(text, i);
    if (cp < 0 || is_combining_mark(cp)) continue;
    if (cp >= 0xC0 && cp <= 0x17F) {
      const char* base = kLatinFold[cp - 0xC0];
      folded += *base != '\0' ? base : " ";
    } else if (is_separator(cp)) {
      folded += ' ';
    } else {
      append_utf8(folded, lower(cp));
    }
  }
  std::string out;
  for (const std::string& word : fact_tokens(folded)) {
    if (word == "a" || word == "an" || word == "the") continue;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::vector<std::string> fact_tokens(std::string_view normalized) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < normalized.size()) {
    while (i < normalized.size() && normalized[i] == ' ') ++i;
    const size_t start = i;
    while (i < normalized.size() && normalized[i] != ' ') ++i;
    if (i > start) words.emplace_back(normalized.substr(start, i - start));
  }
  return words;
}

double token_f1(std::string_view prediction, std::string_view gold) {
  const auto p = fact_tokens(prediction), g = fact_tokens(gold);
  if (p.empty() || g.empty()) return p.empty() && g.empty() ? 1.0 : 0.0;
  std::map<std::string, int> gold_counts;
  for (const auto& w : g) ++gold_counts[w];
  int common = 0;
  for (const auto& w : p) {
    auto it = gold_counts.find(w);
    if (it != gold_counts.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  if (common == 0) return 0.0;
  const double precision = static_cast<double>(common) / p.size(), recall = static_cast<double>(common) / g.size();
  return 2 * precision * recall / (precision + recall);
}

std::optional<Quantity> read_quantity(std::string_view raw) {
  const std::string text = trim_blank(raw);
  if (text.empty() || text.size() > 64) return std::nullopt;
  size_t i = 0;
  std::string number;
  if (text[i] == '-' || text[i] == '+') number += text[i++];
  if (i < text.size() && text[i] == '$') ++i;  // "$12" reads as 12 dollars
  const bool dollar = i > 0 && text[i - 1] == '$';
  bool digits = false, point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      number += c;
      digits = true;
    } else if (c == ',' && digits && !point && thousands_group_at(text, i + 1)) {
      continue;  // a thousands comma: exactly three digits follow
    } else if (c == '.' && !point && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      number += c;
      point = true;
    } else if ((c == 'e' || c == 'E') && digits && i + 1 < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '-')) {
      number += c;
      if (text[i + 1] == '-') number += text[++i];
    } else {
      break;
    }
  }
  if (!digits) return std::nullopt;
  Quantity q;
  char* end = nullptr;
  q.value = std::strtod(number.c_str(), &end);
  if (end == nullptr || *end != '\0' || !std::isfinite(q.value)) return std::nullopt;
  const std::string unit = ascii_lower(trim_blank(std::string_view(text).substr(i)));
  if (unit.size() > 24 || std::any_of(unit.begin(), unit.end(), [](char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;  // more words than a unit: a sentence, not a quantity
  }
  q.unit = dollar ? "$" : canonical_unit(unit);
  return q;
}

bool same_quantity(const Quantity& a, const Quantity& b) {
  const double scale = std::max({1.0, std::abs(a.value), std::abs(b.value)});
  if (std::abs(a.value - b.value) > 1e-9 * scale) return false;
  return a.unit == b.unit || a.unit.empty() || b.unit.empty();
}

std::optional<std::string> read_date(std::string_view raw) {
  const std::string text = trim_blank(raw);
  if (text.size() > 40) return std::nullopt;
  // ISO: YYYY-MM-DD or YYYY-MM.
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
    return date_text(y, m, d);
  }
  if (std::sscanf(text.c_str(), "%4d-%2d%c", &y, &m, &tail) == 2 && text.size() == 7 && m >= 1 && m <= 12) {
    return date_text(y, m, 0);
  }
  // Words: "July 4, 1776", "4 July 1776", "July 1776", "4th of July, 1776".
  int month = 0;
  std::vector<std::pair<int, size_t>> numbers;  // value, digits
  for (const auto& w : fact_tokens(text)) {
    if (ascii_lower(w) == "of") continue;
    if (const int mm = month_number(w); mm > 0 && month == 0) {
      month = mm;
    } else if (const auto n = small_number(w)) {
      numbers.emplace_back(*n, std::count_if(w.begin(), w.end(), [](char c) { return std::isdigit(c) != 0; }));
    } else {
      return std::nullopt;
    }
  }
  if (month == 0 || numbers.empty() || numbers.size() > 2) return std::nullopt;
  const auto [year, year_digits] = numbers.back();
  if (year_digits < 3) return std::nullopt;  // "July 4" has no year
  const int day = numbers.size() == 2 ? numbers.front().first : 0;
  if (numbers.size() == 2 && (day < 1 || day > 31)) return std::nullopt;
  return date_text(year, month, day);
}

}  // namespace rlvr::verifiers
