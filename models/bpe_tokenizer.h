// Byte-level BPE tokenizer read from a Hugging Face tokenizer.json (the GPT-2,
// Llama-3 and Qwen2 layouts), producing the same ids as the `tokenizers` package
// with add_special_tokens=False: post-processors (e.g. Llama-3's bos template)
// are not applied; callers add bos/eos themselves.
//
// Encode, in the order of `tokenizers`: split on the added tokens with
// normalized=false (longest match first), NFC-normalize the text between them when
// tokenizer.json has that normalizer, split that on the normalized=true added
// tokens, pre-tokenize the rest (Split regexes, then ByteLevel), map bytes to
// characters, merge by rank.
// Immutable after construction except for a word cache guarded by a mutex, so it
// is thread-safe like every Tokenizer.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/pretokenize.h"
#include "models/tokenizer.h"

namespace rlvr::models {

class BpeTokenizer : public Tokenizer {
 public:
  struct AddedToken {
    std::string content;
    int64_t id = -1;
    bool special = false;     // dropped by decode unless keep_special
    bool lstrip = false;      // absorbs whitespace before the match
    bool rstrip = false;      // absorbs whitespace after the match
    bool normalized = false;  // matched in a second pass, on the normalized text
  };

  // Which tokens act as bos, eos and pad, by content, as a checkpoint's
  // tokenizer_config.json names them: "" for none, unset for the name rules of
  // bos_id() below.
  struct SpecialRoles {
    std::optional<std::string> bos, eos, pad;
  };

  // What tokenizer.json says, already validated field by field.
  struct Spec {
    std::string source;  // file the spec came from, for error messages
    std::unordered_map<std::string, int64_t> vocab;           // byte-level token -> id
    std::vector<std::pair<std::string, std::string>> merges;  // in rank order
    std::vector<AddedToken> added_tokens;
    std::vector<SplitPattern> splits;  // Split pre-tokenizers before ByteLevel
    bool add_prefix_space = false;     // ByteLevel: prepend ' ' to each piece
    bool byte_level_regex = true;      // ByteLevel use_regex: split with kGpt2
    bool ignore_merges = false;        // a word that is a vocab token skips merging
    bool nfc = false;                  // normalizer NFC (see unicode_normalize.h)
    std::optional<std::string> unk_token;
    SpecialRoles roles;
  };

  // Throws rlvr::Error naming the file and the JSON field for bad or unsupported
  // input (e.g. "model.merges[3]", "pre_tokenizer.pretokenizers[0].pattern").
  static std::unique_ptr<BpeTokenizer> from_file(const std::string& path,
                                                 SpecialRoles roles = {});

  // Throws rlvr::Error naming spec.source when a merge, the unk token or a
  // special role's token is not in the vocabulary.
  explicit BpeTokenizer(Spec spec);

  std::string name() const override { return "bpe:" + source_; }
  std::vector<int64_t> encode(std::string_view text) const override;
  std::string decode(const std::vector<int64_t>& ids) const override { return decode(ids, false); }
  // Unknown ids are skipped; invalid UTF-8 (e.g. a cut multi-byte character)
  // becomes U+FFFD.
  std::string decode(const std::vector<int64_t>& ids, bool keep_special) const;
  int64_t vocab_size() const override { return static_cast<int64_t>(id_to_token_.size()); }
  // Id of an added token or vocabulary entry given by its content, -1 if none.
  int64_t token_id(std::string_view content) const;
  // Special ids follow spec.roles; a role left unset comes from added tokens by
  // name (-1 when none is present):
  //   bos: <|begin_of_text|>, else <|endoftext|>  (Llama-3; GPT-2 uses one token)
  //   eos: <|end_of_text|>, else <|endoftext|>, else <|im_end|>
  //   pad: <|endoftext|>, else <|end_of_text|>    (Qwen2 and GPT-2 convention)
  int64_t pad_id() const override { return pad_id_; }
  int64_t bos_id() const override { return bos_id_; }
  int64_t eos_id() const override { return eos_id_; }

 private:
  struct Merge {
    int32_t rank;
    int64_t id;
  };

  // Appends the ids of text that holds no added token: pre-tokenizes, then merges.
  void encode_text(std::string_view text, std::vector<int64_t>* ids) const;
  // Appends the ids of one pre-tokenized piece (raw bytes).
  void encode_word(std::string_view piece, std::vector<int64_t>* ids) const;
  std::vector<int64_t> merge_word(const std::string& mapped) const;
  // Appends (piece, added token id or -1) for text split on added tokens.
  void split_added(std::string_view text, bool normalized_pass,
                   std::vector<std::pair<std::string_view, int64_t>>* out) const;
  int64_t added_id(const std::vector<std::string>& names) const;

  std::string source_;
  std::unordered_map<std::string, int64_t> vocab_;
  std::unordered_map<uint64_t, Merge> merges_;  // (left id << 32 | right id) -> merge
  std::vector<AddedToken> added_;
  // What added_[i] matches, and decodes to: its content, in NFC when it is
  // normalized and so is the text it is matched in (as in `tokenizers`).
  std::vector<std::string> added_patterns_;
  std::vector<std::vector<size_t>> added_by_first_byte_;  // indices into added_, longest first
  std::vector<std::string> id_to_token_;                  // "" where an id has no token
  std::vector<bool> is_special_;
  std::vector<SplitPattern> splits_;
  bool add_prefix_space_;
  bool byte_level_regex_;
  bool ignore_merges_;
  bool nfc_;
  int64_t unk_id_ = -1;
  int64_t pad_id_, bos_id_, eos_id_;

  static constexpr size_t kCacheCapacity = 100000;  // words; later words are not cached
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<int64_t>> cache_;
};

}  // namespace rlvr::models
