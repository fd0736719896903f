// Text clean-up before parsing a math answer: the "light normalisation" and the
// percent / unit / degree / money policy of verifiers/math/README.md. Pure
// string functions, thread-safe, linear in the input.
#pragma once

#include <string>
#include <string_view>

namespace rlvr::verifiers::math {

// Normalised answer text: `$`, \left/\right, spacing commands, \dfrac/\tfrac,
// \text{} wrappers, thousands separators, percent signs, degree marks, money
// signs and trailing unit words removed; unicode symbols mapped to LaTeX.
// Words that are not units stay, prefixed by '@' (e.g. "3 @or 4"), so the
// parser rejects them instead of reading them as products of letters.
std::string normalize_answer(std::string_view text);

}  // namespace rlvr::verifiers::math
