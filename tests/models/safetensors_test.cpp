// Safetensors round trips, sharded checkpoints, and the errors for corrupt or
// hostile files. Byte-level parity with the reference `safetensors` package is
// checked by tests/python/safetensors_parity_test.py.
#include "models/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"
#include "core/files.h"

namespace rlvr::models {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, so tests can run in parallel (ctest -j); named
// after the test only, so each run empties the previous run's instead of
// leaving one more behind.
fs::path temp_dir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(::testing::TempDir()) / ("rlvr_st_" + std::string(test->name()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

StTensor tensor(const std::string& name, StDtype dtype, std::vector<int64_t> shape,
                const std::string& bytes) {
  return StTensor{name, dtype, std::move(shape), bytes.data(), bytes.size()};
}

// StTensor only points at its bytes: a temporary would dangle.
StTensor tensor(const std::string&, StDtype, std::vector<int64_t>, std::string&&) = delete;

std::string bytes_of(const StTensor& t) {
  return std::string(static_cast<const char*>(t.data), t.nbytes);
}

// A file with a hand-written header; `length` overrides the header length field.
std::string write_raw(const fs::path& path, const std::string& header, const std::string& data,
                      std::optional<uint64_t> length = std::nullopt) {
  const uint64_t n = length.value_or(header.size());
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>(n >> (8 * i));
  std::ofstream(path, std::ios::binary) << file << header << data;
  return path.string();
}

// Expects SafetensorsFile(path) or SafetensorsCheckpoint(dir) to throw an
// rlvr::Error whose message contains every one of `parts`.
template <typename Reader>
void expect_error(const std::string& path, const std::vector<std::string>& parts) {
  try {
    Reader reader(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const Error& e) {
    for (const std::string& part : parts) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "message lacks '" << part << "': " << e.what();
    }
  }
}

void expect_file_error(const std::string& header, const std::string& data,
                       const std::vector<std::string>& parts,
                       std::optional<uint64_t> length = std::nullopt) {
  const std::string path = write_raw(temp_dir() / "bad.safetensors", header, data, length);
  std::vector<std::string> with_path = parts;
  with_path.push_back(path);
  expect_error<SafetensorsFile>(path, with_path);
}

TEST(Safetensors, DtypeNamesAndSizes) {
  EXPECT_EQ(st_dtype_name(StDtype::kBF16), "BF16");
  EXPECT_EQ(st_dtype_name(StDtype::kBool), "BOOL");
  EXPECT_EQ(st_dtype_size(StDtype::kBool), 1u);
  EXPECT_EQ(st_dtype_size(StDtype::kF16), 2u);
  EXPECT_EQ(st_dtype_size(StDtype::kI32), 4u);
  EXPECT_EQ(st_dtype_size(StDtype::kF64), 8u);
}

TEST(Safetensors, RoundTripsDtypesShapesAndMetadata) {
  const fs::path dir = temp_dir();
  const std::string f32(24, '\x11'), bf16 = "abcdefghij", i64(8, '\x7f'), flags("\x01\x00\x01", 3),
                                     none, f64(8, 'd'), i8 = "\x80\x7f", i16 = "\xff\x01",
                                     i32 = "1234", f16("\x00\x3c", 2);
  const std::vector<StTensor> tensors = {tensor("layers.0.w", StDtype::kF32, {2, 3}, f32),
                                         tensor("bf16", StDtype::kBF16, {5}, bf16),
                                         tensor("scalar", StDtype::kI64, {}, i64),
                                         tensor("flags", StDtype::kBool, {3}, flags),
                                         tensor("empty", StDtype::kU8, {0, 4}, none),
                                         tensor("cube", StDtype::kF64, {1, 1, 1}, f64),
                                         tensor("i8", StDtype::kI8, {2}, i8),
                                         tensor("i16", StDtype::kI16, {1}, i16),
                                         tensor("i32", StDtype::kI32, {1}, i32),
                                         tensor("f16", StDtype::kF16, {1, 1}, f16)};
  const std::string path = (dir / "t.safetensors").string();
  write_safetensors(path, tensors, {{"format", "pt"}, {"step", "7"}});

  const std::string raw = read_file(path);
  uint64_t header = 0;
  std::memcpy(&header, raw.data(), 8);
  EXPECT_EQ((8 + header) % 8, 0u) << "data section must start 8-byte aligned";

  const SafetensorsFile file(path);
  EXPECT_EQ(file.path(), path);
  EXPECT_EQ(file.metadata(), (std::map<std::string, std::string>{{"format", "pt"}, {"step", "7"}}));
  ASSERT_EQ(file.tensors().size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const StTensor& got = file.tensors()[i];  // written order is offset order here
    EXPECT_EQ(got.name, tensors[i].name);
    EXPECT_EQ(got.dtype, tensors[i].dtype) << got.name;
    EXPECT_EQ(got.shape, tensors[i].shape) << got.name;
    EXPECT_EQ(bytes_of(got), bytes_of(tensors[i])) << got.name;
    EXPECT_EQ(file.find(got.name), &got);
    if (i > 0) {
      EXPECT_GE(got.data, file.tensors()[i - 1].data);
    }
  }
  EXPECT_EQ(file.find("absent"), nullptr);
}

TEST(Safetensors, MovedFileKeepsTensorPointers) {
  const std::string data = "abcd";
  const std::string path = (temp_dir() / "m.safetensors").string();
  write_safetensors(path, {tensor("x", StDtype::kF32, {1}, data)}, {});
  SafetensorsFile first(path);
  const StTensor* x = first.find("x");
  const SafetensorsFile second(std::move(first));
  EXPECT_EQ(second.find("x"), x);
  EXPECT_EQ(bytes_of(*x), data);
  EXPECT_TRUE(second.metadata().empty());
}

TEST(Safetensors, ReadsHandWrittenHeadersWithPaddingAndNullMetadata) {
  const std::string header =
      R"({"__metadata__": null, "b": {"dtype": "U8", "shape": [2], "data_offsets": [2, 4]},)"
      R"( "a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]},)"
      R"( "e": {"dtype": "U8", "shape": [0], "data_offsets": [1, 1]}}     )";
  const SafetensorsFile file(write_raw(temp_dir() / "h.safetensors", header, "wxyz"));
  ASSERT_EQ(file.tensors().size(), 3u);
  EXPECT_EQ(file.tensors()[0].name, "a");  // sorted by offset, not by header order
  EXPECT_EQ(file.tensors()[1].name, "e");  // empty, inside 'a': no overlap
  EXPECT_EQ(file.tensors()[2].name, "b");
  EXPECT_EQ(bytes_of(file.tensors()[2]), "yz");
}

TEST(Safetensors, WritesShardsAndReadsThemBack) {
  const fs::path dir = temp_dir();
  const std::string a(40, 'a'), b(40, 'b'), c(100, 'c'), d(10, 'd');
  // 64-byte shards: a | b | c (alone, over the limit) | d.
  const std::vector<StTensor> tensors = {
      tensor("w.a", StDtype::kF32, {10}, a), tensor("w.b", StDtype::kI64, {5}, b),
      tensor("w.c", StDtype::kU8, {10, 10}, c), tensor("w.d", StDtype::kI16, {5}, d)};
  write_safetensors_checkpoint(dir.string(), tensors, {{"format", "pt"}}, 64);
  EXPECT_FALSE(fs::exists(dir / "model.safetensors"));
  const auto index =
      nlohmann::json::parse(read_file((dir / "model.safetensors.index.json").string()));
  EXPECT_EQ(index["metadata"]["total_size"], 190);
  const nlohmann::json want_map = {{"w.a", "model-00001-of-00004.safetensors"},
                                   {"w.b", "model-00002-of-00004.safetensors"},
                                   {"w.c", "model-00003-of-00004.safetensors"},
                                   {"w.d", "model-00004-of-00004.safetensors"}};
  EXPECT_EQ(index["weight_map"], want_map);
  EXPECT_EQ(
      SafetensorsFile((dir / "model-00001-of-00004.safetensors").string()).metadata().at("format"),
      "pt");

  const SafetensorsCheckpoint checkpoint(dir.string());
  EXPECT_EQ(checkpoint.names(), (std::vector<std::string>{"w.a", "w.b", "w.c", "w.d"}));
  for (const StTensor& want : tensors) {
    const StTensor* got = checkpoint.find(want.name);
    ASSERT_NE(got, nullptr) << want.name;
    EXPECT_EQ(got->shape, want.shape);
    EXPECT_EQ(bytes_of(*got), bytes_of(want));
  }
  EXPECT_EQ(checkpoint.find("absent"), nullptr);
}

TEST(Safetensors, SavingAgainInTheOtherLayoutRemovesStaleFiles) {
  const fs::path dir = temp_dir();
  const std::string a(40, 'a'), b(40, 'b'), c(40, 'c');
  const std::vector<StTensor> three = {tensor("a", StDtype::kU8, {40}, a),
                                       tensor("b", StDtype::kU8, {40}, b),
                                       tensor("c", StDtype::kU8, {40}, c)};
  write_safetensors_checkpoint(dir.string(), three, {}, 50);
  EXPECT_TRUE(fs::exists(dir / "model-00003-of-00003.safetensors"));

  write_safetensors_checkpoint(dir.string(), {three[0], three[1]}, {}, 50);
  EXPECT_FALSE(fs::exists(dir / "model-00003-of-00003.safetensors"));
  EXPECT_TRUE(fs::exists(dir / "model-00002-of-00002.safetensors"));

  write_safetensors_checkpoint(dir.string(), {three[2]}, {});
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  EXPECT_EQ(SafetensorsCheckpoint(dir.string()).names(), std::vector<std::string>{"c"});
}

TEST(Safetensors, WriterRejectsInvalidTensors) {
  const std::string path = (temp_dir() / "w.safetensors").string();
  const std::string four = "abcd";
  const auto expect_write_error = [&](const std::vector<StTensor>& tensors,
                                      const std::string& part) {
    try {
      write_safetensors(path, tensors, {});
      ADD_FAILURE() << "no error for " << part;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  };
  expect_write_error({tensor("x", StDtype::kU8, {4}, four), tensor("x", StDtype::kU8, {4}, four)},
                     "tensor 'x': name appears more than once");
  expect_write_error({tensor("__metadata__", StDtype::kU8, {4}, four)}, "reserved");
  expect_write_error({tensor("x", StDtype::kF32, {2}, four)}, "tensor 'x' field 'nbytes'");
  expect_write_error({tensor("x", StDtype::kU8, {-4}, four)}, "tensor 'x' field 'shape'");
  EXPECT_FALSE(fs::exists(path));
}

// --- Corrupt and hostile files --------------------------------------------

constexpr const char* kOk = R"("w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]})";

std::string header_with(const std::string& entry) { return "{" + entry + "}"; }

std::string w_entry(const std::string& dtype, const std::string& shape,
                    const std::string& offsets) {
  return R"("w": {"dtype": )" + dtype + R"(, "shape": )" + shape + R"(, "data_offsets": )" +
         offsets + "}";
}

TEST(SafetensorsErrors, ShortFile) {
  const fs::path path = temp_dir() / "short.safetensors";
  std::ofstream(path, std::ios::binary) << "abc";
  expect_error<SafetensorsFile>(path.string(), {path.string(), "header length", "shorter than"});
}

TEST(SafetensorsErrors, HeaderLengthBeyondFileOrLimit) {
  expect_file_error(header_with(kOk), std::string(8, '\0'), {"header length", "truncated"}, 1000);
  expect_file_error(header_with(kOk), std::string(8, '\0'), {"header length", "100 MB"},
                    200'000'000);
  expect_file_error(header_with(kOk), std::string(8, '\0'), {"header length"}, UINT64_MAX);
}

TEST(SafetensorsErrors, HeaderNotAJsonObject) {
  expect_file_error("{\"w\": ", "", {"header", "not valid JSON"});
  expect_file_error("[1, 2]", "", {"header", "expected a JSON object"});
  expect_file_error("{\"w\": \"\xff\"}", "", {"header", "not valid JSON"});
}

TEST(SafetensorsErrors, BadTensorEntries) {
  const std::string data(8, '\0');
  expect_file_error(header_with(R"("w": [1])"), data, {"tensor 'w'", "expected an object"});
  expect_file_error(header_with(R"("w": {"dtype": "F32", "data_offsets": [0, 8]})"), data,
                    {"tensor 'w' field 'shape'", "missing"});
  expect_file_error(header_with(w_entry(R"("F8_E4M3")", "[8]", "[0, 8]")), data,
                    {"tensor 'w' field 'dtype'", "F8_E4M3", "supported"});
  expect_file_error(header_with(w_entry("4", "[2]", "[0, 8]")), data, {"tensor 'w' field 'dtype'"});
  expect_file_error(header_with(w_entry(R"("F32")", "[-2]", "[0, 8]")), data,
                    {"tensor 'w' field 'shape'", "dimension -2"});
  expect_file_error(header_with(w_entry(R"("F32")", "[2.0]", "[0, 8]")), data,
                    {"tensor 'w' field 'shape'"});
  expect_file_error(header_with(w_entry(R"("F32")", "[4294967296, 4294967296, 4]", "[0, 8]")), data,
                    {"tensor 'w' field 'shape'", "too many elements"});
  expect_file_error(header_with(w_entry(R"("F32")", "[9223372036854775808]", "[0, 8]")), data,
                    {"tensor 'w' field 'shape'"});
}

TEST(SafetensorsErrors, DeeplyNestedValuesAreNotPrinted) {
  const std::string deep = std::string(500'000, '[') + std::string(500'000, ']');
  expect_file_error(header_with(w_entry(R"("F32")", deep, "[0, 8]")), std::string(8, '\0'),
                    {"tensor 'w' field 'shape'", "a nested array"});
  expect_file_error(header_with(w_entry(deep, "[2]", "[0, 8]")), std::string(8, '\0'),
                    {"tensor 'w' field 'dtype'", "a nested array"});
  expect_file_error(deep, "", {"header", "expected a JSON object, got array"});
}

TEST(SafetensorsErrors, BadDataOffsets) {
  const std::string data(8, '\0');
  for (const std::string offsets :
       {"[0]", "[0, 8, 8]", "[0, 8.5]", "[-1, 8]", "\"0-8\"", "[0, null]"}) {
    expect_file_error(header_with(w_entry(R"("F32")", "[2]", offsets)), data,
                      {"tensor 'w' field 'data_offsets'", "non-negative integers"});
  }
  expect_file_error(header_with(w_entry(R"("F32")", "[2]", "[8, 0]")), data,
                    {"tensor 'w' field 'data_offsets'", "end < begin"});
  expect_file_error(header_with(w_entry(R"("F32")", "[4]", "[0, 16]")), data,
                    {"tensor 'w' field 'data_offsets'", "beyond the data section", "truncated"});
  expect_file_error(header_with(w_entry(R"("F32")", "[3]", "[0, 8]")), data,
                    {"tensor 'w' field 'data_offsets'", "covers 8 bytes", "needs 12"});
}

TEST(SafetensorsErrors, OverlappingTensors) {
  const std::string header = R"({"a": {"dtype": "U8", "shape": [6], "data_offsets": [0, 6]},)"
                             R"( "b": {"dtype": "U8", "shape": [4], "data_offsets": [4, 8]}})";
  expect_file_error(header, std::string(8, '\0'),
                    {"tensor 'b' field 'data_offsets'", "overlap tensor 'a'"});
}

TEST(SafetensorsErrors, BadMetadata) {
  expect_file_error(R"({"__metadata__": {"format": "pt", "step": 7}})", "",
                    {"__metadata__ key 'step'", "string"});
  expect_file_error(R"({"__metadata__": ["pt"]})", "", {"__metadata__", "expected an object"});
}

TEST(SafetensorsErrors, DuplicateNamesAndFields) {
  expect_file_error("{" + std::string(kOk) + ", " + kOk + "}", std::string(8, '\0'),
                    {"header", "key 'w' appears more than once"});
  expect_file_error(
      header_with(R"("w": {"dtype": "F32", "dtype": "U8", "shape": [2], "data_offsets": [0, 8]})"),
      std::string(8, '\0'), {"key 'w.dtype' appears more than once"});
}

TEST(SafetensorsErrors, NotAFile) {
  const fs::path dir = temp_dir();
  expect_error<SafetensorsFile>(dir.string(), {dir.string(), "not a regular file"});
  expect_error<SafetensorsFile>((dir / "absent").string(), {"absent", "cannot open"});
}

// --- Checkpoint directories ---------------------------------------------------

// A directory with one shard holding "w" and an index written from `index`.
fs::path checkpoint_with_index(const std::string& index) {
  const fs::path dir = temp_dir();
  const std::string data(8, '\0');
  write_safetensors((dir / "model-00001-of-00001.safetensors").string(),
                    {tensor("w", StDtype::kF32, {2}, data)}, {});
  std::ofstream(dir / "model.safetensors.index.json") << index;
  return dir;
}

TEST(SafetensorsCheckpointErrors, NoCheckpointFiles) {
  const fs::path dir = temp_dir();
  expect_error<SafetensorsCheckpoint>(dir.string(), {dir.string(), "model.safetensors.index.json"});
}

TEST(SafetensorsCheckpointErrors, BadIndex) {
  expect_error<SafetensorsCheckpoint>(checkpoint_with_index(R"({"metadata": {}})").string(),
                                      {"model.safetensors.index.json", "weight_map", "missing"});
  expect_error<SafetensorsCheckpoint>(checkpoint_with_index("{\"weight_map\": ").string(),
                                      {"model.safetensors.index.json", "not valid JSON"});
  expect_error<SafetensorsCheckpoint>(
      checkpoint_with_index(R"({"weight_map": {"w": "../model-00001-of-00001.safetensors"}})")
          .string(),
      {"model.safetensors.index.json", "weight_map key 'w'", "same directory"});
  expect_error<SafetensorsCheckpoint>(checkpoint_with_index(R"({"weight_map": {"w": 3}})").string(),
                                      {"weight_map key 'w'"});
}

TEST(SafetensorsCheckpointErrors, MissingShard) {
  expect_error<SafetensorsCheckpoint>(
      checkpoint_with_index(R"({"weight_map": {"w": "model-00001-of-00002.safetensors"}})")
          .string(),
      {"model.safetensors.index.json", "weight_map key 'w'", "model-00001-of-00002.safetensors",
       "does not exist"});
}

TEST(SafetensorsCheckpointErrors, TensorAbsentFromItsShard) {
  expect_error<SafetensorsCheckpoint>(
      checkpoint_with_index(R"({"weight_map": {"w": "model-00001-of-00001.safetensors",)"
                            R"( "v": "model-00001-of-00001.safetensors"}})")
          .string(),
      {"model-00001-of-00001.safetensors", "tensor 'v'", "absent from this shard"});
}

TEST(SafetensorsCheckpointErrors, CorruptShardNamesTheShard) {
  const fs::path dir =
      checkpoint_with_index(R"({"weight_map": {"w": "model-00001-of-00001.safetensors"}})");
  write_raw(dir / "model-00001-of-00001.safetensors",
            header_with(w_entry(R"("F32")", "[2]", "[0, 8]")), "");
  expect_error<SafetensorsCheckpoint>(
      dir.string(), {"model-00001-of-00001.safetensors", "tensor 'w' field 'data_offsets'"});
}

}  // namespace
}  // namespace rlvr::models
