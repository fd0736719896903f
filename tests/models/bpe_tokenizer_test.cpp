// BpeTokenizer behaviour the parity test cannot see: error messages, decoding of
// partial ids and special tokens. Ids against `tokenizers` are checked by
// tests/python/bpe_parity_test.py.
#include "models/bpe_tokenizer.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "temp_json.h"

namespace rlvr::models {
namespace {

// Vocabulary: the bytes 'a', 'b', 0xC3, 0xA9 ("é" is 0xC3 0xA9, shown as "Ã©"),
// the merges a+b and Ã+©, and one special token.
constexpr const char* kTokenizerJson = R"({
  "added_tokens": [{"id": 6, "content": "<|endoftext|>", "special": true}],
  "normalizer": null,
  "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
  "decoder": {"type": "ByteLevel"},
  "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "Ã": 2, "©": 3, "ab": 4, "Ã©": 5},
            "merges": ["a b", ["Ã", "©"]]}
})";

TEST(BpeTokenizer, EncodesMergesAndSpecialTokens) {
  const auto tokenizer = BpeTokenizer::from_file(write_temp_json("ok", kTokenizerJson));
  EXPECT_EQ(tokenizer->encode("aba<|endoftext|>\xC3\xA9"), (std::vector<int64_t>{4, 0, 6, 5}));
  EXPECT_EQ(tokenizer->vocab_size(), 7);
  EXPECT_EQ(tokenizer->eos_id(), 6);
  EXPECT_EQ(tokenizer->bos_id(), 6);
  EXPECT_EQ(tokenizer->pad_id(), 6);
}

TEST(BpeTokenizer, DecodeDropsSpecialTokensUnlessAsked) {
  const auto tokenizer = BpeTokenizer::from_file(write_temp_json("ok", kTokenizerJson));
  EXPECT_EQ(tokenizer->decode({4, 6, 0}), "aba");
  EXPECT_EQ(tokenizer->decode({4, 6, 0}, /*keep_special=*/true), "ab<|endoftext|>a");
}

TEST(BpeTokenizer, DecodeReplacesCutCharactersAndSkipsUnknownIds) {
  const auto tokenizer = BpeTokenizer::from_file(write_temp_json("ok", kTokenizerJson));
  EXPECT_EQ(tokenizer->decode({0, 2, 99, -1}), "a\xEF\xBF\xBD");  // 0xC3 alone -> U+FFFD
}

TEST(BpeTokenizer, ErrorsNameFileAndField) {
  std::string json = kTokenizerJson;
  json.replace(json.find("\"a b\""), 5, "\"a c\"");
  const std::string path = write_temp_json("bad_merge", json);
  try {
    BpeTokenizer::from_file(path);
    FAIL() << "expected rlvr::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("model.merges[0]"), std::string::npos) << e.what();
  }
}

TEST(BpeTokenizer, RejectsUnknownSplitRegex) {
  const std::string path = write_temp_json("bad_split", R"({
    "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
      {"type": "Split", "pattern": {"Regex": "\\w+"}, "behavior": "Isolated", "invert": false},
      {"type": "ByteLevel", "use_regex": false}]},
    "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "vocab": {}, "merges": []}})");
  EXPECT_THROW(
      {
        try {
          BpeTokenizer::from_file(path);
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("pre_tokenizer.pretokenizers[0].pattern.Regex"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      Error);
}

TEST(BpeTokenizer, LoadTokenizerJsonReturnsTheBpeTokenizer) {
  const auto tokenizer = load_tokenizer_json(write_temp_json("ok", kTokenizerJson));
  EXPECT_EQ(tokenizer->encode("ab"), (std::vector<int64_t>{4}));
}

}  // namespace
}  // namespace rlvr::models
