// Unicode Normalization Form C (UAX #15), which the NFC normalizer of a Hugging
// Face tokenizer.json (every Qwen2/Qwen2.5/Qwen3 tokenizer has one) applies before
// pre-tokenization: "e" + U+0301 must reach BPE as the one character "é".
// Unicode 14.0.0 data, like unicode_classes.h.
#pragma once

#include <string>
#include <string_view>

namespace rlvr::models {

// The NFC form of utf8: canonical decomposition (Hangul algorithmically),
// canonical ordering of combining marks, then canonical composition.
// Text with no code point at or above U+0300 is returned unchanged without
// further work, since nothing below U+0300 changes under NFC.
//
// Malformed UTF-8 is not an error: the tokenizer accepts any bytes (byte-level
// BPE gives each byte a token), and `tokenizers` itself never sees such text (a
// Rust str is valid UTF-8), so there is nothing to match. Each byte of a
// malformed sequence is kept as it is and acts as a starter that nothing
// composes with; the valid text around it is normalized as usual. Replacing it
// with U+FFFD instead would change the ids of text NFC leaves alone.
std::string nfc(std::string_view utf8);

}  // namespace rlvr::models
