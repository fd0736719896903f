#include "scaling/tensorboard_sink.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "scaling/crc32c.h"
#include "tensorboard.pb.h"

namespace rlvr::scaling {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// TFRecord framing: length (uint64 LE), masked CRC of the length bytes, the
// data, masked CRC of the data.
std::string frame(const std::string& data) {
  const uint64_t length = data.size();
  char header[8];
  std::memcpy(header, &length, sizeof length);  // x86 and ARM Linux are little-endian
  const std::string_view length_bytes(header, sizeof header);
  const uint32_t length_crc = masked_crc32c(length_bytes);
  const uint32_t data_crc = masked_crc32c(data);
  std::string record(length_bytes);
  record.append(reinterpret_cast<const char*>(&length_crc), sizeof length_crc);
  record += data;
  record.append(reinterpret_cast<const char*>(&data_crc), sizeof data_crc);
  return record;
}

class TensorBoardSink : public MetricsSink {
 public:
  explicit TensorBoardSink(const std::string& dir) {
    std::filesystem::create_directories(dir);
    char host[256] = "localhost";
    ::gethostname(host, sizeof host - 1);
    path_ = (std::filesystem::path(dir) /
             ("events.out.tfevents." + std::to_string(static_cast<int64_t>(now_seconds())) + "." +
              host + "." + std::to_string(::getpid())))
                .string();
    out_.open(path_, std::ios::binary | std::ios::app);
    if (!out_) throw Error("cannot open TensorBoard event file '" + path_ + "' for writing");
    tensorboard::Event first;
    first.set_wall_time(now_seconds());
    first.set_file_version("brain.Event:2");
    append(first);
  }

  void write(const MetricsRecord& record) override {
    double flops = -1;
    for (const auto& [name, value] : record.values) {
      if (name == "flops/total") flops = value;
    }
    tensorboard::Event by_step;
    by_step.set_wall_time(now_seconds());
    by_step.set_step(record.step);
    tensorboard::Event by_flops = by_step;
    by_flops.set_step(static_cast<int64_t>(flops));
    for (const auto& [name, value] : record.values) {
      auto* v = by_step.mutable_summary()->add_value();
      v->set_tag(record.kind + "/" + name);
      v->set_simple_value(static_cast<float>(value));
      if (flops >= 0) {
        auto* f = by_flops.mutable_summary()->add_value();
        f->set_tag(record.kind + "_by_flops/" + name);
        f->set_simple_value(static_cast<float>(value));
      }
    }
    append(by_step);
    if (flops >= 0) append(by_flops);
    out_.flush();
  }

  void flush() override { out_.flush(); }

 private:
  void append(const tensorboard::Event& event) { out_ << frame(event.SerializeAsString()); }

  std::string path_;
  std::ofstream out_;
};

class TeeSink : public MetricsSink {
 public:
  explicit TeeSink(std::vector<std::unique_ptr<MetricsSink>> sinks) : sinks_(std::move(sinks)) {}
  void write(const MetricsRecord& record) override {
    for (auto& s : sinks_) s->write(record);
  }
  void flush() override {
    for (auto& s : sinks_) s->flush();
  }

 private:
  std::vector<std::unique_ptr<MetricsSink>> sinks_;
};

}  // namespace

std::unique_ptr<MetricsSink> make_tensorboard_sink(const std::string& dir) {
  return std::make_unique<TensorBoardSink>(dir);
}

std::unique_ptr<MetricsSink> make_tee_sink(std::vector<std::unique_ptr<MetricsSink>> sinks) {
  return std::make_unique<TeeSink>(std::move(sinks));
}

}  // namespace rlvr::scaling
