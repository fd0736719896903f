// Text-format parsing shared by experiment and sweep configs.
#include "core/text_proto.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>

#include <algorithm>
#include <regex>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr {
namespace {

namespace pb = google::protobuf;

// "did you mean 'x'?" for the parser's unknown-field message, empty if nothing is close.
std::string unknown_field_hint(const std::string& message) {
  static const std::regex pattern(R"re(Message type "([\w.]+)" has no field named "(\w+)")re");
  std::smatch m;
  if (!std::regex_search(message, m, pattern)) return "";
  const pb::Descriptor* type = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(m[1]);
  if (type == nullptr) return "";
  std::vector<std::string> names;
  for (int i = 0; i < type->field_count(); ++i) names.push_back(type->field(i)->name());
  const std::string best = closest_match(m[2], names);
  if (best.empty()) return " (fields: " + join(names, ", ") + ")";
  return " (did you mean '" + best + "'?)";
}

class CollectErrors : public pb::io::ErrorCollector {
 public:
  CollectErrors(std::string file, const std::string& text) : file_(std::move(file)), text_(text) {}
  void AddError(int line, int column, const std::string& message) override {
    locate_enum_value(message, line, column);
    errors_.push_back(file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) +
                      ": " + message + unknown_field_hint(message));
  }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  // The parser reports a bad enum value at the token after it (often the next
  // line); point at the value itself: its last occurrence before that position.
  void locate_enum_value(const std::string& message, int& line, int& column) const {
    static const std::regex pattern(R"re(Unknown enumeration value of "(\w+)")re");
    std::smatch m;
    if (!std::regex_search(message, m, pattern)) return;
    size_t offset = 0;
    for (int l = 0; l < line && offset != std::string::npos; ++l) {
      offset = text_.find('\n', offset);
      if (offset != std::string::npos) ++offset;
    }
    if (offset == std::string::npos) return;
    const size_t found = text_.rfind(m[1].str(), offset + column);
    if (found == std::string::npos) return;
    const size_t line_start = text_.rfind('\n', found);
    line = static_cast<int>(std::count(text_.begin(), text_.begin() + found, '\n'));
    column = static_cast<int>(found - (line_start == std::string::npos ? 0 : line_start + 1));
  }

  std::string file_;
  const std::string& text_;
  std::vector<std::string> errors_;
};

}  // namespace

void parse_text_proto(const std::string& text, const std::string& source_name, pb::Message& message,
                      pb::TextFormat::ParseInfoTree* tree) {
  CollectErrors errors(source_name, text);
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  if (!parser.ParseFromString(text, &message)) {
    throw ConfigError("invalid config:\n  " + join(errors.errors(), "\n  "));
  }
}

}  // namespace rlvr
