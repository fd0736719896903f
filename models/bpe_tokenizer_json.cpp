// BpeTokenizer::from_file: reads a Hugging Face tokenizer.json into a Spec,
// rejecting every field value we would otherwise silently mis-tokenize.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "models/bpe_tokenizer.h"

namespace rlvr::models {
namespace {

using nlohmann::json;

// Field access that names the file and the dotted JSON path in every error.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw Error(path_ + ": field '" + field + "': " + what);
  }

  const json& member(const json& object, const std::string& field, const char* key) const {
    if (!object.is_object() || !object.contains(key)) fail(join(field, key), "missing");
    return object[key];
  }

  std::string string(const json& value, const std::string& field) const {
    if (!value.is_string()) fail(field, "expected a string, got " + value.dump());
    return value.get<std::string>();
  }

  // An optional boolean: absent or null means `fallback`.
  bool flag(const json& object, const std::string& field, const char* key, bool fallback) const {
    if (!object.contains(key) || object[key].is_null()) return fallback;
    if (!object[key].is_boolean()) fail(join(field, key), "expected true or false");
    return object[key].get<bool>();
  }

  int64_t id(const json& value, const std::string& field) const {
    if (!value.is_number_integer() || value.get<int64_t>() < 0) {
      fail(field, "expected a non-negative integer id, got " + value.dump());
    }
    return value.get<int64_t>();
  }

  void expect_type(const json& object, const std::string& field, const std::string& type) const {
    const std::string got = string(member(object, field, "type"), join(field, "type"));
    if (got != type) fail(join(field, "type"), "expected \"" + type + "\", got \"" + got + "\"");
  }

  static std::string join(const std::string& field, const std::string& key) {
    return field.empty() ? key : field + "." + key;
  }

 private:
  std::string path_;
};

void read_model(const Reader& r, const json& model, BpeTokenizer::Spec* spec) {
  r.expect_type(model, "model", "BPE");
  const json& vocab = r.member(model, "model", "vocab");
  if (!vocab.is_object()) r.fail("model.vocab", "expected an object of token -> id");
  for (const auto& [token, id] : vocab.items()) {
    spec->vocab[token] = r.id(id, "model.vocab." + token);
  }
  const json& merges = r.member(model, "model", "merges");
  if (!merges.is_array()) r.fail("model.merges", "expected an array");
  for (size_t i = 0; i < merges.size(); ++i) {
    const std::string field = "model.merges[" + std::to_string(i) + "]";
    const json& merge = merges[i];
    if (merge.is_array() && merge.size() == 2) {  // ["a", "b"] (tokenizers >= 0.20)
      spec->merges.emplace_back(r.string(merge[0], field), r.string(merge[1], field));
      continue;
    }
    const std::string text = r.string(merge, field);  // "a b"
    const size_t space = text.find(' ');
    if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
      r.fail(field, "expected \"left right\" or [left, right], got \"" + text + "\"");
    }
    spec->merges.emplace_back(text.substr(0, space), text.substr(space + 1));
  }
  spec->ignore_merges = r.flag(model, "model", "ignore_merges", false);
  if (model.contains("unk_token") && !model["unk_token"].is_null()) {
    spec->unk_token = r.string(model["unk_token"], "model.unk_token");
  }
  if (r.flag(model, "model", "fuse_unk", false)) r.fail("model.fuse_unk", "true is not supported");
  if (r.flag(model, "model", "byte_fallback", false)) {
    r.fail("model.byte_fallback", "true is not supported (byte-level BPE needs no fallback)");
  }
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    if (model.contains(key) && !model[key].is_null() && model[key] != "") {
      r.fail(std::string("model.") + key, "not supported by byte-level BPE");
    }
  }
  if (model.contains("dropout") && !model["dropout"].is_null() && model["dropout"] != 0) {
    r.fail("model.dropout", "dropout makes encoding random; only null or 0 is supported");
  }
}

void read_added_tokens(const Reader& r, const json& root, BpeTokenizer::Spec* spec) {
  if (!root.contains("added_tokens") || root["added_tokens"].is_null()) return;
  const json& tokens = root["added_tokens"];
  if (!tokens.is_array()) r.fail("added_tokens", "expected an array");
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string field = "added_tokens[" + std::to_string(i) + "]";
    const json& t = tokens[i];
    BpeTokenizer::AddedToken token;
    token.id = r.id(r.member(t, field, "id"), field + ".id");
    token.content = r.string(r.member(t, field, "content"), field + ".content");
    if (token.content.empty()) r.fail(field + ".content", "empty");
    token.special = r.flag(t, field, "special", false);
    token.lstrip = r.flag(t, field, "lstrip", false);
    token.rstrip = r.flag(t, field, "rstrip", false);
    token.normalized = r.flag(t, field, "normalized", !token.special);
    if (r.flag(t, field, "single_word", false)) {
      r.fail(field + ".single_word", "true is not supported");
    }
    spec->added_tokens.push_back(std::move(token));
  }
}

// ByteLevel, or Sequence[Split(known regex)..., ByteLevel].
void read_pre_tokenizer(const Reader& r, const json& root, BpeTokenizer::Spec* spec) {
  const json& pre = r.member(root, "", "pre_tokenizer");
  std::vector<std::pair<std::string, const json*>> steps;
  const std::string type = r.string(r.member(pre, "pre_tokenizer", "type"), "pre_tokenizer.type");
  if (type == "Sequence") {
    const json& list = r.member(pre, "pre_tokenizer", "pretokenizers");
    if (!list.is_array()) r.fail("pre_tokenizer.pretokenizers", "expected an array");
    for (size_t i = 0; i < list.size(); ++i) {
      steps.emplace_back("pre_tokenizer.pretokenizers[" + std::to_string(i) + "]", &list[i]);
    }
  } else {
    steps.emplace_back("pre_tokenizer", &pre);
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& [field, step] = steps[i];
    const std::string step_type = r.string(r.member(*step, field, "type"), field + ".type");
    const bool last = i + 1 == steps.size();
    if (step_type == "ByteLevel" && last) {
      spec->add_prefix_space = r.flag(*step, field, "add_prefix_space", false);
      spec->byte_level_regex = r.flag(*step, field, "use_regex", true);
      return;
    }
    if (step_type != "Split") {
      r.fail(field + ".type",
             "expected Split steps ending in one ByteLevel, got \"" + step_type + "\"");
    }
    const json& pattern = r.member(*step, field, "pattern");
    const std::string regex =
        r.string(r.member(pattern, field + ".pattern", "Regex"), field + ".pattern.Regex");
    const std::optional<SplitPattern> known = split_pattern_from_regex(regex);
    if (!known) r.fail(field + ".pattern.Regex", "not the GPT-2, Llama-3 or Qwen2 regex: " + regex);
    const std::string behavior = r.string(r.member(*step, field, "behavior"), field + ".behavior");
    if (behavior != "Isolated") r.fail(field + ".behavior", "only \"Isolated\" is supported");
    if (r.flag(*step, field, "invert", false)) r.fail(field + ".invert", "true is not supported");
    spec->splits.push_back(*known);
  }
  r.fail("pre_tokenizer", "expected a ByteLevel pre-tokenizer as the last step");
}

// null, NFC, or a Sequence of NFC steps (NFC twice is NFC once). Anything else
// would change the text in ways we do not reproduce, so it is rejected.
void read_normalizer(const Reader& r, const json& root, BpeTokenizer::Spec* spec) {
  if (!root.contains("normalizer") || root["normalizer"].is_null()) return;
  const json& normalizer = root["normalizer"];
  const std::string type = r.string(r.member(normalizer, "normalizer", "type"), "normalizer.type");
  if (type == "NFC") {
    spec->nfc = true;
    return;
  }
  if (type != "Sequence") {
    r.fail("normalizer.type",
           "only null, \"NFC\" or a Sequence of \"NFC\" is supported, got \"" + type + "\"");
  }
  const json& steps = r.member(normalizer, "normalizer", "normalizers");
  if (!steps.is_array()) r.fail("normalizer.normalizers", "expected an array");
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string field = "normalizer.normalizers[" + std::to_string(i) + "]";
    const std::string step = r.string(r.member(steps[i], field, "type"), field + ".type");
    if (step != "NFC") r.fail(field + ".type", "only \"NFC\" is supported, got \"" + step + "\"");
    spec->nfc = true;
  }
}

}  // namespace

std::unique_ptr<BpeTokenizer> BpeTokenizer::from_file(const std::string& path,
                                                     SpecialRoles roles) {
  const Reader r(path);
  json root;
  try {
    root = json::parse(read_file(path));
  } catch (const json::parse_error& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  Spec spec;
  spec.source = path;
  spec.roles = std::move(roles);
  read_model(r, r.member(root, "", "model"), &spec);
  read_added_tokens(r, root, &spec);
  read_pre_tokenizer(r, root, &spec);
  read_normalizer(r, root, &spec);
  r.expect_type(r.member(root, "", "decoder"), "decoder", "ByteLevel");
  return std::make_unique<BpeTokenizer>(std::move(spec));
}

std::unique_ptr<Tokenizer> load_tokenizer_json(const std::string& path) {
  return BpeTokenizer::from_file(path);
}

}  // namespace rlvr::models
