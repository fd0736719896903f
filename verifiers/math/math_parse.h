// LaTeX / plain-text math answer -> Answer (math_expr.h). Handles numbers of any
// size, decimals with repeating parts, scientific notation, \frac, \sqrt[n]{},
// powers, constants (\pi, e, i), functions, implicit multiplication, mixed
// numbers, equations, inequalities, sets, tuples, bare lists, intervals and
// their unions, matrices and \pm hedges. Pure and thread-safe; bounded by the
// limits below so hostile input fails fast instead of exhausting the stack.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "verifiers/math/math_expr.h"

namespace rlvr::verifiers::math {

struct ParseLimits {
  std::size_t max_length = 200000;  // characters of normalised answer text
  int max_depth = 1500;             // recursion levels (about 3 per bracket pair, 1 per sign or power)
  std::size_t max_nodes = 200000;   // expression nodes in one answer
  std::size_t max_digits = 20000;   // digits in one number literal
};

struct ParseOutcome {
  std::optional<Answer> answer;  // set on success
  std::string error;             // why parsing failed, e.g. "unknown command \foo at 4"
};

// Parses one normalised expression (no top-level comma, relation or `=`);
// nullptr with `error` set on failure. Never throws. Defined in math_parse_expr.cpp.
ExprPtr parse_expression(std::string_view text, const ParseLimits& limits, std::string& error);

// Whether `text` only names a value: `x`, `y_1`, `f(x)`, `\theta`, `\mathbf{v}`,
// and geometry names (`AB`, `\angle ABC`, `m\angle A`, `\overline{AB}`), so
// that in `x = 5` the other side is the answer.
bool is_lone_name(std::string_view text);

// Normalises (math_normalize.h) and parses `text`. Never throws.
ParseOutcome parse_answer(std::string_view text, const ParseLimits& limits = {});

}  // namespace rlvr::verifiers::math
