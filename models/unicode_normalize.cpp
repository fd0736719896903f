#include "models/unicode_normalize.h"

#include <algorithm>
#include <vector>

#include "models/unicode_normalize_tables.h"
#include "models/utf8.h"

namespace rlvr::models {
namespace {

using unicode_tables::kCombiningClasses;
using unicode_tables::kCompositionExclusions;
using unicode_tables::kDecompositions;

// Hangul syllables decompose and compose by arithmetic (Unicode ch. 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

// Bytes of malformed UTF-8 travel through normalization as kRawByte + byte.
// Beyond U+10FFFF, they have class 0 and no mappings, so they block reordering
// and composition like a starter nothing composes with.
constexpr char32_t kRawByte = 0x110000;

// UTF-8 lead bytes from 0xCC up start U+0300 or above (or are malformed).
constexpr unsigned char kFirstLeadAtU0300 = 0xCC;

struct Char {
  char32_t cp;
  unsigned char ccc;
};

struct Composition {
  char32_t first;
  char32_t second;
  char32_t composite;
  bool operator<(const Composition& o) const {
    return first != o.first ? first < o.first : second < o.second;
  }
};

unsigned char combining_class(char32_t cp) {
  const auto it = std::upper_bound(
      kCombiningClasses.begin(), kCombiningClasses.end(), cp,
      [](char32_t c, const unicode_tables::CombiningClassRange& r) { return c < r.first; });
  if (it == kCombiningClasses.begin() || cp > std::prev(it)->last) return 0;
  return std::prev(it)->ccc;
}

// Appends the full canonical decomposition of cp: mappings are one level deep
// in the table, and their code points may decompose again.
void decompose(char32_t cp, std::vector<Char>* out) {
  if (cp - kSBase < kSCount) {  // unsigned: false below kSBase too
    const char32_t index = cp - kSBase;
    out->push_back({kLBase + index / kNCount, 0});
    out->push_back({kVBase + index % kNCount / kTCount, 0});
    if (index % kTCount != 0) out->push_back({kTBase + index % kTCount, 0});
    return;
  }
  const auto it = std::lower_bound(
      kDecompositions.begin(), kDecompositions.end(), cp,
      [](const unicode_tables::Decomposition& d, char32_t c) { return d.cp < c; });
  if (it != kDecompositions.end() && it->cp == cp) {
    decompose(it->first, out);
    if (it->second != 0) decompose(it->second, out);
    return;
  }
  out->push_back({cp, combining_class(cp)});
}

// Primary composites by their two-code-point decomposition: every pair mapping
// that is not a composition exclusion (singletons never recompose).
const std::vector<Composition>& compositions() {
  static const std::vector<Composition> table = [] {
    std::vector<Composition> pairs;
    for (const unicode_tables::Decomposition& d : kDecompositions) {
      if (d.second != 0 && !std::binary_search(kCompositionExclusions.begin(),
                                               kCompositionExclusions.end(), d.cp)) {
        pairs.push_back({d.first, d.second, d.cp});
      }
    }
    std::sort(pairs.begin(), pairs.end());
    return pairs;
  }();
  return table;
}

// The primary composite of first + second, or 0 when there is none.
char32_t compose(char32_t first, char32_t second) {
  if (first - kLBase < kLCount && second - kVBase < kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first - kSBase < kSCount && (first - kSBase) % kTCount == 0 &&
      second - kTBase - 1 < kTCount - 1) {  // an LV syllable + a trailing consonant
    return first + (second - kTBase);
  }
  const std::vector<Composition>& table = compositions();
  const Composition key{first, second, 0};
  const auto it = std::lower_bound(table.begin(), table.end(), key);
  return it != table.end() && it->first == first && it->second == second ? it->composite : 0;
}

// Sorts each run of non-starters by combining class, keeping equal classes in
// order (canonical ordering).
void reorder(std::vector<Char>* chars) {
  auto run = chars->begin();
  while (run != chars->end()) {
    run = std::find_if(run, chars->end(), [](const Char& c) { return c.ccc != 0; });
    const auto run_end = std::find_if(run, chars->end(), [](const Char& c) { return c.ccc == 0; });
    std::stable_sort(run, run_end, [](const Char& a, const Char& b) { return a.ccc < b.ccc; });
    run = run_end;
  }
}

// Canonical composition in place: each character joins the last starter unless
// a character between them is blocking (a starter, or a class >= its own).
void compose_all(std::vector<Char>* chars) {
  if (chars->empty()) return;
  size_t starter = 0;
  size_t size = 1;
  // 256: a leading non-starter has no starter before it to join.
  int last_class = (*chars)[0].ccc == 0 ? 0 : 256;
  for (size_t i = 1; i < chars->size(); ++i) {
    const Char c = (*chars)[i];
    const bool blocked = last_class != 0 && last_class >= c.ccc;
    const char32_t composite = blocked ? 0 : compose((*chars)[starter].cp, c.cp);
    if (composite != 0) {
      (*chars)[starter].cp = composite;
      continue;
    }
    if (c.ccc == 0) starter = size;
    last_class = c.ccc;
    (*chars)[size++] = c;
  }
  chars->resize(size);
}

}  // namespace

std::string nfc(std::string_view utf8) {
  const bool below_u0300 = std::all_of(utf8.begin(), utf8.end(), [](char b) {
    return static_cast<unsigned char>(b) < kFirstLeadAtU0300;
  });
  if (below_u0300) return std::string(utf8);
  std::vector<Char> chars;
  chars.reserve(utf8.size());
  for (size_t pos = 0; pos < utf8.size();) {
    size_t length;
    const char32_t cp = decode_utf8(utf8, pos, &length);
    if (cp == kInvalidCodePoint) {
      for (size_t k = 0; k < length; ++k) {
        chars.push_back({kRawByte + static_cast<unsigned char>(utf8[pos + k]), 0});
      }
    } else {
      decompose(cp, &chars);
    }
    pos += length;
  }
  reorder(&chars);
  compose_all(&chars);
  std::string out;
  out.reserve(utf8.size());
  for (const Char& c : chars) {
    if (c.cp >= kRawByte) {
      out += static_cast<char>(c.cp - kRawByte);
    } else {
      append_utf8(c.cp, &out);
    }
  }
  return out;
}

}  // namespace rlvr::models
