#include "verifiers/math/math_equivalence.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "verifiers/math/math_eval.h"

namespace rlvr::verifiers::math {
namespace {

// Numeric comparison: values at kPoints assignments of the variables must agree
// to a relative tolerance. long double carries ~19 digits. Constants (no
// variables) get 1e-16, which still rejects a 15-digit decimal for \pi; with
// variables, cancellation in expanded polynomials needs the looser 1e-12.
constexpr int kPoints = 5;
constexpr long double kConstantTolerance = 1e-16L;
constexpr long double kVariableTolerance = 1e-12L;

// Deterministic value of variable `name` at point `k`, in [0.35, 2.25): away
// from 0 and 1 where distinct expressions often coincide (x^2 vs x).
long double point_value(const std::string& name, int k) {
  uint64_t z = std::hash<std::string>{}(name) + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(k + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;  // splitmix64 finaliser
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return 0.35L + 1.9L * static_cast<long double>(z >> 11) / static_cast<long double>(1ULL << 53);
}

bool close(const Complex& a, const Complex& b, long double tolerance = kVariableTolerance) {
  const long double scale = std::max({1.0L, std::abs(a), std::abs(b)});
  return std::abs(a - b) <= tolerance * scale;
}

std::map<std::string, long double> variables_of(std::initializer_list<const Expr*> exprs) {
  std::map<std::string, long double> vars;
  for (const Expr* e : exprs) collect_variables(*e, vars);
  return vars;
}

void assign_point(std::map<std::string, long double>& vars, int k) {
  for (auto& [name, value] : vars) value = point_value(name, k);
}

bool numerically_equal(const Expr& a, const Expr& b) {
  std::map<std::string, long double> vars = variables_of({&a, &b});
  const long double tolerance = vars.empty() ? kConstantTolerance : kVariableTolerance;
  int agreeing = 0;
  for (int k = 0; k < kPoints; ++k) {
    assign_point(vars, k);
    const std::optional<Complex> va = evaluate_numeric(a, vars);
    const std::optional<Complex> vb = evaluate_numeric(b, vars);
    if (va.has_value() != vb.has_value()) return false;
    if (!va) continue;  // both undefined here, e.g. at a shared pole
    if (!close(*va, *vb, tolerance)) return false;
    ++agreeing;
  }
  return agreeing >= 2;
}

ExprPtr difference(const ExprPtr& lhs, const ExprPtr& rhs) {
  auto neg = std::make_shared<Expr>();
  neg->op = Op::kNeg;
  neg->args = {rhs};
  auto sum = std::make_shared<Expr>();
  sum->op = Op::kAdd;
  sum->args = {lhs, neg};
  return sum;
}

// l1 - r1 = c (l2 - r2) for a constant c != 0: the same curve or solution set.
bool proportional(const Expr& d1, const Expr& d2) {
  std::map<std::string, long double> vars = variables_of({&d1, &d2});
  if (vars.empty()) return false;
  std::optional<Complex> ratio;
  int agreeing = 0;
  for (int k = 0; k < kPoints; ++k) {
    assign_point(vars, k);
    const std::optional<Complex> v1 = evaluate_numeric(d1, vars);
    const std::optional<Complex> v2 = evaluate_numeric(d2, vars);
    if (!v1 || !v2) continue;
    const bool zero1 = close(*v1, 0), zero2 = close(*v2, 0);
    if (zero1 && zero2) continue;
    if (zero1 || zero2) return false;
    const Complex r = *v1 / *v2;
    if (ratio && !close(r, *ratio)) return false;
    ratio = r;
    ++agreeing;
  }
  return agreeing >= 2;
}

bool equations_equal(const Answer& a, const Answer& b, const EquivalenceOptions& options) {
  const auto same = [&](const ExprPtr& x, const ExprPtr& y) { return expressions_equal(*x, *y, options); };
  if (same(a.lhs, b.lhs) && same(a.rhs, b.rhs)) return true;
  if (same(a.lhs, b.rhs) && same(a.rhs, b.lhs)) return true;
  return proportional(*difference(a.lhs, a.rhs), *difference(b.lhs, b.rhs));
}

// `x = 3` against `3`: only a lone variable on one side makes the other its value.
bool equation_equals_value(const Answer& eq, const Answer& value, const EquivalenceOptions& options) {
  if (eq.lhs_lone && expressions_equal(*eq.rhs, *value.expr, options)) return true;
  return eq.rhs_lone && expressions_equal(*eq.lhs, *value.expr, options);
}

bool unordered_equal(const std::vector<Answer>& a, const std::vector<Answer>& b, const EquivalenceOptions& options) {
  if (a.size() != b.size()) return false;
  std::vector<bool> used(b.size(), false);
  for (const Answer& x : a) {
    bool found = false;
    for (size_t j = 0; j < b.size() && !found; ++j) {
      if (!used[j] && answers_equal(x, b[j], options)) used[j] = found = true;
    }
    if (!found) return false;
  }
  return true;
}

bool ordered_equal(const std::vector<Answer>& a, const std::vector<Answer>& b, const EquivalenceOptions& options) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!answers_equal(a[i], b[i], options)) return false;
  }
  return true;
}

bool intervals_equal(const Answer& a, const Answer& b, const EquivalenceOptions& options) {
  return a.left_closed == b.left_closed && a.right_closed == b.right_closed && ordered_equal(a.items, b.items, options);
}

// `(1,2)` reads as a point or an open interval; against an interval it is the latter.
bool tuple_equals_interval(const Answer& tuple, const Answer& interval, const EquivalenceOptions& options) {
  return tuple.items.size() == 2 && !interval.left_closed && !interval.right_closed &&
         ordered_equal(tuple.items, interval.items, options);
}

Relation flipped(Relation r) {
  switch (r) {
    case Relation::kLess: return Relation::kGreater;
    case Relation::kLessEqual: return Relation::kGreaterEqual;
    case Relation::kGreater: return Relation::kLess;
    case Relation::kGreaterEqual: return Relation::kLessEqual;
    case Relation::kNotEqual: return Relation::kNotEqual;
  }
  return r;
}

// Chains compare term by term, as written or read backwards with every
// relation flipped (`f(4) > f(1) > f(2)` is `f(2) < f(1) < f(4)`).
bool chains_equal(const Answer& a, const Answer& b, const EquivalenceOptions& options) {
  if (a.relations.size() != b.relations.size()) return false;
  if (a.relations == b.relations && ordered_equal(a.items, b.items, options)) return true;
  const size_t n = a.relations.size();
  for (size_t i = 0; i < n; ++i) {
    if (a.relations[i] != flipped(b.relations[n - 1 - i])) return false;
  }
  for (size_t i = 0; i <= n; ++i) {
    if (!answers_equal(a.items[i], b.items[n - i], options)) return false;
  }
  return true;
}

bool unordered_shape(Shape s) { return s == Shape::kSet || s == Shape::kList; }

// `k = 45, n = 2`: every item assigns a value to a different lone name.
bool named_parts(const Answer& a) {
  if (a.shape != Shape::kList || a.items.size() < 2) return false;
  for (size_t i = 0; i < a.items.size(); ++i) {
    const Answer& item = a.items[i];
    if (item.shape != Shape::kEquation || !item.lhs_lone) return false;
    for (size_t j = 0; j < i; ++j) {
      if (expressions_equal(*a.items[j].lhs, *item.lhs)) return false;
    }
  }
  return true;
}

bool all_values(const std::vector<Answer>& items) {
  return std::all_of(items.begin(), items.end(), [](const Answer& a) { return a.shape == Shape::kExpr; });
}

// Lists and tuples of several answers. Named parts against bare values or a
// tuple are matched in order (`k = 4, n = 5` is `4, 5` and `(4, 5)`, not
// `5, 4`); named parts against named parts are matched by name; other lists and
// sets are unordered.
std::optional<bool> several_equal(const Answer& gold, const Answer& response, const EquivalenceOptions& options) {
  const Shape g = gold.shape, r = response.shape;
  const bool named_g = named_parts(gold), named_r = named_parts(response);
  if ((named_g && (r == Shape::kTuple || (unordered_shape(r) && all_values(response.items)))) ||
      (named_r && (g == Shape::kTuple || (unordered_shape(g) && all_values(gold.items))))) {
    return ordered_equal(gold.items, response.items, options);
  }
  if (unordered_shape(g) && unordered_shape(r)) return unordered_equal(gold.items, response.items, options);
  if (g == Shape::kTuple && r == Shape::kTuple) return ordered_equal(gold.items, response.items, options);
  const bool several_g = unordered_shape(g) || g == Shape::kTuple;
  const bool several_r = unordered_shape(r) || r == Shape::kTuple;
  if (options.lenient_sets && several_g && several_r) return unordered_equal(gold.items, response.items, options);
  return std::nullopt;
}

// A decimal literal (possibly negated) with at least `min_digits` significant
// digits: its value and one unit of its last decimal place.
struct FloatRendering {
  mpq_class value;
  mpq_class unit;
};
std::optional<FloatRendering> float_rendering(const Expr& e, int min_digits) {
  const bool negated = e.op == Op::kNeg && e.args.size() == 1;
  const Expr& literal = negated ? *e.args[0] : e;
  if (min_digits <= 0 || literal.op != Op::kNumber || literal.significant_digits < min_digits) return std::nullopt;
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, static_cast<unsigned long>(literal.decimal_places));
  return FloatRendering{negated ? mpq_class(-literal.number) : literal.number, mpq_class(1, scale)};
}

// A long decimal against a constant value: equal when within one unit of the
// decimal's last place (rounded or truncated rendering of the same number).
std::optional<bool> float_rendering_equal(const Expr& a, const Expr& b, const EquivalenceOptions& options) {
  std::optional<FloatRendering> f = float_rendering(a, options.float_min_digits);
  const Expr* other = &b;
  if (!f) {
    f = float_rendering(b, options.float_min_digits);
    other = &a;
  }
  if (!f || !variables_of({other}).empty()) return std::nullopt;
  const ExactResult exact = evaluate_exact(*other);
  if (exact.kind == ExactKind::kValue) return abs(mpq_class(exact.value - f->value)) < f->unit;
  if (exact.kind != ExactKind::kNotRational) return std::nullopt;
  const std::optional<Complex> v = evaluate_numeric(*other, {});
  if (!v || std::abs(v->imag()) > 0) return std::nullopt;
  // Compared in 256-bit floats: a double would lose the 17th digit. A long
  // double is exactly the sum of two doubles.
  const double high = static_cast<double>(v->real());
  const double low = static_cast<double>(v->real() - high);
  const mpf_class value = mpf_class(high, 256) + mpf_class(low, 256);
  return abs(mpf_class(f->value, 256) - value) < mpf_class(f->unit, 256);
}

// Exact identity test for polynomials and rational functions: both sides
// evaluated over the rationals at kPoints rational assignments must agree
// exactly (two different rational functions of bounded degree agree at
// generic points only by accident: Schwartz–Zippel). nullopt when either side
// is not a rational function of its variables (radicals, pi, functions), so
// the numeric comparison decides.
std::optional<bool> rational_identity(const Expr& a, const Expr& b) {
  const std::map<std::string, long double> names = variables_of({&a, &b});
  if (names.empty()) return std::nullopt;
  std::map<std::string, mpq_class> vars;
  int agreeing = 0;
  for (int k = 0; k < kPoints; ++k) {
    for (const auto& entry : names) {
      // A generic rational near the numeric points: p/q with q prime.
      const auto value = static_cast<long>(point_value(entry.first, k) * 1009);
      vars[entry.first] = mpq_class(value, 1009);
    }
    const ExactResult ea = evaluate_exact(a, vars), eb = evaluate_exact(b, vars);
    if (ea.kind == ExactKind::kNotRational || eb.kind == ExactKind::kNotRational ||
        ea.kind == ExactKind::kTooBig || eb.kind == ExactKind::kTooBig) {
      return std::nullopt;
    }
    if ((ea.kind == ExactKind::kUndefined) != (eb.kind == ExactKind::kUndefined)) return false;
    if (ea.kind == ExactKind::kUndefined) continue;  // a shared pole
    if (ea.value != eb.value) return false;
    ++agreeing;
  }
  return agreeing >= 2;
}

}  // namespace

bool expressions_equal(const Expr& a, const Expr& b, const EquivalenceOptions& options) {
  const int inf_a = infinity_sign(a), inf_b = infinity_sign(b);
  if (inf_a != 0 || inf_b != 0) return inf_a == inf_b;
  if (contains_infinity(a) || contains_infinity(b)) return false;
  const ExactResult ea = evaluate_exact(a);
  const ExactResult eb = evaluate_exact(b);
  if (ea.kind == ExactKind::kUndefined || eb.kind == ExactKind::kUndefined) return false;
  if (ea.kind == ExactKind::kValue && eb.kind == ExactKind::kValue && ea.value == eb.value) return true;
  if (const std::optional<bool> rendered = float_rendering_equal(a, b, options)) return *rendered;
  if (ea.kind == ExactKind::kValue && eb.kind == ExactKind::kValue) return false;
  if (ea.kind == ExactKind::kTooBig || eb.kind == ExactKind::kTooBig) {
    // Too big to expand: equal only as the same exact power r^n.
    const std::optional<PowerForm> pa = power_form(a);
    const std::optional<PowerForm> pb = power_form(b);
    return pa && pb && pa->root == pb->root && pa->exponent == pb->exponent;
  }
  if (const std::optional<bool> exact = rational_identity(a, b)) return *exact;
  return numerically_equal(a, b);
}

bool answers_equal(const Answer& gold, const Answer& response, const EquivalenceOptions& options) {
  const Shape g = gold.shape, r = response.shape;
  if (g == Shape::kEquation && r == Shape::kEquation) return equations_equal(gold, response, options);
  if (g == Shape::kEquation && r == Shape::kExpr) return equation_equals_value(gold, response, options);
  if (g == Shape::kExpr && r == Shape::kEquation) return equation_equals_value(response, gold, options);
  if (const std::optional<bool> several = several_equal(gold, response, options)) return *several;
  if (g == Shape::kInterval && r == Shape::kInterval) return intervals_equal(gold, response, options);
  if (g == Shape::kTuple && r == Shape::kInterval) return tuple_equals_interval(gold, response, options);
  if (g == Shape::kInterval && r == Shape::kTuple) return tuple_equals_interval(response, gold, options);
  if (g == Shape::kUnion && r == Shape::kUnion) return unordered_equal(gold.items, response.items, options);
  if (g == Shape::kRelation && r == Shape::kRelation) return chains_equal(gold, response, options);
  if (g == Shape::kMatrix && r == Shape::kMatrix) {
    return gold.rows == response.rows && gold.cols == response.cols && ordered_equal(gold.items, response.items, options);
  }
  if (g == Shape::kExpr && r == Shape::kExpr) return expressions_equal(*gold.expr, *response.expr, options);
  return false;
}


}  // namespace rlvr::verifiers::math
