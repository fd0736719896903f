#include "sweep/sweep_plan.h"

#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.h"
#include "core/files.h"
#include "core/rng.h"
#include "core/text_proto.h"
#include "core/text_util.h"

namespace rlvr::sweep {
namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

// One override with where the sweep file wrote it.
struct Setting {
  std::string field;
  std::string value;
  std::string where;  // "file:line:col (grid[0].values[1])"
  std::string assignment() const { return field + "=" + value; }
};
using Combination = std::vector<Setting>;

std::string location(const std::string& file, const pb::TextFormat::ParseInfoTree* tree,
                     const pb::Message& message, const char* field_name, int index) {
  const pb::FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(field_name);
  const auto loc = tree != nullptr ? tree->GetLocation(field, index) : pb::TextFormat::ParseLocation();
  if (loc.line < 0) return file;
  return file + ":" + std::to_string(loc.line + 1) + ":" + std::to_string(loc.column + 1);
}

const pb::TextFormat::ParseInfoTree* nested(const pb::TextFormat::ParseInfoTree* tree, const pb::Message& message,
                                            const char* field_name, int index) {
  if (tree == nullptr) return nullptr;
  return tree->GetTreeForNested(message.GetDescriptor()->FindFieldByName(field_name), index);
}

class Expander {
 public:
  Expander(std::string file, const config::SweepConfig& config, const pb::TextFormat::ParseInfoTree* tree)
      : file_(std::move(file)), config_(config), tree_(tree) {}

  // Every combination of the sweep's dimensions, seeds last.
  std::vector<Combination> combinations() {
    std::vector<std::vector<Combination>> dimensions;
    for (int i = 0; i < config_.grid_size(); ++i) {
      dimensions.push_back(listed_axis(config_.grid(i), nested(tree_, config_, "grid", i),
                                       "grid[" + std::to_string(i) + "]"));
    }
    for (int i = 0; i < config_.zip_size(); ++i) dimensions.push_back(zipped(i));
    if (config_.has_random()) dimensions.push_back(random_samples());
    if (config_.seeds_size() > 0) {
      std::vector<Combination> seeds;
      for (int i = 0; i < config_.seeds_size(); ++i) {
        seeds.push_back({{"runtime.seed", std::to_string(config_.seeds(i)),
                          location(file_, tree_, config_, "seeds", i) + " (seeds[" + std::to_string(i) + "])"}});
      }
      dimensions.push_back(seeds);
    }
    std::vector<Combination> product = {{}};
    for (const auto& dimension : dimensions) {
      std::vector<Combination> next;
      for (const Combination& prefix : product) {
        for (const Combination& choice : dimension) {
          Combination joined = prefix;
          joined.insert(joined.end(), choice.begin(), choice.end());
          next.push_back(std::move(joined));
        }
      }
      product = std::move(next);
    }
    return product;
  }

 private:
  // Where a value was written: the parser records no location for the
  // elements of a [list] after the first, so fall back to the list, then to
  // the axis's field.
  std::string where(const pb::TextFormat::ParseInfoTree* tree, const pb::Message& axis, const char* field,
                    int index, const std::string& label) const {
    for (const auto& [name, i] : {std::pair<const char*, int>{field, index}, {field, 0}, {"field", -1}}) {
      const std::string at = location(file_, tree, axis, name, i);
      if (at != file_) return at + " (" + label + ")";
    }
    return file_ + " (" + label + ")";
  }

  void require_field(const config::SweepAxis& axis, const pb::TextFormat::ParseInfoTree* tree,
                     const std::string& label) const {
    if (trim(axis.field()).empty()) {
      throw ConfigError("invalid sweep:\n  " + where(tree, axis, "field", -1, label) +
                        ": the axis has no field (e.g. field: \"rl.group_size\")");
    }
  }

  std::vector<Combination> listed_axis(const config::SweepAxis& axis, const pb::TextFormat::ParseInfoTree* tree,
                                       const std::string& label) const {
    require_field(axis, tree, label);
    if (axis.values_size() == 0) {
      throw ConfigError("invalid sweep:\n  " + where(tree, axis, "field", -1, label) + ": " + label + " (" +
                        axis.field() + "): empty axis: list its values, e.g. values: [\"16\", \"32\"]");
    }
    std::vector<Combination> out;
    for (int v = 0; v < axis.values_size(); ++v) {
      out.push_back({{trim(axis.field()), trim(axis.values(v)),
                      where(tree, axis, "values", v, label + ".values[" + std::to_string(v) + "]")}});
    }
    return out;
  }

  std::vector<Combination> zipped(int group_index) const {
    const config::ZippedAxes& group = config_.zip(group_index);
    const auto* group_tree = nested(tree_, config_, "zip", group_index);
    const std::string label = "zip[" + std::to_string(group_index) + "]";
    if (group.axes_size() == 0) {
      throw ConfigError("invalid sweep:\n  " + location(file_, tree_, config_, "zip", group_index) + ": " + label +
                        " has no axes");
    }
    std::vector<Combination> out;
    for (int a = 0; a < group.axes_size(); ++a) {
      const std::string axis_label = label + ".axes[" + std::to_string(a) + "]";
      const auto values = listed_axis(group.axes(a), nested(group_tree, group, "axes", a), axis_label);
      if (a > 0 && values.size() != out.size()) {
        throw ConfigError("invalid sweep:\n  " + location(file_, group_tree, group, "axes", a) + ": " + axis_label +
                          " (" + group.axes(a).field() + ") has " + std::to_string(values.size()) +
                          " values but the axes zipped with it have " + std::to_string(out.size()));
      }
      if (a == 0) out.resize(values.size());
      for (size_t i = 0; i < values.size(); ++i) out[i].push_back(values[i].front());
    }
    return out;
  }

  std::vector<Combination> random_samples() const {
    const config::RandomSearch& random = config_.random();
    const auto* random_tree = nested(tree_, config_, "random", -1);
    if (random.samples() <= 0 || random.axes_size() == 0) {
      throw ConfigError("invalid sweep:\n  " + location(file_, tree_, config_, "random", -1) +
                        ": random needs samples > 0 and at least one axis");
    }
    Rng rng(derive_seed(random.seed(), fnv1a("sweep/random")));
    std::vector<Combination> out(static_cast<size_t>(random.samples()));
    for (int a = 0; a < random.axes_size(); ++a) {
      const config::SweepAxis& axis = random.axes(a);
      const auto* axis_tree = nested(random_tree, random, "axes", a);
      const std::string label = "random.axes[" + std::to_string(a) + "]";
      require_field(axis, axis_tree, label);
      const bool ordered = axis.has_min() && axis.has_max() && axis.min() < axis.max();
      if (!ordered || (axis.log() && axis.min() <= 0)) {
        throw ConfigError("invalid sweep:\n  " + where(axis_tree, axis, "field", -1, label) + ": " + label + " (" +
                          axis.field() + "): needs min < max" + (axis.log() ? ", both > 0 for log sampling" : ""));
      }
      for (size_t s = 0; s < out.size(); ++s) {
        const double u = uniform_unit(rng);
        double value = axis.log() ? std::exp(std::log(axis.min()) + u * (std::log(axis.max()) - std::log(axis.min())))
                                  : axis.min() + u * (axis.max() - axis.min());
        const std::string text = axis.integer() ? std::to_string(std::llround(value)) : fmt::format("{:.4g}", value);
        out[s].push_back({trim(axis.field()), text, where(axis_tree, axis, "field", -1, label)});
      }
    }
    return out;
  }

  std::string file_;
  const config::SweepConfig& config_;
  const pb::TextFormat::ParseInfoTree* tree_;
};

// A directory-safe name from the overrides: the last part of each field path
// (the whole path where two fields share it) and the value.
std::vector<std::string> point_names(const std::vector<Combination>& combinations) {
  std::map<std::string, std::set<std::string>> fields_by_short_name;
  for (const Combination& c : combinations) {
    for (const Setting& s : c) fields_by_short_name[s.field.substr(s.field.rfind('.') + 1)].insert(s.field);
  }
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const Combination& c : combinations) {
    std::vector<std::string> parts;
    for (const Setting& s : c) {
      const std::string short_name = s.field.substr(s.field.rfind('.') + 1);
      const std::string key = fields_by_short_name[short_name].size() > 1 ? s.field : short_name;
      std::string part = key + "-" + s.value;
      for (char& ch : part) {
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '+')) ch = '_';
      }
      parts.push_back(part);
    }
    std::string name = parts.empty() ? "base" : join(parts, "_");
    const int count = ++seen[name];
    if (count > 1) name += "-" + std::to_string(count);
    names.push_back(name);
  }
  return names;
}

std::vector<std::string> assignments(const config::SweepConfig& sweep, const Combination& combination) {
  std::vector<std::string> out(sweep.set().begin(), sweep.set().end());
  for (const Setting& s : combination) out.push_back(s.assignment());
  return out;
}

// analysis.compare_along must name a field the points vary: the summary
// groups them by its value.
void check_compare_along(const std::string& path, const config::SweepConfig& sweep,
                         const pb::TextFormat::ParseInfoTree* tree, const std::vector<Combination>& combinations) {
  const std::string& along = sweep.analysis().compare_along();
  if (along.empty()) return;
  std::set<std::string> varied;
  for (const Combination& c : combinations) {
    for (const Setting& s : c) varied.insert(s.field);
  }
  if (varied.count(along) > 0) return;
  throw ConfigError("invalid sweep:\n  " +
                    location(path, nested(tree, sweep, "analysis", -1), sweep.analysis(), "compare_along", -1) +
                    ": analysis.compare_along: '" + along + "' is not a field any axis varies (the axes vary: " +
                    (varied.empty() ? std::string("nothing") : join({varied.begin(), varied.end()}, ", ")) + ")");
}

// The first problem of a config error, without its "invalid config:" header.
std::string first_problem(const ConfigError& error) {
  std::string text = error.what();
  const size_t header = text.find(":\n  ");
  if (header != std::string::npos) text = text.substr(header + 4);
  return text;
}

}  // namespace

SweepPlan load_sweep(const std::string& path) {
  SweepPlan plan;
  plan.file = path;
  std::string text;
  try {
    text = read_file(path);
  } catch (const Error&) {
    throw ConfigError("cannot read sweep file '" + path + "' (configs/sweeps/ holds ready-made ones)");
  }
  pb::TextFormat::ParseInfoTree tree;
  parse_text_proto(text, path, plan.config, &tree);
  const config::SweepConfig& sweep = plan.config;
  if (trim(sweep.name()).empty() || sweep.name().find('/') != std::string::npos) {
    throw ConfigError("invalid sweep:\n  " + location(path, &tree, sweep, "name", -1) +
                      ": name must be set, without '/' (it names the output directory)");
  }
  if (sweep.base().empty()) {
    throw ConfigError("invalid sweep:\n  " + path + ": base is not set (the experiment config the points vary)");
  }
  plan.base_path = (fs::path(path).parent_path() / sweep.base()).lexically_normal().string();
  try {
    plan.base_text = read_file(plan.base_path);
  } catch (const Error&) {
    throw ConfigError("invalid sweep:\n  " + location(path, &tree, sweep, "base", -1) + ": base: cannot read '" +
                      plan.base_path + "' (relative to the sweep file's directory)");
  }
  if (sweep.workers() < 1) {
    throw ConfigError("invalid sweep:\n  " + location(path, &tree, sweep, "workers", -1) + ": workers must be >= 1");
  }
  plan.dir = fs::absolute(fs::path(sweep.output_dir()) / sweep.name()).lexically_normal().string();

  // Each value alone first, so that an error points at the line that wrote it.
  Expander expander(path, sweep, &tree);
  const std::vector<Combination> combinations = expander.combinations();
  std::set<std::string> checked;
  for (const Combination& c : combinations) {
    for (const Setting& s : c) {
      if (!checked.insert(s.assignment()).second) continue;
      try {
        config::parse(plan.base_text, plan.base_path, assignments(sweep, {s}));
      } catch (const ConfigError& e) {
        throw ConfigError("invalid sweep:\n  " + s.where + ": " + s.field + ": " + first_problem(e));
      }
    }
  }
  check_compare_along(path, sweep, &tree, combinations);
  const std::vector<std::string> names = point_names(combinations);
  for (size_t i = 0; i < combinations.size(); ++i) {
    SweepPoint point;
    point.index = i;
    point.name = names[i];
    for (const Setting& s : combinations[i]) point.overrides.push_back(s.assignment());
    point.run_dir = (fs::path(plan.dir) / "points" / point.name).string();
    plan.points.push_back(std::move(point));
  }
  for (const SweepPoint& point : plan.points) {
    try {
      point_config(plan, point);
    } catch (const ConfigError& e) {
      throw ConfigError("invalid sweep:\n  " + path + ": point " + std::to_string(point.index) + " (" + point.name +
                        "): " + first_problem(e));
    }
  }
  return plan;
}

config::LoadedConfig point_config(const SweepPlan& plan, const SweepPoint& point) {
  std::vector<std::string> overrides(plan.config.set().begin(), plan.config.set().end());
  overrides.insert(overrides.end(), point.overrides.begin(), point.overrides.end());
  overrides.push_back("output.run_dir=" + point.run_dir);
  return config::parse(plan.base_text, plan.base_path, overrides);
}

}  // namespace rlvr::sweep
