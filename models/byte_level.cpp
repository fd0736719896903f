#include "models/byte_level.h"

#include <array>

#include "models/utf8.h"

namespace rlvr::models {
namespace {

struct ByteLevelTables {
  std::array<std::string, 256> byte_to_utf8;  // UTF-8 of each byte's character
  std::array<int, 512> char_to_byte;           // code point -> byte, -1 if none

  ByteLevelTables() {
    char_to_byte.fill(-1);
    char32_t next_unprintable = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      const char32_t cp = printable ? static_cast<char32_t>(b) : next_unprintable++;
      append_utf8(cp, &byte_to_utf8[b]);
      char_to_byte[cp] = b;
    }
  }
};

const ByteLevelTables& tables() {
  static const ByteLevelTables instance;
  return instance;
}

}  // namespace

std::string bytes_to_byte_level(std::string_view bytes) {
  const ByteLevelTables& t = tables();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) out += t.byte_to_utf8[static_cast<unsigned char>(c)];
  return out;
}

std::string byte_level_to_bytes(std::string_view token) {
  const ByteLevelTables& t = tables();
  std::string out;
  for (size_t pos = 0; pos < token.size();) {
    size_t length;
    const char32_t cp = decode_utf8(token, pos, &length);
    if (cp >= t.char_to_byte.size() || t.char_to_byte[cp] < 0) return std::string(token);
    out += static_cast<char>(t.char_to_byte[cp]);
    pos += length;
  }
  return out;
}

}  // namespace rlvr::models
