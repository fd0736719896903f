#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "core/files.h"
#include "scaling/crc32c.h"
#include "scaling/tensorboard_sink.h"
#include "tensorboard.pb.h"

namespace rlvr::scaling {
namespace {

namespace fs = std::filesystem;

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);  // the standard check value
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
}

// Splits a TFRecord file into its records, checking both CRCs of each.
std::vector<std::string> read_records(const std::string& bytes) {
  std::vector<std::string> records;
  size_t at = 0;
  while (at < bytes.size()) {
    EXPECT_GE(bytes.size() - at, 16u);
    uint64_t length = 0;
    std::memcpy(&length, bytes.data() + at, 8);
    uint32_t length_crc = 0, data_crc = 0;
    std::memcpy(&length_crc, bytes.data() + at + 8, 4);
    EXPECT_EQ(length_crc, masked_crc32c(std::string_view(bytes.data() + at, 8)));
    const std::string data = bytes.substr(at + 12, length);
    std::memcpy(&data_crc, bytes.data() + at + 12 + length, 4);
    EXPECT_EQ(data_crc, masked_crc32c(data));
    records.push_back(data);
    at += 16 + length;
  }
  return records;
}

TEST(TensorBoardSink, WritesFramedScalarEventsByStepAndByFlops) {
  const fs::path dir = fs::temp_directory_path() / ("rlvr_tb_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    auto sink = make_tensorboard_sink(dir.string());
    MetricsRecord r{"rl", 7, {}};
    r.add("reward/mean", 0.25).add("flops/total", 3e12);
    sink->write(r);
  }
  const std::vector<fs::path> files{fs::directory_iterator(dir), fs::directory_iterator()};
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename().string().rfind("events.out.tfevents.", 0), 0u);
  const auto records = read_records(read_file(files[0].string()));
  ASSERT_EQ(records.size(), 3u);
  tensorboard::Event first, by_step, by_flops;
  ASSERT_TRUE(first.ParseFromString(records[0]));
  EXPECT_EQ(first.file_version(), "brain.Event:2");
  ASSERT_TRUE(by_step.ParseFromString(records[1]));
  EXPECT_EQ(by_step.step(), 7);
  ASSERT_EQ(by_step.summary().value_size(), 2);
  EXPECT_EQ(by_step.summary().value(0).tag(), "rl/reward/mean");
  EXPECT_FLOAT_EQ(by_step.summary().value(0).simple_value(), 0.25f);
  ASSERT_TRUE(by_flops.ParseFromString(records[2]));
  EXPECT_EQ(by_flops.step(), 3000000000000);
  EXPECT_EQ(by_flops.summary().value(0).tag(), "rl_by_flops/reward/mean");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rlvr::scaling
