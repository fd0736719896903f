// Safetensors reading (mmap plus validation of every header field before any
// pointer into the data is handed out) and writing (atomic, Hugging Face layout).
#include "models/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/files.h"

namespace rlvr::models {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference reader's limit
constexpr size_t kLengthBytes = 8;                 // u64 header length before the JSON
constexpr const char* kMetadataKey = "__metadata__";
constexpr const char* kSingleFile = "model.safetensors";
constexpr const char* kIndexFile = "model.safetensors.index.json";

struct DtypeInfo {
  std::string_view name;
  size_t size;
};
// Indexed by StDtype.
constexpr std::array<DtypeInfo, 10> kDtypes = {{{"BOOL", 1},
                                                {"U8", 1},
                                                {"I8", 1},
                                                {"I16", 2},
                                                {"I32", 4},
                                                {"I64", 8},
                                                {"F16", 2},
                                                {"BF16", 2},
                                                {"F32", 4},
                                                {"F64", 8}}};

const DtypeInfo& info(StDtype dtype) { return kDtypes.at(static_cast<size_t>(dtype)); }

std::optional<StDtype> parse_dtype(std::string_view name) {
  for (size_t i = 0; i < kDtypes.size(); ++i) {
    if (kDtypes[i].name == name) return static_cast<StDtype>(i);
  }
  return std::nullopt;
}

std::string supported_dtypes() {
  std::string list;
  for (const DtypeInfo& d : kDtypes) list += (list.empty() ? "" : ", ") + std::string(d.name);
  return list;
}

// Bytes a tensor of this shape and dtype holds; nullopt when a dimension is
// negative or the count overflows size_t (a hostile header could ask for 2^70).
std::optional<size_t> byte_count(const std::vector<int64_t>& shape, StDtype dtype) {
  size_t bytes = info(dtype).size;
  for (const int64_t dim : shape) {
    if (dim < 0 || __builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes)) {
      return std::nullopt;
    }
  }
  return bytes;
}

std::string shape_text(const std::vector<int64_t>& shape) { return json(shape).dump(); }

// A header value for an error message, shortened. Nested containers are named,
// not printed: dump() recurses, and a hostile header can nest a million deep.
std::string describe(const json& value) {
  if (value.is_structured()) {
    for (const json& item : value) {
      if (item.is_structured()) return std::string("a nested ") + value.type_name();
    }
  }
  constexpr size_t kMaxChars = 80;
  std::string text = value.dump();
  if (text.size() > kMaxChars) text = text.substr(0, kMaxChars - 3) + "...";
  return text;
}

[[noreturn]] void fail(const std::string& file, const std::string& where, const std::string& what) {
  throw Error(file + ": " + where + ": " + what);
}

std::string tensor_field(const std::string& name, const char* field) {
  return "tensor '" + name + "' field '" + field + "'";
}

// A JSON integer >= 0 (floats and negatives are not offsets or dimensions).
std::optional<uint64_t> non_negative(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) {
    return static_cast<uint64_t>(value.get<int64_t>());
  }
  return std::nullopt;
}

// Parses JSON, rejecting duplicate keys (nlohmann would keep the last one
// silently, so a file could show one tensor to us and another to other readers).
json parse_json(const std::string& file, std::string_view text, const char* what) {
  struct Frame {
    std::set<std::string> keys;
    std::string key;  // the latest key, for the path in the message
  };
  std::vector<Frame> stack;
  std::string duplicate;
  const json::parser_callback_t note_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      stack.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      stack.pop_back();
    } else if (event == json::parse_event_t::key && duplicate.empty()) {
      Frame& frame = stack.back();
      frame.key = parsed.get<std::string>();
      if (!frame.keys.insert(frame.key).second) {
        for (const Frame& f : stack) duplicate += (duplicate.empty() ? "" : ".") + f.key;
      }
    }
    return true;
  };
  json parsed;
  try {
    parsed = json::parse(text.begin(), text.end(), note_keys);
  } catch (const json::exception& e) {
    fail(file, what, std::string("not valid JSON: ") + e.what());
  }
  if (!duplicate.empty()) fail(file, what, "key '" + duplicate + "' appears more than once");
  if (!parsed.is_object())
    fail(file, what, std::string("expected a JSON object, got ") + parsed.type_name());
  return parsed;
}

}  // namespace

std::string_view st_dtype_name(StDtype dtype) { return info(dtype).name; }
size_t st_dtype_size(StDtype dtype) { return info(dtype).size; }

// ---------------------------------------------------------------------------
// SafetensorsFile

struct SafetensorsFile::State {
  std::string path;
  void* base = MAP_FAILED;
  size_t size = 0;
  std::vector<StTensor> tensors;
  std::map<std::string, size_t, std::less<>> by_name;  // index into tensors
  std::map<std::string, std::string> metadata;

  ~State() {
    if (base != MAP_FAILED) ::munmap(base, size);
  }

  void map_file();
  void read_header();
  void read_metadata(const json& value);
  // Validates one header entry against the data section [data, data + data_size).
  StTensor read_tensor(const std::string& name, const json& entry, const char* data,
                       size_t data_size, size_t* begin) const;
};

void SafetensorsFile::State::map_file() {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(path + ": not a regular file");
  }
  size = static_cast<size_t>(st.st_size);
  if (size < kLengthBytes) {
    ::close(fd);
    fail(path, "header length",
         "file is " + std::to_string(size) +
             " bytes, shorter than the 8-byte header length (truncated file?)");
  }
  base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);  // the mapping keeps the file alive
  if (base == MAP_FAILED) throw Error(path + ": cannot mmap: " + std::strerror(map_errno));
}

void SafetensorsFile::State::read_header() {
  const auto* bytes = static_cast<const unsigned char*>(base);
  uint64_t header_bytes = 0;
  for (size_t i = 0; i < kLengthBytes; ++i) header_bytes |= uint64_t{bytes[i]} << (8 * i);
  if (header_bytes > kMaxHeaderBytes) {
    fail(
        path, "header length",
        std::to_string(header_bytes) + " bytes exceeds the 100 MB limit (not a safetensors file?)");
  }
  if (header_bytes > size - kLengthBytes) {
    fail(path, "header length",
         std::to_string(header_bytes) + " bytes, but only " + std::to_string(size - kLengthBytes) +
             " bytes follow (truncated file?)");
  }
  const char* text = reinterpret_cast<const char*>(bytes) + kLengthBytes;
  const json header = parse_json(path, std::string_view(text, header_bytes), "header");
  const char* data = text + header_bytes;
  const size_t data_size = size - kLengthBytes - header_bytes;

  std::vector<std::pair<size_t, StTensor>> placed;  // (begin offset, tensor)
  for (const auto& [key, value] : header.items()) {
    if (key == kMetadataKey) {
      read_metadata(value);
      continue;
    }
    size_t begin = 0;
    StTensor tensor = read_tensor(key, value, data, data_size, &begin);
    placed.emplace_back(begin, std::move(tensor));
  }
  // By offset; at a tie, empty tensors first, then by name, for a stable order.
  std::sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.nbytes, a.second.name) <
           std::tie(b.first, b.second.nbytes, b.second.name);
  });
  // Sorted by begin, a tensor overlaps an earlier one iff it starts before the
  // previous non-empty one ends. Empty tensors own no bytes and overlap nothing.
  size_t covered_end = 0;
  std::string covered_by;
  for (auto& [begin, tensor] : placed) {
    if (tensor.nbytes > 0) {
      if (begin < covered_end) {
        fail(path, tensor_field(tensor.name, "data_offsets"),
             "bytes from " + std::to_string(begin) + " overlap tensor '" + covered_by +
                 "', which ends at " + std::to_string(covered_end));
      }
      covered_end = begin + tensor.nbytes;
      covered_by = tensor.name;
    }
    by_name.emplace(tensor.name, tensors.size());
    tensors.push_back(std::move(tensor));
  }
}

void SafetensorsFile::State::read_metadata(const json& value) {
  if (value.is_null()) return;  // the reference writer's "no metadata"
  if (!value.is_object()) {
    fail(path, kMetadataKey,
         std::string("expected an object of strings, got ") + value.type_name());
  }
  for (const auto& [key, item] : value.items()) {
    if (!item.is_string()) {
      fail(path, std::string(kMetadataKey) + " key '" + key + "'",
           "expected a string value, got " + describe(item));
    }
    metadata.emplace(key, item.get<std::string>());
  }
}

StTensor SafetensorsFile::State::read_tensor(const std::string& name, const json& entry,
                                             const char* data, size_t data_size,
                                             size_t* begin) const {
  if (!entry.is_object()) {
    fail(path, "tensor '" + name + "'",
         std::string("expected an object with dtype, shape and data_offsets, got ") +
             entry.type_name());
  }
  const auto field = [&](const char* key) -> const json& {
    if (!entry.contains(key)) fail(path, tensor_field(name, key), "missing");
    return entry[key];
  };
  StTensor tensor;
  tensor.name = name;

  const json& dtype = field("dtype");
  const std::optional<StDtype> parsed =
      dtype.is_string() ? parse_dtype(dtype.get<std::string>()) : std::nullopt;
  if (!parsed) {
    fail(path, tensor_field(name, "dtype"),
         "unsupported dtype " + describe(dtype) + " (supported: " + supported_dtypes() + ")");
  }
  tensor.dtype = *parsed;

  const json& shape = field("shape");
  if (!shape.is_array())
    fail(path, tensor_field(name, "shape"), "expected an array, got " + describe(shape));
  for (const json& dim : shape) {
    const std::optional<uint64_t> value = non_negative(dim);
    if (!value || *value > static_cast<uint64_t>(INT64_MAX)) {
      fail(path, tensor_field(name, "shape"),
           "dimension " + describe(dim) + " is not a non-negative integer");
    }
    tensor.shape.push_back(static_cast<int64_t>(*value));
  }
  const std::optional<size_t> expected = byte_count(tensor.shape, tensor.dtype);
  if (!expected)
    fail(path, tensor_field(name, "shape"),
         shape_text(tensor.shape) + " has too many elements to address");

  const json& offsets = field("data_offsets");
  const std::optional<uint64_t> first =
      offsets.is_array() && offsets.size() == 2 ? non_negative(offsets[0]) : std::nullopt;
  const std::optional<uint64_t> last = first ? non_negative(offsets[1]) : std::nullopt;
  if (!last) {
    fail(path, tensor_field(name, "data_offsets"),
         "expected [begin, end] with non-negative integers, got " + describe(offsets));
  }
  if (*last < *first)
    fail(path, tensor_field(name, "data_offsets"), "end < begin in " + describe(offsets));
  if (*last > data_size) {
    fail(path, tensor_field(name, "data_offsets"),
         "end " + std::to_string(*last) + " is beyond the data section of " +
             std::to_string(data_size) + " bytes (truncated file?)");
  }
  tensor.nbytes = *last - *first;
  if (tensor.nbytes != *expected) {
    fail(path, tensor_field(name, "data_offsets"),
         describe(offsets) + " covers " + std::to_string(tensor.nbytes) + " bytes, but shape " +
             shape_text(tensor.shape) + " of " + std::string(st_dtype_name(tensor.dtype)) +
             " needs " + std::to_string(*expected));
  }
  tensor.data = data + *first;
  *begin = *first;
  return tensor;
}

SafetensorsFile::SafetensorsFile(const std::string& path) : state_(std::make_unique<State>()) {
  state_->path = path;
  state_->map_file();
  state_->read_header();
}

SafetensorsFile::~SafetensorsFile() = default;
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;

const std::vector<StTensor>& SafetensorsFile::tensors() const { return state_->tensors; }

const StTensor* SafetensorsFile::find(std::string_view name) const {
  const auto it = state_->by_name.find(name);
  return it == state_->by_name.end() ? nullptr : &state_->tensors[it->second];
}

const std::map<std::string, std::string>& SafetensorsFile::metadata() const {
  return state_->metadata;
}
const std::string& SafetensorsFile::path() const { return state_->path; }

// ---------------------------------------------------------------------------
// SafetensorsCheckpoint

SafetensorsCheckpoint::SafetensorsCheckpoint(const std::string& dir) {
  std::error_code ec;
  const fs::path single = fs::path(dir) / kSingleFile;
  if (fs::exists(single, ec)) {
    const SafetensorsFile& file = files_.emplace_back(single.string());
    for (const StTensor& tensor : file.tensors()) tensors_.emplace(tensor.name, &tensor);
    return;
  }
  const fs::path index_path = fs::path(dir) / kIndexFile;
  if (!fs::exists(index_path, ec)) {
    throw Error(dir + ": neither " + kSingleFile + " nor " + kIndexFile +
                " found (not a Hugging Face safetensors checkpoint directory?)");
  }
  const std::string index_name = index_path.string();
  const json index = parse_json(index_name, read_file(index_name), "index");
  if (!index.contains("weight_map") || !index["weight_map"].is_object()) {
    fail(index_name, "weight_map", "missing or not an object of tensor name -> shard file");
  }
  std::map<std::string, std::vector<std::string>> by_shard;
  for (const auto& [name, shard] : index["weight_map"].items()) {
    // Shards live next to the index: a path elsewhere is a corrupt or hostile index.
    const std::string file = shard.is_string() ? shard.get<std::string>() : "";
    if (file.empty() || file == "." || file == ".." || file.find('/') != std::string::npos) {
      fail(index_name, "weight_map key '" + name + "'",
           "expected a shard file name in the same directory, got " + describe(shard));
    }
    by_shard[file].push_back(name);
  }
  for (const auto& [shard, names] : by_shard) {
    const fs::path shard_path = fs::path(dir) / shard;
    if (!fs::exists(shard_path, ec)) {
      fail(index_name, "weight_map key '" + names.front() + "'",
           "shard '" + shard + "' does not exist in " + dir + " (incomplete download?)");
    }
    const SafetensorsFile& file = files_.emplace_back(shard_path.string());
    for (const std::string& name : names) {
      const StTensor* tensor = file.find(name);
      if (tensor == nullptr) {
        fail(file.path(), "tensor '" + name + "'",
             std::string("listed in ") + kIndexFile + " weight_map but absent from this shard");
      }
      tensors_.emplace(name, tensor);
    }
  }
}

const StTensor* SafetensorsCheckpoint::find(std::string_view name) const {
  const auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : it->second;
}

std::vector<std::string> SafetensorsCheckpoint::names() const {
  std::vector<std::string> names;
  names.reserve(tensors_.size());
  for (const auto& [name, tensor] : tensors_) names.push_back(name);
  return names;
}

// ---------------------------------------------------------------------------
// Writing

namespace {

// Rejects what the reader would reject, naming `target` (the file or directory
// being written) and the tensor.
void check_tensors(const std::string& target, const std::vector<StTensor>& tensors) {
  std::set<std::string_view> seen;
  for (const StTensor& t : tensors) {
    if (t.name == kMetadataKey)
      fail(target, "tensor '" + t.name + "'", "name is reserved for metadata");
    if (!seen.insert(t.name).second)
      fail(target, "tensor '" + t.name + "'", "name appears more than once");
    const std::optional<size_t> bytes = byte_count(t.shape, t.dtype);
    if (!bytes) {
      fail(target, tensor_field(t.name, "shape"),
           shape_text(t.shape) + " has a negative dimension or too many elements");
    }
    if (*bytes != t.nbytes) {
      fail(target, tensor_field(t.name, "nbytes"),
           std::to_string(t.nbytes) + ", but shape " + shape_text(t.shape) + " of " +
               std::string(st_dtype_name(t.dtype)) + " needs " + std::to_string(*bytes));
    }
    if (t.nbytes > 0 && t.data == nullptr) fail(target, tensor_field(t.name, "data"), "null");
  }
}

// The header JSON with tensors back to back in the given order, padded with
// spaces to a multiple of 8 so that the data section starts 8-byte aligned.
std::string header_text(const std::string& path, const std::vector<StTensor>& tensors,
                        const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header[kMetadataKey] = metadata;
  size_t offset = 0;
  for (const StTensor& t : tensors) {
    header[t.name] = {{"dtype", st_dtype_name(t.dtype)},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + t.nbytes}}};
    offset += t.nbytes;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {
    fail(path, "header",
         std::string("a tensor name or metadata string is not valid UTF-8: ") + e.what());
  }
  text.append((kLengthBytes - text.size() % kLengthBytes) % kLengthBytes, ' ');
  return text;
}

std::string shard_name(size_t number, size_t count) {
  char name[64];
  std::snprintf(name, sizeof(name), "model-%05zu-of-%05zu.safetensors", number, count);
  return name;
}

// Files of an earlier save that the new one does not use: the other layout's
// file and shards outside `keep`. Removed only after the new files are complete.
void remove_stale(const std::string& dir, const std::set<std::string>& keep) {
  static const std::regex kShard(R"(model-\d{5,}-of-\d{5,}\.safetensors)");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = name == kSingleFile || name == kIndexFile || std::regex_match(name, kShard);
    if (ours && keep.count(name) == 0) fs::remove(entry.path(), ec);
  }
}

}  // namespace

void write_safetensors(const std::string& path, const std::vector<StTensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  check_tensors(path, tensors);
  const std::string header = header_text(path, tensors, metadata);
  atomic_write_with(path, [&](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    char length[kLengthBytes];
    for (size_t i = 0; i < kLengthBytes; ++i)
      length[i] = static_cast<char>(uint64_t{header.size()} >> (8 * i));
    out.write(length, sizeof(length));
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const StTensor& t : tensors) {
      out.write(static_cast<const char*>(t.data), static_cast<std::streamsize>(t.nbytes));
    }
    out.close();
    if (!out) throw Error("cannot write '" + tmp + "' (disk full or no permission?)");
  });
}

void write_safetensors_checkpoint(const std::string& dir, const std::vector<StTensor>& tensors,
                                  const std::map<std::string, std::string>& metadata,
                                  size_t max_shard_bytes) {
  check_tensors(dir, tensors);
  std::vector<std::vector<StTensor>> shards(1);
  size_t shard_bytes = 0;
  size_t total = 0;
  for (const StTensor& t : tensors) {
    if (!shards.back().empty() && shard_bytes + t.nbytes > max_shard_bytes) {
      shards.emplace_back();
      shard_bytes = 0;
    }
    shards.back().push_back(t);
    shard_bytes += t.nbytes;
    total += t.nbytes;
  }
  if (shards.size() == 1) {
    write_safetensors((fs::path(dir) / kSingleFile).string(), tensors, metadata);
    remove_stale(dir, {kSingleFile});
    return;
  }
  std::set<std::string> written;
  json weight_map = json::object();
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::string name = shard_name(i + 1, shards.size());
    write_safetensors((fs::path(dir) / name).string(), shards[i], metadata);
    for (const StTensor& t : shards[i]) weight_map[t.name] = name;
    written.insert(name);
  }
  // The index goes last so that it never names a shard not yet written.
  const json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weight_map}};
  atomic_write((fs::path(dir) / kIndexFile).string(), index.dump(2) + "\n");
  written.insert(kIndexFile);
  remove_stale(dir, written);
}

}  // namespace rlvr::models
