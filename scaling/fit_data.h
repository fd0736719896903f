// Reads an (x, y) series for `rlvr fit` from a metrics.jsonl or a CSV table.
// Errors name the file, the line and the field.
#pragma once

#include <string>
#include <vector>

#include "scaling/series.h"

namespace rlvr::scaling {

// With a non-empty `sigma_field`, that field or column is read as each y's
// standard error (Series::sigmas), under the same rules as x and y.
//
// Dispatches on the extension: ".csv" reads a table, anything else JSONL.
//
// JSONL (one object per line, as MetricsSink writes): with a non-empty `kind`,
// only records of that kind are read and each must have numeric `x_field` and
// `y_field`. Without `kind`, records lacking either field are skipped (they are
// other kinds of record), but a present non-numeric value is an error.
//
// CSV: the first row names the columns; fields are separated by commas,
// surrounding spaces and double quotes are stripped (quoted commas are not
// supported); blank lines are skipped. `kind` must be empty.
//
// Throws rlvr::Error on an unreadable file, a missing column or field, a
// non-numeric value, or no points at all.
Series read_series(const std::string& path, const std::string& x_field, const std::string& y_field,
                   const std::string& kind = "", const std::string& sigma_field = "");

}  // namespace rlvr::scaling
