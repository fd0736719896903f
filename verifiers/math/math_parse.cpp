// Shape detection: which kind of answer a normalised text is (matrix, union of
// intervals, inequality, set, tuple or interval, bare list, equation, value),
// then math_parse_expr.cpp for the expressions inside.
#include "verifiers/math/math_parse.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "verifiers/math/math_eval.h"
#include "verifiers/math/math_normalize.h"

#include "core/text_util.h"

namespace rlvr::verifiers::math {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// `AB`, `ABC`: a segment's or an angle's name rather than a product.
bool is_point_names(std::string_view s) {
  return !s.empty() && s.size() <= 3 && std::all_of(s.begin(), s.end(), is_upper);
}

}  // namespace

// A normalised `\mathbf{v}` is `@v`.
bool is_lone_name(std::string_view raw) {
  std::string s;
  for (char c : raw) {
    if (!is_space(c)) s.push_back(c);
  }
  if (!s.empty() && s[0] == '@') s.erase(0, 1);
  if (is_point_names(s)) return true;
  for (std::string_view angle : {"m\\angle", "\\angle", "\\measuredangle"}) {
    if (s.rfind(angle, 0) == 0) return is_point_names(std::string_view(s).substr(angle.size()));
  }
  for (std::string_view wrapper : {"\\overline{", "\\vec{", "\\overrightarrow{", "\\mathbf{"}) {
    if (s.rfind(wrapper, 0) == 0 && s.back() == '}') {
      return is_lone_name(std::string_view(s).substr(wrapper.size(), s.size() - wrapper.size() - 1));
    }
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

namespace {

using rlvr::trim;

struct ShapeFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr size_t kMaxRelations = 32;  // relations in one comparison chain

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
    // "1 and 2", "3, 5, and 7": all solutions, one list (intersections of
    // conditions are not supported).
    const std::vector<std::string> both = split_top(s, "@and");
    if (both.size() > 1) {
      Answer list;
      list.shape = Shape::kList;
      for (std::string item : both) {
        while (!item.empty() && item.back() == ',') item = trim(std::string_view(item).substr(0, item.size() - 1));
        Answer part = parse(item, depth + 1);
        if (part.shape == Shape::kInterval) throw ShapeFailure("conditions joined by 'and'");
        if (part.shape == Shape::kList) {
          list.items.insert(list.items.end(), part.items.begin(), part.items.end());
        } else {
          list.items.push_back(std::move(part));
        }
      }
      return list;
    }
    // "-1; 3": the semicolon separates solutions like a comma.
    const std::vector<std::string> separated = split_top(s, ";");
    if (separated.size() > 1) return collection(Shape::kList, separated, depth);
    // "x \in [1,4]" is the interval itself.
    if (s.size() > 5 && is_letter(s[0])) {
      const std::string rest = trim(std::string_view(s).substr(1));
      if (rest.rfind("\\in", 0) == 0 && rest.size() > 3 && !is_letter(rest[3])) {
        return parse(trim(std::string_view(rest).substr(3)), depth + 1);
      }
    }
    const std::vector<std::string> pieces = split_top(s, "\\cup");
    if (pieces.size() > 1) return collection(Shape::kUnion, pieces, depth);
    if (std::optional<Answer> compared = relation(s)) return *compared;
    if (s.rfind("\\{", 0) == 0 && s.size() >= 4 && s.compare(s.size() - 2, 2, "\\}") == 0 &&
        closes_at_end(s, 1)) {
      const std::string inner = trim(std::string_view(s).substr(2, s.size() - 4));
      return collection(Shape::kSet, inner.empty() ? std::vector<std::string>{} : split_top(inner, ","), depth);
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
    if (items.size() > 1) return collection(Shape::kList, items, depth);
    const std::vector<std::string> sides = split_top(s, "=");
    const bool lone_lhs = sides.size() > 1 && is_lone_name(sides.front());
    // "(x, y) = (1, 2)", "D = (0, 1)", "\mathbf{v} = \begin{pmatrix}...": the
    // name labels a tuple, point, set or matrix, which is the answer.
    if (sides.size() == 2 && (lone_lhs || is_name_tuple(sides[0]))) {
      Answer named = parse(sides[1], depth + 1);
      if (!lone_lhs || named.shape != Shape::kExpr) return named;
    }
    if (sides.size() > 1) {
      Answer eq;
      eq.shape = Shape::kEquation;
      eq.lhs = lone_lhs ? name(sides.front()) : expression(sides.front());
      eq.rhs = expression(sides.back());
      eq.lhs_lone = lone_lhs;
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

  // An answer of `shape` holding each of `texts` parsed.
  Answer collection(Shape shape, const std::vector<std::string>& texts, int depth) {
    Answer a;
    a.shape = shape;
    for (const std::string& text : texts) a.items.push_back(parse(text, depth + 1));
    return a;
  }

  Answer value(const std::string& s) {
    Answer a;
    a.expr = expression(s);
    return a;
  }

  // A lone name as an expression; names the expression parser does not read
  // (`\angle ABC`) become one variable spelled as written.
  ExprPtr name(const std::string& s) {
    std::string error;
    if (ExprPtr e = parse_expression(s, limits_, error)) return e;
    auto variable = std::make_shared<Expr>();
    variable->op = Op::kVariable;
    for (char c : s) {
      if (!is_space(c) && c != '@') variable->name.push_back(c);
    }
    return variable;
  }

  static bool shares_variables(const Expr& a, const Expr& b) {
    std::map<std::string, long double> in_a, in_b;
    collect_variables(a, in_a);
    collect_variables(b, in_b);
    for (const auto& entry : in_a) {
      if (in_b.count(entry.first) != 0) return true;
    }
    return false;
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

  static bool is_less(Relation r) { return r == Relation::kLess || r == Relation::kLessEqual; }
  static bool is_greater(Relation r) { return r == Relation::kGreater || r == Relation::kGreaterEqual; }
  static bool is_strict(Relation r) { return r == Relation::kLess || r == Relation::kGreater; }

  // A comparison: `x > 2`, `a < x \le b`, `x \neq 3`, `f(2) < f(1) < f(4)`.
  // A lone name compared with values free of it (solved form) stands for its
  // solution set, an interval or a union; any other comparison is a chain of
  // relations compared as written, never solved: solving the prediction would
  // reward echoing the inequality a problem asks to solve (`2x - 3 \ge 7`).
  std::optional<Answer> relation(const std::string& s) {
    struct Found {
      size_t at, len;
      Relation kind;
    };
    std::vector<Found> found;
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
      if (depth != 0) continue;
      const auto command = [&](std::string_view name) {
        return s.compare(i, name.size(), name) == 0 && (i + name.size() == s.size() || !is_letter(s[i + name.size()]));
      };
      if (c == '<' || c == '>') {
        const bool eq = i + 1 < s.size() && s[i + 1] == '=';
        const Relation kind = c == '<' ? (eq ? Relation::kLessEqual : Relation::kLess)
                                       : (eq ? Relation::kGreaterEqual : Relation::kGreater);
        found.push_back({i, eq ? 2u : 1u, kind});
      } else if (command("\\le")) {
        found.push_back({i, 3, Relation::kLessEqual});
      } else if (command("\\ge")) {
        found.push_back({i, 3, Relation::kGreaterEqual});
      } else if (command("\\neq")) {
        found.push_back({i, 4, Relation::kNotEqual});
      }
    }
    if (found.empty()) return std::nullopt;
    if (found.size() > kMaxRelations) throw ShapeFailure("more than " + std::to_string(kMaxRelations) + " relations");
    std::vector<std::string> parts;
    std::vector<Relation> kinds;
    size_t start = 0;
    for (const Found& f : found) {
      parts.push_back(trim(std::string_view(s).substr(start, f.at - start)));
      kinds.push_back(f.kind);
      start = f.at + f.len;
    }
    parts.push_back(trim(std::string_view(s).substr(start)));
    std::vector<Answer> terms;
    for (const std::string& part : parts) terms.push_back(value(part));
    if (std::optional<Answer> set = solution_set(parts, terms, kinds)) return set;
    Answer chain;
    chain.shape = Shape::kRelation;
    chain.items = std::move(terms);
    chain.relations = std::move(kinds);
    return chain;
  }

  // Whether `parts[name]` is a lone name and every other term is free of it
  // and not a lone name itself (`x < y` relates two names; it solves nothing).
  bool solved_for(const std::vector<std::string>& parts, const std::vector<Answer>& terms, size_t name) {
    if (!is_lone_name(parts[name])) return false;
    for (size_t i = 0; i < terms.size(); ++i) {
      if (i == name) continue;
      if (is_lone_name(parts[i]) || shares_variables(*terms[i].expr, *terms[name].expr)) return false;
    }
    return true;
  }

  // The solution set of a comparison in solved form, else nullopt.
  std::optional<Answer> solution_set(const std::vector<std::string>& parts, const std::vector<Answer>& terms,
                                     const std::vector<Relation>& kinds) {
    Answer interval;
    interval.shape = Shape::kInterval;
    if (kinds.size() == 2) {
      // `a < x \le b` or `b > x \ge a`.
      const bool less = is_less(kinds[0]) && is_less(kinds[1]);
      if (!(less || (is_greater(kinds[0]) && is_greater(kinds[1]))) || !solved_for(parts, terms, 1)) {
        return std::nullopt;
      }
      interval.items = {terms[less ? 0 : 2], terms[less ? 2 : 0]};
      interval.left_closed = !is_strict(less ? kinds[0] : kinds[1]);
      interval.right_closed = !is_strict(less ? kinds[1] : kinds[0]);
      return interval;
    }
    if (kinds.size() != 1) return std::nullopt;
    const bool name_left = solved_for(parts, terms, 0);
    if (!name_left && !solved_for(parts, terms, 1)) return std::nullopt;
    const Answer& bound = terms[name_left ? 1 : 0];
    if (kinds[0] == Relation::kNotEqual) {  // everything but the bound
      Answer below = interval, above = interval;
      below.items = {infinity(true), bound};
      above.items = {bound, infinity(false)};
      Answer both;
      both.shape = Shape::kUnion;
      both.items = {below, above};
      return both;
    }
    if (name_left == is_less(kinds[0])) {  // the bound is an upper bound of the name
      interval.items = {infinity(true), bound};
      interval.right_closed = !is_strict(kinds[0]);
    } else {
      interval.items = {bound, infinity(false)};
      interval.left_closed = !is_strict(kinds[0]);
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
    // Bars are a determinant, a number the answer should state.
    if (name == "vmatrix" || name == "Vmatrix") throw ShapeFailure("\\begin{" + name + "} is a determinant");
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
