#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "scaling/metrics_sink.h"

namespace rlvr::scaling {
namespace {

class JsonlSink : public MetricsSink {
 public:
  explicit JsonlSink(const std::string& path) : path_(path), out_(path, std::ios::app) {
    if (!out_) throw Error("cannot open metrics file '" + path + "' for appending");
  }
  void write(const MetricsRecord& record) override {
    nlohmann::ordered_json line;
    line["kind"] = record.kind;
    line["step"] = record.step;
    for (const auto& [name, value] : record.values) {
      // JSON has no NaN/Inf; null keeps the key visible instead of breaking the file.
      line[name] = std::isfinite(value) ? nlohmann::ordered_json(value) : nullptr;
    }
    out_ << line.dump() << '\n';
    out_.flush();
  }

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace

double MetricsRecord::get(const std::string& name) const {
  for (const auto& [n, v] : values) {
    if (n == name) return v;
  }
  throw Error("metrics record '" + kind + "' at step " + std::to_string(step) + " has no '" +
              name + "'");
}

double MetricsRecord::value_or(const std::string& name, double fallback) const {
  for (const auto& [n, v] : values) {
    if (n == name) return v;
  }
  return fallback;
}

std::unique_ptr<MetricsSink> make_jsonl_sink(const std::string& path) {
  return std::make_unique<JsonlSink>(path);
}

std::vector<MetricsRecord> read_jsonl_metrics(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read metrics file '" + path + "'");
  std::vector<MetricsRecord> records;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object()) {
      throw Error(path + ":" + std::to_string(line_number) + ": not a JSON object");
    }
    MetricsRecord r;
    r.kind = json.value("kind", "");
    r.step = json.value("step", int64_t{0});
    for (const auto& [key, value] : json.items()) {
      if (key == "kind" || key == "step") continue;
      r.add(key, value.is_number() ? value.get<double>() : NAN);
    }
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace rlvr::scaling
