#include "models/char_tokenizer.h"

#include "core/error.h"

namespace rlvr::models {

CharTokenizer::CharTokenizer() {
  chars_ = "\t\n";
  for (char c = 32; c < 127; ++c) chars_ += c;
  ids_.fill(unk_id());
  for (size_t i = 0; i < chars_.size(); ++i) {
    ids_[static_cast<unsigned char>(chars_[i])] = kFirstChar + static_cast<int64_t>(i);
  }
}

std::vector<int64_t> CharTokenizer::encode(std::string_view text) const {
  std::vector<int64_t> ids;
  ids.reserve(text.size());
  for (char c : text) ids.push_back(ids_[static_cast<unsigned char>(c)]);
  return ids;
}

std::string CharTokenizer::decode(const std::vector<int64_t>& ids) const {
  std::string text;
  text.reserve(ids.size());
  for (int64_t id : ids) {
    if (id == unk_id()) {
      text += '?';
    } else if (id >= kFirstChar && id < vocab_size()) {
      text += chars_[static_cast<size_t>(id - kFirstChar)];
    }
  }
  return text;
}

std::unique_ptr<Tokenizer> make_tokenizer(const std::string& name) {
  if (name == "char") return std::make_unique<CharTokenizer>();
  throw Error("unknown tokenizer '" + name + "' (known: char)");
}

}  // namespace rlvr::models
