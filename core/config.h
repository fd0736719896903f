// Loading, overriding and validating ExperimentConfig text-format files.
//
// Every error names where the offending value came from: "file:line:col" for a
// value written in the file, "--set path=value" for a command-line override, or
// "file (default)" for a value nobody wrote. Thread-compatible (no shared state).
#pragma once

#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "config.pb.h"

namespace rlvr::config {

// Where each field path ("rl.group_size") of a loaded config was set.
class SourceMap {
 public:
  explicit SourceMap(std::string file = "<config>") : file_(std::move(file)) {}
  void set(const std::string& field_path, std::string where);
  // "file:line:col", "--set ...", or "file (default)" when the field was not written.
  std::string where(const std::string& field_path) const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::map<std::string, std::string> where_;
};

struct LoadedConfig {
  ExperimentConfig config;
  SourceMap sources;
};

// Parses `text` (named `source_name` in errors), applies `overrides` ("a.b=value"
// each), validates, and fills every unset field with its default. Throws
// ConfigError listing every problem found.
LoadedConfig parse(const std::string& text, const std::string& source_name,
                   const std::vector<std::string>& overrides = {});

// Reads and parses a .pbtxt file; see parse().
LoadedConfig load(const std::string& path, const std::vector<std::string>& overrides = {});

// Text format of a config, every field written out.
std::string to_text(const ExperimentConfig& config);

// Throws ConfigError "<where>: <field_path>: <message>" for checks done outside
// this module (e.g. an unknown environment name).
[[noreturn]] void fail(const LoadedConfig& loaded, const std::string& field_path,
                       const std::string& message);

// A message "<field path>: <text>" (how environments and verifiers name the
// field behind a ConfigError: "env.level: parity has levels 0..4, got 9")
// split into the path and the text; nullopt for any other message.
std::optional<std::pair<std::string, std::string>> split_located(const std::string& message);

// fail() at the field a located message names, else at `fallback_field`.
[[noreturn]] void fail_located(const LoadedConfig& loaded, const std::string& fallback_field,
                               const std::string& message);

}  // namespace rlvr::config
