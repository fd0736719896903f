// MetricsSink: where training and evaluation records go (JSONL file, console,
// TensorBoard). Records are flat name -> number maps tagged with a kind and a
// step, so new metrics need no schema change. Sinks are not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rlvr::scaling {

struct MetricsRecord {
  std::string kind;  // "sft", "eval", "rl", ...
  int64_t step = 0;
  std::vector<std::pair<std::string, double>> values;  // in insertion order

  MetricsRecord& add(std::string name, double value) {
    values.emplace_back(std::move(name), value);
    return *this;
  }
  // The value of `name`; throws rlvr::Error if absent.
  double get(const std::string& name) const;
  // The value of `name`, or `fallback` when absent (readers of records that
  // older or other kinds of runs write without it).
  double value_or(const std::string& name, double fallback) const;
};

class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  virtual void write(const MetricsRecord& record) = 0;
  virtual void flush() {}
};

// Appends one JSON object per record to `path`: {"kind":..,"step":..,<values>},
// flushed line by line.
std::unique_ptr<MetricsSink> make_jsonl_sink(const std::string& path);

// Reads a metrics.jsonl back (for reports and tests).
std::vector<MetricsRecord> read_jsonl_metrics(const std::string& path);

}  // namespace rlvr::scaling
