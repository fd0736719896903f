// Tokenizer: text <-> token ids. Torch-free so verifiers, envs and the CLI can
// use it. Implementations are immutable and thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::models {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  virtual std::string name() const = 0;
  virtual std::vector<int64_t> encode(std::string_view text) const = 0;
  // Decodes ids to text; special tokens (pad, bos, eos) are dropped.
  virtual std::string decode(const std::vector<int64_t>& ids) const = 0;
  virtual int64_t vocab_size() const = 0;
  virtual int64_t pad_id() const = 0;
  virtual int64_t bos_id() const = 0;
  virtual int64_t eos_id() const = 0;
};

// "char": one token per printable ASCII character (plus tab and newline).
// Throws rlvr::Error for an unknown name.
std::unique_ptr<Tokenizer> make_tokenizer(const std::string& name);

// A byte-level BPE tokenizer from a Hugging Face tokenizer.json (see
// bpe_tokenizer.h for what is supported). Throws rlvr::Error naming the file and
// the JSON field for bad or unsupported input.
std::unique_ptr<Tokenizer> load_tokenizer_json(const std::string& path);

}  // namespace rlvr::models
