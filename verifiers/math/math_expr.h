// Parsed math answers: an expression tree (Expr) wrapped in the answer's shape
// (Answer: a value, an equation, a set, an interval, a matrix, ...). Plain
// immutable data; safe to share between threads once built.
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace rlvr::verifiers::math {

enum class Op {
  kNumber,     // exact rational `number`
  kConstant,   // `name` is "pi", "e" or "i"
  kVariable,   // real variable `name` ("x", "y_1", "\theta")
  kInfinity,   // +infinity; -infinity is kNeg of it
  kAdd,        // n-ary sum of args
  kMul,        // n-ary product of args
  kDiv,        // args[0] / args[1]
  kNeg,        // -args[0]
  kPow,        // args[0] ^ args[1]
  kFunction,   // `name`(args): sin, cos, ln, log (args[1] = base), sqrt, root (args[1] = index), binom, abs, ...
  kFactorial,  // args[0]!
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  Op op = Op::kNumber;
  mpq_class number;
  std::string name;
  std::vector<ExprPtr> args;
  // Written as a digit string ("2") or as \frac of two digit strings: lets the
  // parser read `2\frac{1}{3}` as the mixed number 7/3 rather than a product.
  bool integer_literal = false;
  bool numeric_frac = false;
  // A decimal literal's significant digits and digits after the point (0 for
  // other nodes): a long one may be a float's rendering of an irrational or
  // repeating value (math_equivalence.h, EquivalenceOptions::float_min_digits).
  int significant_digits = 0;
  int decimal_places = 0;
};

enum class Shape {
  kExpr,      // expr
  kEquation,  // lhs = rhs
  kSet,       // \{items\}: unordered
  kTuple,     // (items): ordered
  kList,      // bare "a, b": unordered list of solutions
  kInterval,  // items[0], items[1] with the closed flags
  kUnion,     // items are intervals joined by \cup: unordered
  kMatrix,    // items row-major, rows x cols
  kRelation,  // items[0] relations[0] items[1] ...: a chain not in solved form (`f(2) < f(1)`)
};

enum class Relation { kLess, kLessEqual, kGreater, kGreaterEqual, kNotEqual };

struct Answer {
  Shape shape = Shape::kExpr;
  ExprPtr expr;
  ExprPtr lhs, rhs;
  // The side is a lone variable or function name (`x`, `f(x)`), so the other
  // side is the value it names.
  bool lhs_lone = false, rhs_lone = false;
  std::vector<Answer> items;
  std::vector<Relation> relations;  // kRelation: between consecutive items
  bool left_closed = false, right_closed = false;
  std::size_t rows = 0, cols = 0;
};

}  // namespace rlvr::verifiers::math
