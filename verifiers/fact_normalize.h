// Normalisation of short factual answers, for the "fact" verifier: the SQuAD
// convention (lower case, no punctuation, no articles, single spaces) made
// Unicode-aware, and readings of an answer as a quantity (a number with an
// optional unit) or a calendar date, which compare by value. Pure functions,
// linear in the text, never throwing on any bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::verifiers {

// Lower case (Latin, Greek, Cyrillic), accents and other combining marks
// dropped (precomposed Latin letters folded to their base letters, so
// "Zürich" and "Zu\u0308rich" both give "zurich"), punctuation and symbols as
// spaces, the articles a/an/the removed, blanks collapsed. Invalid UTF-8
// bytes are dropped.
std::string normalize_fact(std::string_view text);

// The normalised text's words.
std::vector<std::string> fact_tokens(std::string_view normalized);

// SQuAD's token-level F1 of two normalised texts (1 when both are empty).
double token_f1(std::string_view prediction, std::string_view gold);

// An answer read as a quantity: "1,234.5 km", "12 %", "-3", "2.5e6 metres".
struct Quantity {
  double value = 0;
  std::string unit;  // canonical unit ("km", "%", "" when none)
};
std::optional<Quantity> read_quantity(std::string_view text);
// Same value (to 1e-9 relative) and the same unit, or a unit on one side only.
bool same_quantity(const Quantity& a, const Quantity& b);

// An answer read as a date, canonical "YYYY-MM-DD" or "YYYY-MM": "July 4,
// 1776", "4 July 1776", "1776-07-04", "Jul. 1776".
std::optional<std::string> read_date(std::string_view text);

}  // namespace rlvr::verifiers
