// Test driver for tests/python/safetensors_parity_test.py.
//   safetensors_dump read DIR_OR_FILE
//     prints {name: {"dtype", "shape", "fnv1a64"}} (hex FNV-1a-64 of the bytes),
//     plus "__metadata__" when reading a single file;
//   safetensors_dump copy SRC_DIR DST_DIR MAX_SHARD_BYTES
//     rewrites a checkpoint with write_safetensors_checkpoint.
// Errors go to stderr with exit status 1.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "models/safetensors.h"

namespace {

using rlvr::models::StTensor;

// FNV-1a-64: a few lines in both languages, enough to detect any changed byte here.
std::string fnv1a64(const StTensor& t) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  const auto* bytes = static_cast<const unsigned char*>(t.data);
  for (size_t i = 0; i < t.nbytes; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

nlohmann::json describe(const StTensor& t) {
  return {
      {"dtype", rlvr::models::st_dtype_name(t.dtype)}, {"shape", t.shape}, {"fnv1a64", fnv1a64(t)}};
}

void read(const std::string& path) {
  nlohmann::json out = nlohmann::json::object();
  if (std::filesystem::is_directory(path)) {
    const rlvr::models::SafetensorsCheckpoint checkpoint(path);
    for (const std::string& name : checkpoint.names()) out[name] = describe(*checkpoint.find(name));
  } else {
    const rlvr::models::SafetensorsFile file(path);
    for (const StTensor& t : file.tensors()) out[t.name] = describe(t);
    out["__metadata__"] = file.metadata();
  }
  std::cout << out.dump() << '\n';
}

void copy(const std::string& src, const std::string& dst, const std::string& max_shard_bytes) {
  size_t limit = 0;
  try {
    limit = std::stoull(max_shard_bytes);
  } catch (const std::exception&) {
    throw rlvr::Error("MAX_SHARD_BYTES: expected a byte count, got '" + max_shard_bytes + "'");
  }
  const rlvr::models::SafetensorsCheckpoint checkpoint(src);
  std::vector<StTensor> tensors;
  for (const std::string& name : checkpoint.names()) tensors.push_back(*checkpoint.find(name));
  rlvr::models::write_safetensors_checkpoint(dst, tensors, {{"format", "pt"}}, limit);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    if (command == "read" && argc == 3) {
      read(argv[2]);
    } else if (command == "copy" && argc == 5) {
      copy(argv[2], argv[3], argv[4]);
    } else {
      std::cerr << "usage: safetensors_dump read DIR_OR_FILE\n"
                   "       safetensors_dump copy SRC_DIR DST_DIR MAX_SHARD_BYTES\n";
      return 1;
    }
  } catch (const rlvr::Error& e) {
    std::cerr << "safetensors_dump: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
