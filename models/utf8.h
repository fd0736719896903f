// UTF-8 decoding and repair for the byte-level tokenizer, which must accept any
// bytes on encode and must return valid UTF-8 from decode.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rlvr::models {

// Returned by decode_utf8 for a malformed sequence.
constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point starting at text[pos] and stores its byte length in
// *length. A malformed sequence yields kInvalidCodePoint with *length set to its
// maximal ill-formed subpart (at least 1 byte), so scanners always advance.
char32_t decode_utf8(std::string_view text, size_t pos, size_t* length);

// Appends the UTF-8 encoding of cp (cp must be a Unicode scalar value).
void append_utf8(char32_t cp, std::string* out);

// Replaces each maximal ill-formed subpart with U+FFFD, as Rust's
// String::from_utf8_lossy does, so our decode matches the `tokenizers` package.
std::string to_valid_utf8(std::string_view bytes);

}  // namespace rlvr::models
