#include "models/bpe_tokenizer.h"

#include <algorithm>
#include <queue>

#include "core/error.h"
#include "models/byte_level.h"
#include "models/unicode_classes.h"
#include "models/unicode_normalize.h"
#include "models/utf8.h"

namespace rlvr::models {
namespace {

uint64_t pair_key(int64_t left, int64_t right) {
  return (static_cast<uint64_t>(left) << 32) | static_cast<uint64_t>(right);
}

// Byte length of the whitespace run that ends at text[end] (lstrip).
size_t whitespace_before(std::string_view text, size_t begin, size_t end) {
  size_t start = end;
  while (start > begin) {
    size_t lead = start - 1;
    while (lead > begin && (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) --lead;
    size_t length;
    if (!is_whitespace(decode_utf8(text, lead, &length)) || lead + length != start) break;
    start = lead;
  }
  return end - start;
}

// Byte length of the whitespace run that starts at text[begin] (rstrip).
size_t whitespace_after(std::string_view text, size_t begin) {
  size_t end = begin;
  size_t length;
  while (end < text.size() && is_whitespace(decode_utf8(text, end, &length))) end += length;
  return end - begin;
}

}  // namespace

BpeTokenizer::BpeTokenizer(Spec spec)
    : source_(std::move(spec.source)),
      vocab_(std::move(spec.vocab)),
      added_(std::move(spec.added_tokens)),
      added_by_first_byte_(256),
      splits_(std::move(spec.splits)),
      add_prefix_space_(spec.add_prefix_space),
      byte_level_regex_(spec.byte_level_regex),
      ignore_merges_(spec.ignore_merges),
      nfc_(spec.nfc) {
  int64_t size = 0;
  for (const auto& [token, id] : vocab_) size = std::max(size, id + 1);
  for (const AddedToken& t : added_) size = std::max(size, t.id + 1);
  id_to_token_.resize(static_cast<size_t>(size));
  is_special_.resize(static_cast<size_t>(size), false);
  for (const auto& [token, id] : vocab_) id_to_token_[static_cast<size_t>(id)] = token;
  for (size_t i = 0; i < added_.size(); ++i) {
    const AddedToken& t = added_[i];
    added_patterns_.push_back(nfc_ && t.normalized ? nfc(t.content) : t.content);
    // `tokenizers` decodes an added token as the text it matches (seen in 0.23).
    id_to_token_[static_cast<size_t>(t.id)] = added_patterns_[i];
    is_special_[static_cast<size_t>(t.id)] = t.special;
    added_by_first_byte_[static_cast<unsigned char>(added_patterns_[i][0])].push_back(i);
  }
  for (auto& candidates : added_by_first_byte_) {
    std::stable_sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
      return added_patterns_[a].size() > added_patterns_[b].size();
    });
  }
  const auto vocab_id = [&](const std::string& token, const std::string& field) {
    auto it = vocab_.find(token);
    if (it == vocab_.end()) {
      throw Error(source_ + ": field '" + field + "': token '" + token + "' is not in model.vocab");
    }
    return it->second;
  };
  for (size_t rank = 0; rank < spec.merges.size(); ++rank) {
    const auto& [left, right] = spec.merges[rank];
    const std::string field = "model.merges[" + std::to_string(rank) + "]";
    // Assignment, not emplace: a repeated merge takes its last rank, as in `tokenizers`.
    merges_[pair_key(vocab_id(left, field), vocab_id(right, field))] =
        Merge{static_cast<int32_t>(rank), vocab_id(left + right, field)};
  }
  if (spec.unk_token) unk_id_ = vocab_id(*spec.unk_token, "model.unk_token");
  // A role given by content ("" for none), else the first of the usual names present.
  const auto role_id = [&](const std::optional<std::string>& content, const std::string& role,
                           const std::vector<std::string>& usual) -> int64_t {
    if (!content) return added_id(usual);
    if (content->empty()) return -1;
    const int64_t id = token_id(*content);
    if (id < 0) {
      throw Error(source_ + ": the " + role + " token '" + *content +
                  "' is neither an added token nor in model.vocab");
    }
    return id;
  };
  bos_id_ = role_id(spec.roles.bos, "bos", {"<|begin_of_text|>", "<|endoftext|>"});
  eos_id_ = role_id(spec.roles.eos, "eos", {"<|end_of_text|>", "<|endoftext|>", "<|im_end|>"});
  pad_id_ = role_id(spec.roles.pad, "pad", {"<|endoftext|>", "<|end_of_text|>"});
}

int64_t BpeTokenizer::token_id(std::string_view content) const {
  for (const AddedToken& t : added_) {
    if (t.content == content) return t.id;
  }
  const auto it = vocab_.find(std::string(content));
  return it == vocab_.end() ? -1 : it->second;
}

int64_t BpeTokenizer::added_id(const std::vector<std::string>& names) const {
  for (const std::string& name : names) {
    for (const AddedToken& t : added_) {
      if (t.content == name) return t.id;
    }
  }
  return -1;
}

std::vector<int64_t> BpeTokenizer::encode(std::string_view text) const {
  // `tokenizers` matches added tokens with normalized=false on the raw text, then
  // normalizes each piece between them and matches the normalized ones in that.
  std::vector<std::pair<std::string_view, int64_t>> raw_split, segments;
  split_added(text, /*normalized_pass=*/false, &raw_split);
  std::vector<int64_t> ids;
  for (const auto& [piece, id] : raw_split) {
    if (id >= 0) {
      ids.push_back(id);
      continue;
    }
    const std::string normalized = nfc_ ? nfc(piece) : std::string();
    segments.clear();
    split_added(nfc_ ? std::string_view(normalized) : piece, /*normalized_pass=*/true, &segments);
    for (const auto& [segment, segment_id] : segments) {
      if (segment_id >= 0) {
        ids.push_back(segment_id);
      } else {
        encode_text(segment, &ids);
      }
    }
  }
  return ids;
}

void BpeTokenizer::encode_text(std::string_view text, std::vector<int64_t>* ids) const {
  std::vector<std::string_view> pieces{text};
  for (SplitPattern pattern : splits_) {
    std::vector<std::string_view> next;
    for (std::string_view piece : pieces) {
      for (std::string_view word : split_words(piece, pattern)) next.push_back(word);
    }
    pieces = std::move(next);
  }
  for (std::string_view piece : pieces) {
    std::string prefixed;
    if (add_prefix_space_ && piece.front() != ' ') {
      prefixed = " " + std::string(piece);
      piece = prefixed;
    }
    if (!byte_level_regex_) {
      encode_word(piece, ids);
      continue;
    }
    for (std::string_view word : split_words(piece, SplitPattern::kGpt2)) encode_word(word, ids);
  }
}

void BpeTokenizer::split_added(std::string_view text, bool normalized_pass,
                               std::vector<std::pair<std::string_view, int64_t>>* out) const {
  size_t piece_start = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const AddedToken* match = nullptr;
    size_t match_size = 0;
    for (size_t i : added_by_first_byte_[static_cast<unsigned char>(text[pos])]) {
      const AddedToken& t = added_[i];
      const std::string& pattern = added_patterns_[i];
      if (t.normalized == normalized_pass && text.compare(pos, pattern.size(), pattern) == 0) {
        match = &t;
        match_size = pattern.size();
        break;
      }
    }
    if (match == nullptr) continue;
    size_t start = pos;
    size_t end = pos + match_size;
    if (match->lstrip) start -= whitespace_before(text, piece_start, start);
    if (match->rstrip) end += whitespace_after(text, end);
    if (start > piece_start) out->emplace_back(text.substr(piece_start, start - piece_start), -1);
    out->emplace_back(text.substr(start, end - start), match->id);
    piece_start = end;
    pos = end - 1;
  }
  if (piece_start < text.size()) out->emplace_back(text.substr(piece_start), -1);
}

void BpeTokenizer::encode_word(std::string_view piece, std::vector<int64_t>* ids) const {
  const std::string mapped = bytes_to_byte_level(piece);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = cache_.find(mapped);
    if (it != cache_.end()) {
      ids->insert(ids->end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int64_t> word = merge_word(mapped);
  ids->insert(ids->end(), word.begin(), word.end());
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (cache_.size() < kCacheCapacity) cache_.emplace(mapped, std::move(word));
}

std::vector<int64_t> BpeTokenizer::merge_word(const std::string& mapped) const {
  if (ignore_merges_) {
    auto it = vocab_.find(mapped);
    if (it != vocab_.end()) return {it->second};
  }
  // A doubly linked list of symbols; the heap holds candidate merges ordered by
  // (rank, position), and entries made stale by earlier merges are skipped.
  struct Symbol {
    int64_t id;
    int prev, next;
    bool alive;
  };
  struct Candidate {
    int32_t rank;
    int pos;
    int64_t left, right, merged;
    bool operator>(const Candidate& o) const {
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::vector<Symbol> symbols;
  for (size_t pos = 0; pos < mapped.size();) {
    size_t length;
    decode_utf8(mapped, pos, &length);
    auto it = vocab_.find(mapped.substr(pos, length));
    // Like `tokenizers`, a character missing from the vocabulary becomes unk,
    // or is dropped when there is no unk token.
    const int64_t id = it != vocab_.end() ? it->second : unk_id_;
    if (id >= 0) {
      const int index = static_cast<int>(symbols.size());
      symbols.push_back(Symbol{id, index - 1, index + 1, true});
    }
    pos += length;
  }
  if (!symbols.empty()) symbols.back().next = -1;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
  const auto push = [&](int left) {
    if (left < 0 || symbols[left].next < 0) return;
    const Symbol& a = symbols[left];
    const Symbol& b = symbols[a.next];
    auto it = merges_.find(pair_key(a.id, b.id));
    if (it != merges_.end()) heap.push(Candidate{it->second.rank, left, a.id, b.id, it->second.id});
  };
  for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i) push(i);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    Symbol& left = symbols[c.pos];
    const bool stale = !left.alive || left.next < 0 || left.id != c.left ||
                       symbols[left.next].id != c.right;
    if (stale) continue;
    Symbol& right = symbols[left.next];
    left.id = c.merged;
    right.alive = false;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = c.pos;
    push(left.prev);
    push(c.pos);
  }
  std::vector<int64_t> ids;
  for (const Symbol& s : symbols) {
    if (s.alive) ids.push_back(s.id);
  }
  return ids;
}

std::string BpeTokenizer::decode(const std::vector<int64_t>& ids, bool keep_special) const {
  std::string bytes;
  for (int64_t id : ids) {
    if (id < 0 || id >= vocab_size()) continue;
    const auto index = static_cast<size_t>(id);
    if (id_to_token_[index].empty() || (is_special_[index] && !keep_special)) continue;
    bytes += byte_level_to_bytes(id_to_token_[index]);
  }
  return to_valid_utf8(bytes);
}

}  // namespace rlvr::models
