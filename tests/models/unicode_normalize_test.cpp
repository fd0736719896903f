// nfc() on the cases that exercise each rule, and the tokenizer.json NFC
// normalizer. Every code point and random mark sequences are compared with
// Python's unicodedata by tests/python/unicode_normalize_test.py, ids with
// `tokenizers` by tests/python/bpe_parity_test.py.
#include "models/unicode_normalize.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/bpe_tokenizer.h"
#include "temp_json.h"

namespace rlvr::models {
namespace {

TEST(Nfc, LeavesTextBelowU0300Unchanged) {
  EXPECT_EQ(nfc(""), "");
  EXPECT_EQ(nfc("Hello, world!\n\t"), "Hello, world!\n\t");
  EXPECT_EQ(nfc("Gr\u00fc\u00dfe, caf\u00e9, \u00c5 \u00ff \u02ff"),
            "Gr\u00fc\u00dfe, caf\u00e9, \u00c5 \u00ff \u02ff");
}

TEST(Nfc, LeavesNfcTextUnchanged) {
  for (const char* text : {"\u00e9t\u00e9 \u1ec7", "\uc548\ub155\ud558\uc138\uc694",
                           "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac", "\u4f60\u597d",
                           "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u0915\u093c"}) {
    EXPECT_EQ(nfc(text), text);
  }
}

TEST(Nfc, ComposesBaseAndCombiningMark) {
  EXPECT_EQ(nfc("e\u0301"), "\u00e9");
  EXPECT_EQ(nfc("A\u030a"), "\u00c5");
  EXPECT_EQ(nfc("\u0b47\u0b3e"), "\u0b4b");  // two starters compose too
}

TEST(Nfc, ComposesAndDecomposesHangul) {
  EXPECT_EQ(nfc("\u1100\u1161"), "\uac00");         // L V -> LV
  EXPECT_EQ(nfc("\u1100\u1161\u11a8"), "\uac01");   // L V T -> LVT
  EXPECT_EQ(nfc("\uac00\u11a8"), "\uac01");         // LV T -> LVT
  EXPECT_EQ(nfc("\uac01\u11a8"), "\uac01\u11a8");   // LVT takes no second T
  EXPECT_EQ(nfc("\uac00\u11a7"), "\uac00\u11a7");   // U+11A7 is before the first T
  EXPECT_EQ(nfc("\u1100\u1161\u0301\u11a8"), "\uac00\u0301\u11a8");  // the mark blocks T
}

TEST(Nfc, MapsSingletonsAndNeverRecomposesThem) {
  EXPECT_EQ(nfc("\u212b"), "\u00c5");  // ANGSTROM SIGN
  EXPECT_EQ(nfc("\u2126"), "\u03a9");  // OHM SIGN
  EXPECT_EQ(nfc("\u212a"), "K");       // KELVIN SIGN
}

TEST(Nfc, DecomposesCompositionExclusions) {
  EXPECT_EQ(nfc("\u0958"), "\u0915\u093c");                    // DEVANAGARI QA
  EXPECT_EQ(nfc("\u0344"), "\u0308\u0301");                    // a non-starter decomposition
  EXPECT_EQ(nfc("\U0001d15e"), "\U0001d157\U0001d165");        // outside the BMP
}

TEST(Nfc, ReordersMarksByCombiningClass) {
  EXPECT_EQ(nfc("q\u0307\u0323"), "q\u0323\u0307");  // dot below (220) before dot above (230)
  EXPECT_EQ(nfc("a\u0301\u0323"), "\u1ea1\u0301");
  EXPECT_EQ(nfc("a\u0323\u0301"), "\u1ea1\u0301");
  EXPECT_EQ(nfc("o\u0302\u0323\u031b"), "\u1ee3\u0302");  // horn 216, dot 220, circumflex 230
  EXPECT_EQ(nfc("e\u0302\u0323"), "\u1ec7");              // Vietnamese stacked marks
}

TEST(Nfc, OnlyMarksOfLowerClassLetALaterMarkThrough) {
  EXPECT_EQ(nfc("e\u0364\u0301"), "e\u0364\u0301");  // both 230: the first blocks
  EXPECT_EQ(nfc("a\u0316\u0301"), "\u00e1\u0316");   // 220 does not block 230
  EXPECT_EQ(nfc("e\u0302\u0301"), "\u1ebf");
  EXPECT_EQ(nfc("e\u0301\u0302"), "\u00e9\u0302");
  EXPECT_EQ(nfc("a\u0308\u0308"), "\u00e4\u0308");
  EXPECT_EQ(nfc("\u0301e"), "\u0301e");  // a leading mark has nothing to join
}

TEST(Nfc, KeepsMalformedBytesAsStarters) {
  EXPECT_EQ(nfc("e\xff\xcc\x81"), "e\xff\xcc\x81");  // 0xFF blocks the composition
  EXPECT_EQ(nfc("e\xcc\x81\xff"), "\u00e9\xff");
  EXPECT_EQ(nfc("\xcc" "e\xcc\x81"), "\xcc\u00e9");   // a lead byte without its tail
  EXPECT_EQ(nfc("\x80" "A\xcc\x8a\xe1\x84"), "\x80\u00c5\xe1\x84");
}

// One merge: "Ã" + "©" = "é" (0xC3 0xA9); "e" + U+0301 has no token for U+0301.
std::string tokenizer_json(const std::string& normalizer) {
  return R"({
    "added_tokens": [
      {"id": 4, "content": "<e\u0301>", "special": true, "normalized": false},
      {"id": 5, "content": "[e\u0301]", "special": false, "normalized": true}],
    "normalizer": )" + normalizer + R"(,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
    "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "vocab": {"e": 0, "Ã": 1, "©": 2, "Ã©": 3}, "merges": ["Ã ©"]}
  })";
}

TEST(NfcNormalizer, ComposesBeforeBpe) {
  for (const char* normalizer : {R"({"type": "NFC"})",
                                 R"({"type": "Sequence", "normalizers": [{"type": "NFC"}]})"}) {
    const auto tokenizer = BpeTokenizer::from_file(write_temp_json("nfc", tokenizer_json(normalizer)));
    EXPECT_EQ(tokenizer->encode("e\u0301"), (std::vector<int64_t>{3})) << normalizer;
    EXPECT_EQ(tokenizer->encode("\u00e9"), (std::vector<int64_t>{3})) << normalizer;
  }
  const auto raw = BpeTokenizer::from_file(write_temp_json("raw", tokenizer_json("null")));
  EXPECT_EQ(raw->encode("e\u0301"), (std::vector<int64_t>{0}));  // U+0301 has no token
}

TEST(NfcNormalizer, MatchesAddedTokensAsTokenizersDoes) {
  const auto tokenizer =
      BpeTokenizer::from_file(write_temp_json("nfc", tokenizer_json(R"({"type": "NFC"})")));
  // normalized=false: matched on the raw text, so only in its own (decomposed) form.
  EXPECT_EQ(tokenizer->encode("<e\u0301>"), (std::vector<int64_t>{4}));
  EXPECT_NE(tokenizer->encode("<\u00e9>"), (std::vector<int64_t>{4}));
  // normalized=true: its NFC form is matched in the normalized text.
  EXPECT_EQ(tokenizer->encode("[e\u0301]"), (std::vector<int64_t>{5}));
  EXPECT_EQ(tokenizer->encode("[\u00e9]"), (std::vector<int64_t>{5}));
  // Both decode as the text they match, through the ByteLevel decoder: "\u00e9"
  // is in its alphabet (the byte 0xE9, a cut character), U+0301 is not.
  EXPECT_EQ(tokenizer->decode({4}, /*keep_special=*/true), "<e\u0301>");
  EXPECT_EQ(tokenizer->decode({5}), "[\ufffd]");
}

TEST(NfcNormalizer, RejectsOtherNormalizersNamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"type": "NFD"})", "'normalizer.type'"},
      {R"({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]})",
       "'normalizer.normalizers[1].type'"},
  };
  for (const auto& [normalizer, field] : cases) {
    try {
      BpeTokenizer::from_file(write_temp_json("bad", tokenizer_json(normalizer)));
      ADD_FAILURE() << "expected rlvr::Error for " << normalizer;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace rlvr::models
