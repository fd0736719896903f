// GPT-2's byte <-> unicode mapping ("ByteLevel" in tokenizer.json): every byte is
// shown as a printable character so that BPE vocabularies are plain strings.
// Printable Latin-1 bytes map to themselves, the other 68 to U+0100 upwards.
#pragma once

#include <string>
#include <string_view>

namespace rlvr::models {

// The UTF-8 string of the mapped characters of `bytes`, one per byte.
std::string bytes_to_byte_level(std::string_view bytes);

// Inverse of bytes_to_byte_level for one vocabulary token. A token with a
// character outside the mapping (an added token such as "<|im start|>") comes
// back as its own UTF-8 bytes, as the `tokenizers` ByteLevel decoder does.
std::string byte_level_to_bytes(std::string_view token);

}  // namespace rlvr::models
