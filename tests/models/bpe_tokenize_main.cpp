// Test driver for the BPE parity test: argv[1] is a tokenizer.json; each stdin
// line is a JSON string; each output line is {"ids": [...], "decoded": "..."}
// where decoded = decode(encode(text)). With --nfc instead of a tokenizer.json,
// each output line is the JSON string nfc(text), for
// tests/python/unicode_normalize_test.py. Errors go to stderr with exit status 1.
#include <functional>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/bpe_tokenizer.h"
#include "models/unicode_normalize.h"

namespace {

// Writes one line of `transform(text)` for each stdin line holding a JSON string.
void for_each_line(const std::function<nlohmann::json(const std::string&)>& transform) {
  std::string line;
  for (size_t number = 1; std::getline(std::cin, line); ++number) {
    nlohmann::json input;
    try {
      input = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw rlvr::Error("stdin line " + std::to_string(number) + ": " + e.what());
    }
    if (!input.is_string()) {
      throw rlvr::Error("stdin line " + std::to_string(number) + ": not a JSON string");
    }
    std::cout << transform(input.get<std::string>()).dump() << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bpe_tokenize TOKENIZER_JSON|--nfc < strings.jsonl\n";
    return 1;
  }
  try {
    if (std::string(argv[1]) == "--nfc") {
      for_each_line([](const std::string& text) {
        return nlohmann::json(rlvr::models::nfc(text));
      });
      return 0;
    }
    const auto tokenizer = rlvr::models::BpeTokenizer::from_file(argv[1]);
    for_each_line([&](const std::string& text) {
      const std::vector<int64_t> ids = tokenizer->encode(text);
      return nlohmann::json{{"ids", ids}, {"decoded", tokenizer->decode(ids)}};
    });
  } catch (const rlvr::Error& e) {
    std::cerr << "bpe_tokenize: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
