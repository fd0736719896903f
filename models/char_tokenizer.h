// Character tokenizer for procedural tasks: ids 0..3 are pad, bos, eos and unk;
// then tab, newline and the 95 printable ASCII characters. Any other byte
// encodes as unk and decodes as '?'.
#pragma once

#include <array>

#include "models/tokenizer.h"

namespace rlvr::models {

class CharTokenizer : public Tokenizer {
 public:
  CharTokenizer();
  std::string name() const override { return "char"; }
  std::vector<int64_t> encode(std::string_view text) const override;
  std::string decode(const std::vector<int64_t>& ids) const override;
  int64_t vocab_size() const override { return kFirstChar + static_cast<int64_t>(chars_.size()); }
  int64_t pad_id() const override { return 0; }
  int64_t bos_id() const override { return 1; }
  int64_t eos_id() const override { return 2; }
  int64_t unk_id() const { return 3; }

 private:
  static constexpr int64_t kFirstChar = 4;
  std::string chars_;                 // id - kFirstChar -> character
  std::array<int64_t, 256> ids_{};    // byte -> id (unk where absent)
};

}  // namespace rlvr::models
