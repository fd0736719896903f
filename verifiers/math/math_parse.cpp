// Shape detection: which kind of answer a normalised text is (matrix, union of
// intervals, inequality, set, tuple or interval, bare list, equation, value),
// then math_parse_expr.cpp for the expressions inside.
#include "verifiers/math/math_parse.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "verifiers/math/math_normalize.h"

#include "core/text_util.h"

namespace rlvr::verifiers::math {
namespace {

using rlvr::trim;

struct ShapeFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Splits `s` at every occurrence of `sep` outside brackets. Brackets are
// counted by kind-agnostic depth so that half-open intervals "[0,1)" balance.
std::vector<std::string> split_top(std::string_view s, std::string_view sep) {
  std::vector<std::string> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth == 0 && s.compare(i, sep.size(), sep) == 0 &&
        !(sep[0] == '\\' && i + sep.size() < s.size() && is_letter(s[i + sep.size()]))) {
      parts.push_back(trim(s.substr(start, i - start)));
      start = i + sep.size();
      i = start - 1;
    }
  }
  parts.push_back(trim(s.substr(start)));
  return parts;
}

// `x`, `y_1`, `f(x)`, `\theta`: a side of an equation that only names the value.
bool is_lone_name(std::string_view raw) {
  std::string s;
  for (char c : raw) {
    if (!is_space(c)) s.push_back(c);
  }
  size_t i = 0;
  if (i < s.size() && s[i] == '\\') {
    ++i;
    while (i < s.size() && is_letter(s[i])) ++i;
  } else if (i < s.size() && is_letter(s[i])) {
    ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '_') {
    ++i;
    if (i < s.size() && s[i] == '{') {
      while (i < s.size() && s[i] != '}') ++i;
    }
    ++i;
  }
  if (i + 3 <= s.size() && s[i] == '(' && is_letter(s[i + 1]) && s[i + 2] == ')') i += 3;
  return i == s.size();
}

// "(x, y)", "(a,b,c)": a tuple of lone names.
bool is_name_tuple(const std::string& s) {
  if (s.size() < 5 || s.front() != '(' || s.back() != ')') return false;
  const std::vector<std::string> names = split_top(std::string_view(s).substr(1, s.size() - 2), ",");
  if (names.size() < 2) return false;
  for (const std::string& n : names) {
    if (!is_lone_name(n)) return false;
  }
  return true;
}

class ShapeParser {
 public:
  explicit ShapeParser(const ParseLimits& limits) : limits_(limits) {}

  Answer parse(const std::string& s, int depth) {
    if (depth > 8) throw ShapeFailure("answer structure nested too deeply");
    if (s.empty()) throw ShapeFailure("empty answer");
    // A \pm answer stands for two values; against a single-valued gold it is a hedge.
    for (const char* pm : {"\\pm", "\\mp"}) {
      const size_t at = s.find(pm);
      if (at != std::string::npos) {
        const bool plus_first = std::string(pm) == "\\pm";
        std::string a = s, b = s;
        a.replace(at, 3, plus_first ? "+" : "-");
        b.replace(at, 3, plus_first ? "-" : "+");
        Answer list;
        list.shape = Shape::kList;
        list.items = {parse(a, depth + 1), parse(b, depth + 1)};
        return list;
      }
    }
    if (s == "\\emptyset" || s == "\\{\\}") {
      Answer set;
      set.shape = Shape::kSet;
      return set;
    }
    if (s.rfind("\\begin{", 0) == 0) return matrix(s);
    // \left[\begin{matrix}...\end{matrix}\right]: the brackets are the matrix's own.
    if ((s[0] == '(' || s[0] == '[') && s.compare(1, 7, "\\begin{") == 0 && closes_at_end(s, 0)) {
      return matrix(trim(std::string_view(s).substr(1, s.size() - 2)));
    }
    // "x < -2 or x > 2" is a union; "3 or 4" is a list of candidates (a hedge).
    const std::vector<std::string> alternatives = split_top(s, "@or");
    if (alternatives.size() > 1) {
      Answer any;
      any.shape = Shape::kUnion;
      for (const std::string& alt : alternatives) {
        any.items.push_back(parse(alt, depth + 1));
        if (any.items.back().shape != Shape::kInterval) any.shape = Shape::kList;
      }
      return any;
    }
    // "1 and 2": both solutions, a list (intersections of conditions are not supported).
    const std::vector<std::string> both = split_top(s, "@and");
    if (both.size() > 1) {
      Answer list;
      list.shape = Shape::kList;
      for (const std::string& item : both) {
        list.items.push_back(parse(item, depth + 1));
        if (list.items.back().shape == Shape::kInterval) throw ShapeFailure("conditions joined by 'and'");
      }
      return list;
    }
    // "x \in [1,4]" is the interval itself.
    if (s.size() > 5 && is_letter(s[0])) {
      const std::string rest = trim(std::string_view(s).substr(1));
      if (rest.rfind("\\in", 0) == 0 && rest.size() > 3 && !is_letter(rest[3])) {
        return parse(trim(std::string_view(rest).substr(3)), depth + 1);
      }
    }
    const std::vector<std::string> pieces = split_top(s, "\\cup");
    if (pieces.size() > 1) {
      Answer u;
      u.shape = Shape::kUnion;
      for (const std::string& piece : pieces) u.items.push_back(parse(piece, depth + 1));
      return u;
    }
    if (std::optional<Answer> interval = inequality(s)) return *interval;
    if (s.rfind("\\{", 0) == 0 && s.size() >= 4 && s.compare(s.size() - 2, 2, "\\}") == 0 &&
        closes_at_end(s, 1)) {
      Answer set;
      set.shape = Shape::kSet;
      const std::string inner = trim(std::string_view(s).substr(2, s.size() - 4));
      if (!inner.empty()) {
        for (const std::string& item : split_top(inner, ",")) set.items.push_back(parse(item, depth + 1));
      }
      return set;
    }
    const std::vector<std::string> items = split_top(s, ",");
    if ((s[0] == '(' || s[0] == '[') && (s.back() == ')' || s.back() == ']') && closes_at_end(s, 0)) {
      const std::vector<std::string> inner = split_top(std::string_view(s).substr(1, s.size() - 2), ",");
      if (inner.size() >= 2) {
        Answer a;
        if (inner.size() == 2 && !(s[0] == '(' && s.back() == ')')) {
          a.shape = Shape::kInterval;
          a.left_closed = s[0] == '[';
          a.right_closed = s.back() == ']';
        } else {
          a.shape = Shape::kTuple;
        }
        for (const std::string& item : inner) a.items.push_back(parse(item, depth + 1));
        return a;
      }
    }
    if (items.size() > 1) {
      Answer list;
      list.shape = Shape::kList;
      for (const std::string& item : items) list.items.push_back(parse(item, depth + 1));
      return list;
    }
    const std::vector<std::string> sides = split_top(s, "=");
    // "(x, y) = (1, 2)": names the whole tuple, so the value is the answer.
    if (sides.size() == 2 && is_name_tuple(sides[0])) return parse(sides[1], depth + 1);
    if (sides.size() > 1) {
      Answer eq;
      eq.shape = Shape::kEquation;
      eq.lhs = expression(sides.front());
      eq.rhs = expression(sides.back());
      eq.lhs_lone = is_lone_name(sides.front());
      eq.rhs_lone = is_lone_name(sides.back());
      return eq;
    }
    Answer value;
    value.expr = expression(s);
    return value;
  }

 private:
  ExprPtr expression(const std::string& s) {
    std::string error;
    ExprPtr e = parse_expression(s, limits_, error);
    if (!e) throw ShapeFailure(error);
    return e;
  }

  Answer value(const std::string& s) {
    Answer a;
    a.expr = expression(s);
    return a;
  }

  // True when the bracket opening at `open` is closed by the last character.
  static bool closes_at_end(const std::string& s, size_t open) {
    int depth = 0;
    for (size_t i = open; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
      if (depth == 0) return i + 1 == s.size();
    }
    return false;
  }

  Answer infinity(bool negative) {
    Answer a;
    auto inf = std::make_shared<Expr>();
    inf->op = Op::kInfinity;
    if (!negative) {
      a.expr = inf;
      return a;
    }
    auto neg = std::make_shared<Expr>();
    neg->op = Op::kNeg;
    neg->args = {inf};
    a.expr = neg;
    return a;
  }

  // `a < x \le b`, `x > 2`, `3 \ge x`: the interval of x they describe.
  std::optional<Answer> inequality(const std::string& s) {
    struct Rel {
      size_t at, len;
      bool less, strict;
    };
    std::vector<Rel> rels;
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
      if (depth != 0) continue;
      if (c == '<' || c == '>') {
        const bool eq = i + 1 < s.size() && s[i + 1] == '=';
        rels.push_back({i, eq ? 2u : 1u, c == '<', !eq});
      } else if (s.compare(i, 3, "\\le") == 0 && (i + 3 == s.size() || !is_letter(s[i + 3]))) {
        rels.push_back({i, 3, true, false});
      } else if (s.compare(i, 3, "\\ge") == 0 && (i + 3 == s.size() || !is_letter(s[i + 3]))) {
        rels.push_back({i, 3, false, false});
      }
    }
    if (rels.empty()) return std::nullopt;
    if (rels.size() > 2) throw ShapeFailure("more than two relations");
    std::vector<std::string> parts;
    size_t start = 0;
    for (const Rel& r : rels) {
      parts.push_back(trim(std::string_view(s).substr(start, r.at - start)));
      start = r.at + r.len;
    }
    parts.push_back(trim(std::string_view(s).substr(start)));
    Answer interval;
    interval.shape = Shape::kInterval;
    if (rels.size() == 2) {
      if (rels[0].less != rels[1].less || !is_lone_name(parts[1])) throw ShapeFailure("unsupported inequality");
      const bool less = rels[0].less;
      const Rel& lo_rel = less ? rels[0] : rels[1];
      const Rel& hi_rel = less ? rels[1] : rels[0];
      interval.items = {value(less ? parts[0] : parts[2]), value(less ? parts[2] : parts[0])};
      interval.left_closed = !lo_rel.strict;
      interval.right_closed = !hi_rel.strict;
      return interval;
    }
    // One relation: the variable on either side; "x < a" is (-inf, a).
    const bool var_left = is_lone_name(parts[0]);
    if (!var_left && !is_lone_name(parts[1])) throw ShapeFailure("inequality without a lone variable");
    const std::string bound = var_left ? parts[1] : parts[0];
    const bool upper = var_left == rels[0].less;  // the bound is an upper bound of x
    if (upper) {
      interval.items = {infinity(true), value(bound)};
      interval.right_closed = !rels[0].strict;
    } else {
      interval.items = {value(bound), infinity(false)};
      interval.left_closed = !rels[0].strict;
    }
    return interval;
  }

  Answer matrix(const std::string& s) {
    const size_t name_end = s.find('}');
    const std::string name = s.substr(7, name_end - 7);
    const std::string end = "\\end{" + name + "}";
    if (name_end == std::string::npos || s.size() < end.size() ||
        s.compare(s.size() - end.size(), end.size(), end) != 0) {
      throw ShapeFailure("unbalanced \\begin{" + name + "}");
    }
    std::string body = s.substr(name_end + 1, s.size() - end.size() - name_end - 1);
    // \begin{array}{cc}: the column specification is layout, not an entry.
    if (name == "array" && !body.empty() && body[0] == '{') body = body.substr(std::min(body.find('}') + 1, body.size()));
    std::vector<std::string> rows = split_top(body, "\\\\");
    while (!rows.empty() && rows.back().empty()) rows.pop_back();  // trailing "\\"
    Answer m;
    m.shape = Shape::kMatrix;
    for (const std::string& row : rows) {
      const std::vector<std::string> cells = split_top(row, "&");
      if (m.cols == 0) m.cols = cells.size();
      if (cells.size() != m.cols) throw ShapeFailure("matrix rows of different lengths");
      for (const std::string& cell : cells) m.items.push_back(value(cell));
    }
    m.rows = rows.size();
    if (m.rows == 0) throw ShapeFailure("empty matrix");
    return m;
  }

  const ParseLimits& limits_;
};

}  // namespace

ParseOutcome parse_answer(std::string_view text, const ParseLimits& limits) {
  ParseOutcome out;
  if (text.size() > limits.max_length) {
    out.error = "answer longer than " + std::to_string(limits.max_length) + " characters";
    return out;
  }
  try {
    out.answer = ShapeParser(limits).parse(normalize_answer(text), 0);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace rlvr::verifiers::math
