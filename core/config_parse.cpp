// Text-format parsing with locations, command-line overrides and defaults.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "core/config.h"
#include "core/config_internal.h"
#include "core/error.h"
#include "core/text_proto.h"
#include "core/text_util.h"

namespace rlvr::config {
namespace {

namespace pb = google::protobuf;

// Records "file:line:col" of every field written in the file.
void record_locations(const pb::Message& message, const pb::TextFormat::ParseInfoTree* tree,
                      const std::string& prefix, const std::string& file, SourceMap& sources) {
  std::vector<const pb::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  const pb::Reflection* r = message.GetReflection();
  for (const pb::FieldDescriptor* field : fields) {
    const std::string path = prefix + field->name();
    const auto note = [&](const std::string& at, int index) {
      const auto loc = tree->GetLocation(field, index);
      if (loc.line >= 0) {
        sources.set(at, file + ":" + std::to_string(loc.line + 1) + ":" + std::to_string(loc.column + 1));
      }
    };
    const bool is_message = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
    if (!field->is_repeated()) {
      note(path, -1);
      const pb::TextFormat::ParseInfoTree* nested = is_message ? tree->GetTreeForNested(field, -1) : nullptr;
      if (nested != nullptr) record_locations(r->GetMessage(message, field), nested, path + ".", file, sources);
      continue;
    }
    // A repeated field is located by its first element; each element as "path[i]".
    note(path, 0);
    for (int i = 0; i < r->FieldSize(message, field); ++i) {
      const std::string element = path + "[" + std::to_string(i) + "]";
      note(element, i);
      const pb::TextFormat::ParseInfoTree* nested = is_message ? tree->GetTreeForNested(field, i) : nullptr;
      if (nested != nullptr) {
        record_locations(r->GetRepeatedMessage(message, field, i), nested, element + ".", file, sources);
      }
    }
  }
}

// One part of an override's path: a field name and, for an element of a
// repeated field, its index ("component[1]"); index -1 where none is given.
struct PathPart {
  std::string name;
  int index = -1;
};

// Splits "name" or "name[N]"; false where the brackets hold no index.
bool parse_path_part(const std::string& text, PathPart& part) {
  const auto open = text.find('[');
  part.name = text.substr(0, open);
  if (open == std::string::npos) return true;
  const std::string digits = text.substr(open + 1, text.size() - open - 2);
  if (text.back() != ']' || digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  part.index = std::stoi(digits);
  return true;
}

// Replaces a whole repeated field with `value`, a text-format list ("[1, 4]",
// "[{ ... }, { ... }]") or one element.
std::string replace_repeated(pb::Message& message, const pb::FieldDescriptor* field, const std::string& value,
                             const std::string& where) {
  std::unique_ptr<pb::Message> parsed(message.New());
  try {
    parse_text_proto(field->name() + ": " + value, where, *parsed, nullptr);
  } catch (const ConfigError& e) {
    return e.what();
  }
  message.GetReflection()->SwapFields(&message, parsed.get(), {field});
  return "";
}

// A field value given on the command line either parses or gets our own
// message naming the override; protobuf's log line would only repeat it.
class IgnoreErrors : public pb::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

bool parse_field_value(const std::string& value, const pb::FieldDescriptor* field, pb::Message& message) {
  IgnoreErrors ignore;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&ignore);
  return parser.ParseFieldValueFromString(value, field, &message);
}

// Sets element `index` of a repeated scalar field (index == size appends).
bool set_repeated_scalar(pb::Message& message, const pb::FieldDescriptor* field, int index,
                         const std::string& value) {
  const pb::Reflection* r = message.GetReflection();
  // Parsing a repeated field's value appends it; swapped into place, the old
  // element is then the last and is dropped.
  if (!parse_field_value(value, field, message)) return false;
  const int appended = r->FieldSize(message, field) - 1;
  if (index < appended) {
    r->SwapElements(&message, field, index, appended);
    r->RemoveLast(&message, field);
  }
  return true;
}

// Applies "a.b.c=value" to `config`; returns an error message or "". An element
// of a repeated field is named by its index ("env.mixture.component[1].weight",
// "verifier.math.extraction_priority[0]"; the index one past the end appends
// one); a repeated field named whole takes a text-format list
// ("verifier.math.extraction_priority=[BOXED, ANSWER_TAG]").
std::string apply_override(const std::string& assignment, ExperimentConfig& config,
                           SourceMap& sources) {
  const std::string where = "--set " + assignment;
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    return where + ": expected FIELD.PATH=VALUE, e.g. --set rl.group_size=16";
  }
  const std::string path = trim(assignment.substr(0, eq));
  std::string value = trim(assignment.substr(eq + 1));
  pb::Message* message = &config;
  const std::vector<std::string> parts = split(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    PathPart part;
    if (!parse_path_part(parts[i], part)) {
      return where + ": '" + parts[i] + "': an element of a repeated field is written NAME[INDEX], e.g. component[0]";
    }
    const pb::Descriptor* type = message->GetDescriptor();
    const pb::FieldDescriptor* field = type->FindFieldByName(part.name);
    if (field == nullptr) {
      std::vector<std::string> names;
      for (int f = 0; f < type->field_count(); ++f) names.push_back(type->field(f)->name());
      const std::string best = closest_match(part.name, names);
      return where + ": " + type->name() + " has no field '" + part.name + "'" +
             (best.empty() ? " (fields: " + join(names, ", ") + ")"
                           : " (did you mean '" + best + "'?)");
    }
    const bool last = i + 1 == parts.size();
    const bool is_message = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
    const pb::Reflection* r = message->GetReflection();
    if (part.index >= 0 && !field->is_repeated()) {
      return where + ": '" + part.name + "' is not a repeated field; drop the index";
    }
    if (field->is_repeated() && part.index < 0) {
      if (!last) return where + ": '" + part.name + "' is repeated; name an element, e.g. " + part.name + "[0]";
      const std::string problem = replace_repeated(*message, field, value, where);
      if (!problem.empty()) return problem;
      sources.set(path, where);
      return "";
    }
    const int size = field->is_repeated() ? r->FieldSize(*message, field) : 0;
    if (part.index > size) {
      return where + ": '" + part.name + "' has " + std::to_string(size) + " element(s); the index is 0.." +
             std::to_string(size) + " (" + std::to_string(size) + " appends one)";
    }
    if (is_message) {
      if (last) return where + ": '" + path + "' is a message; set one of its fields";
      if (!field->is_repeated()) {
        message = r->MutableMessage(message, field);
      } else if (part.index == size) {
        message = r->AddMessage(message, field);
      } else {
        message = r->MutableRepeatedMessage(message, field, part.index);
      }
      continue;
    }
    if (!last) return where + ": '" + parts[i] + "' is not a message";
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING &&
        (value.size() < 2 || value.front() != '"' || value.back() != '"')) {
      value = quote(value);
    }
    const bool parsed = field->is_repeated() ? set_repeated_scalar(*message, field, part.index, value)
                                             : parse_field_value(value, field, *message);
    if (!parsed) {
      return where + ": cannot parse '" + value + "' as " + field->type_name() + " for '" + path + "'";
    }
    sources.set(path, where);
  }
  return "";
}

}  // namespace

void SourceMap::set(const std::string& field_path, std::string where) {
  where_[field_path] = std::move(where);
}

std::string SourceMap::where(const std::string& field_path) const {
  const auto it = where_.find(field_path);
  return it != where_.end() ? it->second : file_ + " (default)";
}

LoadedConfig parse(const std::string& text, const std::string& source_name,
                   const std::vector<std::string>& overrides) {
  LoadedConfig loaded{ExperimentConfig(), SourceMap(source_name)};
  pb::TextFormat::ParseInfoTree tree;
  parse_text_proto(text, source_name, loaded.config, &tree);
  record_locations(loaded.config, &tree, "", source_name, loaded.sources);
  std::vector<std::string> problems;
  for (const std::string& assignment : overrides) {
    const std::string problem = apply_override(assignment, loaded.config, loaded.sources);
    if (!problem.empty()) problems.push_back(problem);
  }
  if (problems.empty()) problems = validate(loaded);
  if (!problems.empty()) throw ConfigError("invalid config:\n  " + join(problems, "\n  "));
  fill_defaults(loaded.config);
  return loaded;
}

LoadedConfig load(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) {
    throw ConfigError("cannot read config file '" + path +
                      "': no such file or not readable (configs/ holds ready-made ones)");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path, overrides);
}

std::string to_text(const ExperimentConfig& config) {
  std::string out;
  pb::TextFormat::Printer printer;
  printer.PrintToString(config, &out);
  return out;
}

void fail(const LoadedConfig& loaded, const std::string& field_path, const std::string& message) {
  throw ConfigError("invalid config:\n  " + loaded.sources.where(field_path) + ": " + field_path +
                    ": " + message);
}

std::optional<std::pair<std::string, std::string>> split_located(const std::string& message) {
  const size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  const std::string path = message.substr(0, colon);
  const bool is_path = path.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789.[]") == std::string::npos &&
                       path.find('.') != std::string::npos;
  if (!is_path) return std::nullopt;
  return std::make_pair(path, message.substr(colon + 2));
}

void fail_located(const LoadedConfig& loaded, const std::string& fallback_field, const std::string& message) {
  if (const auto located = split_located(message)) fail(loaded, located->first, located->second);
  fail(loaded, fallback_field, message);
}

}  // namespace rlvr::config
