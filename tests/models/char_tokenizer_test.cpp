#include <gtest/gtest.h>

#include "core/error.h"
#include "models/char_tokenizer.h"

namespace rlvr::models {
namespace {

TEST(CharTokenizer, RoundTripsPrintableAscii) {
  CharTokenizer tok;
  std::string all = "\t\n";
  for (char c = 32; c < 127; ++c) all += c;
  const auto ids = tok.encode(all);
  EXPECT_EQ(ids.size(), all.size());
  EXPECT_EQ(tok.decode(ids), all);
  EXPECT_EQ(tok.vocab_size(), 4 + 97);
}

TEST(CharTokenizer, SpecialTokensAreDroppedOnDecode) {
  CharTokenizer tok;
  auto ids = tok.encode("12+3=");
  ids.insert(ids.begin(), tok.bos_id());
  ids.push_back(tok.eos_id());
  ids.push_back(tok.pad_id());
  EXPECT_EQ(tok.decode(ids), "12+3=");
}

TEST(CharTokenizer, UnknownBytesBecomeUnk) {
  CharTokenizer tok;
  const auto ids = tok.encode("a\xc3\xa9");
  EXPECT_EQ(ids[1], tok.unk_id());
  EXPECT_EQ(tok.decode(ids), "a??");
}

TEST(CharTokenizer, FactoryRejectsUnknownNames) {
  EXPECT_EQ(make_tokenizer("char")->name(), "char");
  EXPECT_THROW(make_tokenizer("bpe-nope"), Error);
}

}  // namespace
}  // namespace rlvr::models
