// Unicode character classes the pre-tokenizer regexes of Hugging Face byte-level
// BPE tokenizers use: \p{L}, \p{N} and \s. std::regex has no \p{..}, so the
// scanner in pretokenize.cpp asks these instead.
#pragma once

namespace rlvr::models {

// General category L* (Lu, Ll, Lt, Lm, Lo).
bool is_letter(char32_t cp);
// General category N* (Nd, Nl, No).
bool is_number(char32_t cp);
// Oniguruma's \s: U+0009..U+000D, U+0085 and the Zs, Zl, Zp categories.
bool is_whitespace(char32_t cp);

}  // namespace rlvr::models
