// Private helpers shared by the config translation units.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"

namespace rlvr::config {

// Every problem found in a parsed config, each "<where>: <field>: <what>".
// Paths of files that must exist are made absolute.
std::vector<std::string> validate(LoadedConfig& loaded);

// Sets every unset scalar field (recursively) to its declared default, so the
// resolved config written to a run directory is explicit. Fields marked
// (overlay) are left as written.
void fill_defaults(google::protobuf::Message& message);

}  // namespace rlvr::config
