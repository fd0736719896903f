// Range checks driven by the (min)/(max)/(gt)/(existing_file) field annotations,
// plus the few checks that relate two fields.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <filesystem>
#include <set>
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
      if (field->is_repeated()) {
        if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
        for (int k = 0; k < r->FieldSize(message, field); ++k) {
          check_annotations(*r->MutableRepeatedMessage(&message, field, k),
                            path + "[" + std::to_string(k) + "].");
        }
        continue;
      }
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
    const bool want_file = field->options().GetExtension(existing_file);
    const bool want_dir = field->options().GetExtension(existing_dir);
    if (!want_file && !want_dir) return;
    const pb::Reflection* r = message.GetReflection();
    const std::string file = r->GetString(message, field);
    if (file.empty()) return;
    std::error_code ec;
    const bool exists = want_file ? std::filesystem::is_regular_file(file, ec)
                                  : std::filesystem::is_directory(file, ec);
    if (!exists) {
      require(false, path, std::string(want_file ? "file '" : "directory '") + file +
                               "' does not exist (paths are relative to the directory rlvr runs in)");
      return;
    }
    r->SetString(&message, field, std::filesystem::absolute(file).lexically_normal().string());
  }

  const LoadedConfig& loaded_;
  std::vector<std::string> problems_;
};

// A field holds something other than its declared default. (Defaults are
// filled in when a config is loaded, so presence says nothing.)
bool differs_from_default(const pb::Message& m, const pb::FieldDescriptor* f) {
  const pb::Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32: return r->GetInt32(m, f) != f->default_value_int32();
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: return r->GetDouble(m, f) != f->default_value_double();
    case pb::FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(m, f) != f->default_value_bool();
    case pb::FieldDescriptor::CPPTYPE_STRING: return r->GetString(m, f) != f->default_value_string();
    default: return false;
  }
}

// Shape fields describe a fresh model; with hf_path the checkpoint's
// config.json does, so a value set there too would be silently ignored.
void check_hf_model(const ModelConfig& m, Checker& check) {
  for (const char* name : {"d_model", "n_layers", "n_heads", "n_kv_heads", "d_ff", "head_dim",
                           "rope_theta", "norm_eps", "tie_embeddings", "attention_bias", "qk_norm",
                           "tokenizer", "init_std"}) {
    check.require(!differs_from_default(m, m.GetDescriptor()->FindFieldByName(name)),
                  std::string("model.") + name,
                  "is decided by the checkpoint's config.json when model.hf_path is set; remove it");
  }
  const std::filesystem::path dir(m.hf_path());
  if (std::filesystem::is_directory(dir)) {
    check.require(std::filesystem::is_regular_file(dir / "config.json"), "model.hf_path",
                  "'" + m.hf_path() + "' is not a Hugging Face checkpoint directory (no config.json)");
  }
}

void check_model(const ModelConfig& m, Checker& check) {
  static const std::set<std::string> kTemplates = {"auto", "none", "chatml", "llama3"};
  check.require(kTemplates.count(m.chat_template()) > 0, "model.chat_template",
                "unknown template '" + m.chat_template() + "' (known: auto, none, chatml, llama3)");
  if (!m.hf_path().empty()) {
    check_hf_model(m, check);
    return;
  }
  const int64_t head_dim = m.head_dim() > 0 ? m.head_dim() : m.d_model() / m.n_heads();
  if (m.head_dim() == 0) {
    check.require(m.d_model() % m.n_heads() == 0, "model.n_heads",
                  "must divide model.d_model (" + std::to_string(m.d_model()) + ") unless "
                  "model.head_dim is set");
  }
  check.require(head_dim % 2 == 0, m.head_dim() > 0 ? "model.head_dim" : "model.n_heads",
                "head size (" + std::to_string(head_dim) + ") must be even for rotary embeddings");
  if (m.n_kv_heads() > 0) {
    check.require(m.n_heads() % m.n_kv_heads() == 0, "model.n_kv_heads",
                  "must divide model.n_heads (" + std::to_string(m.n_heads()) + ")");
  }
  const bool json_path = m.tokenizer().size() > 5 &&
                         m.tokenizer().compare(m.tokenizer().size() - 5, 5, ".json") == 0;
  check.require(m.tokenizer() == "char" || json_path, "model.tokenizer",
                "unknown tokenizer '" + m.tokenizer() + "' (\"char\" or the path of a tokenizer.json)");
  if (json_path) {
    check.require(std::filesystem::is_regular_file(m.tokenizer()), "model.tokenizer",
                  "file '" + m.tokenizer() + "' does not exist");
  }
  check.require(m.tokenizer() != "char" || m.chat_template() == "auto" || m.chat_template() == "none",
                "model.chat_template", "needs a BPE tokenizer with the template's special tokens "
                                       "(model.tokenizer or model.hf_path)");
}

void check_relations(const ExperimentConfig& c, Checker& check) {
  check_model(c.model(), check);
  check.require(c.rl().min_new_tokens() <= c.rl().max_new_tokens(), "rl.min_new_tokens",
                "must be at most rl.max_new_tokens (" + std::to_string(c.rl().max_new_tokens()) + ")");
  const std::string& ops = c.env().arithmetic().operators();
  check.require(!ops.empty() && ops.find_first_not_of("+-*") == std::string::npos,
                "env.arithmetic.operators", "must be a non-empty subset of \"+-*\", got \"" +
                                                ops + "\"");
  check.require(c.rl().overlong_buffer() <= c.rl().max_new_tokens(), "rl.overlong_buffer",
                "must be at most rl.max_new_tokens (" + std::to_string(c.rl().max_new_tokens()) + ")");
  if (c.env().has_curriculum()) {
    const auto& curriculum = c.env().curriculum();
    check.require(curriculum.demote_at() < curriculum.promote_at(), "env.curriculum.demote_at",
                  "must be below env.curriculum.promote_at (" + format_number(curriculum.promote_at()) + ")");
    check.require(curriculum.start_level() <= c.env().level(), "env.curriculum.start_level",
                  "must be at most env.level (" + std::to_string(c.env().level()) +
                      "), the level the curriculum climbs to; set env.level to the target level");
  }
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
    if (f->is_repeated()) {
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
      for (int k = 0; k < r->FieldSize(message, f); ++k) fill_defaults(*r->MutableRepeatedMessage(&message, f, k));
      continue;
    }
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->options().GetExtension(overlay)) continue;
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
