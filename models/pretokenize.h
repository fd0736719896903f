// Pre-tokenization of byte-level BPE tokenizers: splits text into the words that
// BPE merges never cross. Each supported regex of Hugging Face tokenizer.json
// files is a hand-written scanner, because std::regex has no \p{L} / \p{N}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::models {

enum class SplitPattern {
  // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  // (GPT-2; also what ByteLevel with use_regex=true applies).
  kGpt2,
  // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
  // | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+   (Llama-3).
  kLlama3,
  // The Llama-3 pattern with \p{N} instead of \p{N}{1,3} (Qwen2).
  kQwen2,
};

// The pattern whose regex source is exactly `regex`, or nullopt.
std::optional<SplitPattern> split_pattern_from_regex(const std::string& regex);

// Splits text into consecutive non-empty pieces covering it exactly, as the
// `tokenizers` Split pre-tokenizer with behavior "Isolated" does. Malformed UTF-8
// bytes count as single characters that are neither letters, numbers nor spaces.
std::vector<std::string_view> split_words(std::string_view text, SplitPattern pattern);

}  // namespace rlvr::models
