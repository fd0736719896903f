// Torch-free reading and writing of safetensors files and Hugging Face checkpoint
// directories. The format: an 8-byte little-endian header length N, N bytes of
// JSON ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...,
// "__metadata__": {str: str}}), then the tensor bytes, little-endian, with
// offsets relative to the start of that data section.
//
// Files come from the network, so the reader validates everything before handing
// out a pointer: any malformed or hostile file is an rlvr::Error naming the file,
// the tensor or field, and what is wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::models {

enum class StDtype { kBool, kU8, kI8, kI16, kI32, kI64, kF16, kBF16, kF32, kF64 };

std::string_view st_dtype_name(StDtype dtype);  // "F32", "BF16", ... as in the header
size_t st_dtype_size(StDtype dtype);            // bytes per element

// A tensor inside a mapped file, or one to write. `data` holds `nbytes`
// little-endian bytes and, for tensors read from a file, may be unaligned for
// the dtype (the format has no alignment between tensors): memcpy, don't cast.
struct StTensor {
  std::string name;
  StDtype dtype = StDtype::kF32;
  std::vector<int64_t> shape;  // [] is a scalar
  const void* data = nullptr;
  size_t nbytes = 0;
};

// One .safetensors file, memory-mapped read-only for its lifetime: tensor data
// points into the mapping, so the file must not be truncated meanwhile (reads
// past its new end would fault; replacing it by rename, as our writer does, is
// fine). Movable (tensor pointers stay valid), not copyable; a moved-from object
// may only be destroyed or assigned to.
class SafetensorsFile {
 public:
  // Throws rlvr::Error when the file cannot be read or fails validation.
  explicit SafetensorsFile(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::vector<StTensor>& tensors() const;                // sorted by data offset
  const StTensor* find(std::string_view name) const;           // nullptr if absent
  const std::map<std::string, std::string>& metadata() const;  // "__metadata__"
  const std::string& path() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A checkpoint directory in Hugging Face layout: model.safetensors, or
// model.safetensors.index.json ({"metadata": {...}, "weight_map": {tensor: shard
// file}}) with its shards. Like transformers, model.safetensors wins when both
// are present.
class SafetensorsCheckpoint {
 public:
  // Throws rlvr::Error for a missing layout, a bad index, a missing shard, or a
  // tensor the index places in a shard that lacks it.
  explicit SafetensorsCheckpoint(const std::string& dir);

  const StTensor* find(std::string_view name) const;  // nullptr if absent
  std::vector<std::string> names() const;             // all tensor names, sorted

 private:
  std::vector<SafetensorsFile> files_;
  std::map<std::string, const StTensor*, std::less<>> tensors_;
};

// Writes one file atomically (temporary file, then rename). The header is padded
// with spaces so the data section starts 8-byte aligned, as the reference writer
// does; tensors are stored in the given order, without gaps. `metadata` becomes
// "__metadata__" (omitted when empty; Hugging Face writes {"format": "pt"}).
// Throws rlvr::Error for duplicate or reserved names, negative dims, or an
// nbytes that does not match shape and dtype.
void write_safetensors(const std::string& path, const std::vector<StTensor>& tensors,
                       const std::map<std::string, std::string>& metadata);

// Writes `tensors` into `dir` in Hugging Face layout: model.safetensors when
// their bytes total at most max_shard_bytes, else model-00001-of-0000K.safetensors
// ... (tensors in the given order, never split; one larger than the limit gets a
// shard of its own) plus model.safetensors.index.json with metadata.total_size
// and weight_map. `metadata` goes into every file. Each file is written
// atomically; files of an earlier save that this one does not overwrite (the
// other layout's files, surplus shards) are removed once the new ones are in
// place, so that the directory holds exactly one checkpoint.
void write_safetensors_checkpoint(const std::string& dir, const std::vector<StTensor>& tensors,
                                  const std::map<std::string, std::string>& metadata,
                                  size_t max_shard_bytes = 5'000'000'000);

}  // namespace rlvr::models
