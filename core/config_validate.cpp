// Range checks driven by the (min)/(max)/(gt)/(existing_file) field annotations,
// plus the few checks that relate two fields.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <filesystem>
#include <sstream>

#include "core/config_internal.h"
#include "core/text_util.h"
#include "options.pb.h"

namespace rlvr::config {
namespace {

namespace pb = google::protobuf;

double numeric_value(const pb::Message& message, const pb::FieldDescriptor* field) {
  const pb::Reflection* r = message.GetReflection();
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32: return r->GetInt32(message, field);
    case pb::FieldDescriptor::CPPTYPE_INT64: return static_cast<double>(r->GetInt64(message, field));
    case pb::FieldDescriptor::CPPTYPE_UINT32: return r->GetUInt32(message, field);
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(r->GetUInt64(message, field));
    case pb::FieldDescriptor::CPPTYPE_FLOAT: return r->GetFloat(message, field);
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: return r->GetDouble(message, field);
    default: return 0;
  }
}

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

class Checker {
 public:
  explicit Checker(const LoadedConfig& loaded) : loaded_(loaded) {}

  void require(bool ok, const std::string& path, const std::string& message) {
    if (!ok) problems_.push_back(loaded_.sources.where(path) + ": " + path + ": " + message);
  }

  // Applies the annotations of every field, recursing into sub-messages (unset
  // ones too, so defaults are checked against cross-field rules the same way).
  void check_annotations(pb::Message& message, const std::string& prefix) {
    const pb::Descriptor* type = message.GetDescriptor();
    const pb::Reflection* r = message.GetReflection();
    for (int i = 0; i < type->field_count(); ++i) {
      const pb::FieldDescriptor* field = type->field(i);
      const std::string path = prefix + field->name();
      if (field->is_repeated()) continue;
      if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (r->HasField(message, field)) {
          check_annotations(*r->MutableMessage(&message, field), path + ".");
        }
        continue;
      }
      const pb::FieldOptions& options = field->options();
      if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
        check_file(message, field, path);
        continue;
      }
      const double value = numeric_value(message, field);
      const std::string got = ", got " + format_number(value);
      if (options.HasExtension(min)) {
        require(value >= options.GetExtension(min), path,
                "must be >= " + format_number(options.GetExtension(min)) + got);
      }
      if (options.HasExtension(max)) {
        require(value <= options.GetExtension(max), path,
                "must be <= " + format_number(options.GetExtension(max)) + got);
      }
      if (options.HasExtension(gt)) {
        require(value > options.GetExtension(gt), path,
                "must be > " + format_number(options.GetExtension(gt)) + got);
      }
    }
  }

  std::vector<std::string> problems() const { return problems_; }

 private:
  // A path that must exist is made absolute so the resolved config stays valid
  // when a run is resumed from another directory.
  void check_file(pb::Message& message, const pb::FieldDescriptor* field, const std::string& path) {
    if (!field->options().GetExtension(existing_file)) return;
    const pb::Reflection* r = message.GetReflection();
    const std::string file = r->GetString(message, field);
    if (file.empty()) return;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      require(false, path, "file '" + file + "' does not exist (paths are relative to the "
                           "directory rlvr runs in)");
      return;
    }
    r->SetString(&message, field, std::filesystem::absolute(file).lexically_normal().string());
  }

  const LoadedConfig& loaded_;
  std::vector<std::string> problems_;
};

void check_relations(const ExperimentConfig& c, Checker& check) {
  const ModelConfig& m = c.model();
  check.require(m.d_model() % m.n_heads() == 0, "model.n_heads",
                "must divide model.d_model (" + std::to_string(m.d_model()) + ")");
  if (m.d_model() % m.n_heads() == 0) {
    check.require((m.d_model() / m.n_heads()) % 2 == 0, "model.n_heads",
                  "head size d_model/n_heads must be even for rotary embeddings");
  }
  if (m.n_kv_heads() > 0) {
    check.require(m.n_heads() % m.n_kv_heads() == 0, "model.n_kv_heads",
                  "must divide model.n_heads (" + std::to_string(m.n_heads()) + ")");
  }
  check.require(m.tokenizer() == "char", "model.tokenizer", "unknown tokenizer '" +
                                                                m.tokenizer() + "' (known: char)");
  const std::string& ops = c.env().arithmetic().operators();
  check.require(!ops.empty() && ops.find_first_not_of("+-*") == std::string::npos,
                "env.arithmetic.operators", "must be a non-empty subset of \"+-*\", got \"" +
                                                ops + "\"");
  if (c.env().name() == "jsonl") {
    check.require(!c.env().jsonl().train_path().empty(), "env.jsonl.train_path",
                  "is required for env 'jsonl'");
    check.require(!c.env().jsonl().eval_path().empty(), "env.jsonl.eval_path",
                  "is required for env 'jsonl'");
  }
}

}  // namespace

std::vector<std::string> validate(LoadedConfig& loaded) {
  Checker check(loaded);
  check.check_annotations(loaded.config, "");
  check_relations(loaded.config, check);
  return check.problems();
}

void fill_defaults(pb::Message& message) {
  const pb::Descriptor* type = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* f = type->field(i);
    if (f->is_repeated()) continue;
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      fill_defaults(*r->MutableMessage(&message, f));
      continue;
    }
    if (r->HasField(message, f)) continue;
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32: r->SetInt32(&message, f, f->default_value_int32()); break;
      case pb::FieldDescriptor::CPPTYPE_INT64: r->SetInt64(&message, f, f->default_value_int64()); break;
      case pb::FieldDescriptor::CPPTYPE_UINT32: r->SetUInt32(&message, f, f->default_value_uint32()); break;
      case pb::FieldDescriptor::CPPTYPE_UINT64: r->SetUInt64(&message, f, f->default_value_uint64()); break;
      case pb::FieldDescriptor::CPPTYPE_FLOAT: r->SetFloat(&message, f, f->default_value_float()); break;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE: r->SetDouble(&message, f, f->default_value_double()); break;
      case pb::FieldDescriptor::CPPTYPE_BOOL: r->SetBool(&message, f, f->default_value_bool()); break;
      case pb::FieldDescriptor::CPPTYPE_ENUM: r->SetEnum(&message, f, f->default_value_enum()); break;
      case pb::FieldDescriptor::CPPTYPE_STRING: r->SetString(&message, f, f->default_value_string()); break;
      default: break;
    }
  }
}

}  // namespace rlvr::config
