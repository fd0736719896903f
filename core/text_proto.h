// Text-format protobuf parsing with errors that name file, line and column,
// shared by every config file rlvr reads (experiments, sweeps).
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <string>

namespace rlvr {

// Parses `text` (called `source_name` in errors) into `message`, recording
// where each field was written in `tree` (may be null). Throws ConfigError
// listing every problem as "file:line:col: message", with a "did you mean"
// hint for misspelt field names.
void parse_text_proto(const std::string& text, const std::string& source_name,
                      google::protobuf::Message& message,
                      google::protobuf::TextFormat::ParseInfoTree* tree);

}  // namespace rlvr
