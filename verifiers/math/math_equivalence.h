// Mathematical equality of two parsed answers, following the policy in
// verifiers/math/README.md: exact rational comparison first, exact power forms
// for towers too big to expand, then numeric comparison at several
// deterministic points for irrational and symbolic values. Sets, bare lists and
// unions are unordered; tuples, intervals and matrices are compared in place.
// Pure and thread-safe.
#pragma once

#include "verifiers/math/math_expr.h"

namespace rlvr::verifiers::math {

bool expressions_equal(const Expr& a, const Expr& b);

// `gold` and `response` play symmetric roles except where the policy says
// otherwise (none today); kept distinct so the call site reads clearly.
bool answers_equal(const Answer& gold, const Answer& response);

}  // namespace rlvr::verifiers::math
