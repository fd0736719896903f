// Test driver for the BPE parity test: argv[1] is a tokenizer.json; each stdin
// line is a JSON string; each output line is {"ids": [...], "decoded": "..."}
// where decoded = decode(encode(text)). Errors go to stderr with exit status 1.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/bpe_tokenizer.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bpe_tokenize TOKENIZER_JSON < strings.jsonl\n";
    return 1;
  }
  try {
    const auto tokenizer = rlvr::models::BpeTokenizer::from_file(argv[1]);
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
      const std::vector<int64_t> ids = tokenizer->encode(input.get<std::string>());
      const nlohmann::json output = {{"ids", ids}, {"decoded", tokenizer->decode(ids)}};
      std::cout << output.dump() << '\n';
    }
  } catch (const rlvr::Error& e) {
    std::cerr << "bpe_tokenize: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
