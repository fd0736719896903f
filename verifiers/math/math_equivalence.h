// Mathematical equality of two parsed answers, following the policy in
// verifiers/math/README.md: exact rational comparison first, exact power forms
// for towers too big to expand, then numeric comparison at several
// deterministic points for irrational and symbolic values. Sets, bare lists and
// unions are unordered; tuples, intervals, matrices and relation chains are
// compared in place. Pure and thread-safe.
#pragma once

#include "verifiers/math/math_expr.h"

namespace rlvr::verifiers::math {

// The policy choices a user may change (verifier.math in the config).
struct EquivalenceOptions {
  // A decimal written with at least this many significant digits reads as a
  // floating-point rendering (`0.0833333333333333` for 1/12): it equals a
  // constant value within one unit of its last decimal place. Shorter decimals
  // are exact. 0 makes every decimal exact.
  int float_min_digits = 15;
  // Lenient: a tuple equals a set or list of the same elements in any order.
  bool lenient_sets = false;
};

bool expressions_equal(const Expr& a, const Expr& b, const EquivalenceOptions& options = {});

// `gold` and `response` play symmetric roles: the asymmetry the policy keeps
// (a prediction is never solved) lives in parsing, where an unsolved
// comparison stays a relation chain instead of becoming an interval.
bool answers_equal(const Answer& gold, const Answer& response, const EquivalenceOptions& options = {});

}  // namespace rlvr::verifiers::math
