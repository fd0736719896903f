#include "scaling/sweep_points.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "scaling/fit_data.h"

namespace rlvr::scaling {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

json read_json(const std::string& path) {
  if (!fs::exists(path)) throw Error("cannot read '" + path + "': no such file");
  try {
    return json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
}

// The field `key` of `object` as T; `where` names the file and the object in errors.
template <typename T>
T field(const json& object, const std::string& key, const std::string& where) {
  if (!object.contains(key)) throw Error(where + ": missing field '" + key + "'");
  try {
    return object.at(key).get<T>();
  } catch (const json::exception&) {
    throw Error(where + ": field '" + key + "' has the wrong type: " + object.at(key).dump());
  }
}

template <typename T>
T field_or(const json& object, const std::string& key, const std::string& where, T fallback) {
  return object.contains(key) ? field<T>(object, key, where) : fallback;
}

void read_status(SweepPointResult& p) {
  const std::string path = (fs::path(p.run_dir) / "sweep_status.json").string();
  if (!fs::exists(path)) return;
  const json j = read_json(path);
  p.status = field<std::string>(j, "status", path);
  p.error = field_or<std::string>(j, "error", path, "");
  p.wall_seconds = field_or<double>(j, "wall_seconds", path, NAN);
  p.attempts = field_or<int>(j, "attempts", path, 0);
}

void read_train_summary(SweepPointResult& p) {
  const std::string path = (fs::path(p.run_dir) / "summary.json").string();
  const json j = read_json(path);
  p.parameters = field<int64_t>(j, "parameters", path);
  p.sft_steps = field<int64_t>(j, "sft_steps", path);
  p.rl_algorithm = field_or<std::string>(j, "rl_algorithm", path, "");
  const json phases = field<json>(j, "phases", path);
  for (const auto& [name, phase] : phases.items()) {
    const std::string where = path + ": phases." + name;
    p.accuracy[name] = field<double>(phase, "accuracy", where);
    if (phase.contains("harder_accuracy")) p.harder_accuracy[name] = field<double>(phase, "harder_accuracy", where);
    if (name == "sft" && phase.contains("heldout_loss")) p.sft_heldout_loss = field<double>(phase, "heldout_loss", where);
    p.training_flops += field<double>(phase, "flops", where);
  }
}

// summary.json keeps only the last SFT loss of the last process (a resumed run
// that skipped SFT has none); metrics.jsonl has every SFT step of the run.
void read_metrics(SweepPointResult& p) {
  const auto records = read_jsonl_metrics((fs::path(p.run_dir) / "metrics.jsonl").string());
  for (const auto& r : records) {
    if (r.kind == "sft") p.sft_final_loss = r.value_or("loss", NAN);
  }
  p.rl_eval = rl_eval_curve(records);
}

void read_test_time(SweepPointResult& p) {
  const std::string path = (fs::path(p.run_dir) / "test_time.csv").string();
  if (!fs::exists(path)) return;
  const Series pass = read_series(path, "k", "pass_at_k");
  const Series maj = read_series(path, "k", "maj_at_k");
  for (size_t i = 0; i < pass.xs.size(); ++i) {
    p.test_time.push_back({static_cast<int64_t>(pass.xs[i]), pass.ys[i], maj.ys[i]});
  }
  p.test_time_law = load_run_test_time(p.run_dir);
}

SweepPointResult load_point(const json& entry, const std::string& where) {
  SweepPointResult p;
  p.index = field<int>(entry, "index", where);
  p.name = field<std::string>(entry, "name", where);
  p.overrides = field<std::vector<std::string>>(entry, "overrides", where);
  p.run_dir = field<std::string>(entry, "run_dir", where);
  read_status(p);
  if (p.status != "done") return p;
  if (!fs::exists(fs::path(p.run_dir) / "summary.json")) {
    spdlog::warn("sweep point {} ({}) is marked done but {} has no summary.json; left out of the fits",
                 p.index, p.name, p.run_dir);
    return p;
  }
  read_train_summary(p);
  read_metrics(p);
  read_test_time(p);
  p.finished = true;
  return p;
}

}  // namespace

double pre_training_loss(const SweepPointResult& p) {
  return std::isfinite(p.sft_heldout_loss) ? p.sft_heldout_loss : p.sft_final_loss;
}

SweepResults load_sweep_results(const std::string& sweep_dir) {
  const std::string path = (fs::path(sweep_dir) / "sweep.json").string();
  const json j = read_json(path);
  SweepResults results;
  results.name = field<std::string>(j, "name", path);
  results.compare_along = field_or<std::string>(j, "compare_along", path, "");
  const json points = field<json>(j, "points", path);
  if (!points.is_array()) throw Error(path + ": field 'points' must be an array");
  for (size_t i = 0; i < points.size(); ++i) {
    results.points.push_back(load_point(points[i], path + ": points[" + std::to_string(i) + "]"));
  }
  return results;
}

}  // namespace rlvr::scaling
