#include "scaling/fit_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::scaling {
namespace {

std::string at(const std::string& path, int line) { return path + ":" + std::to_string(line); }

std::string strip(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\"");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\"");
  return s.substr(begin, end - begin + 1);
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(strip(line.substr(start, comma - start)));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

double parse_number(const std::string& text, const std::string& where, const std::string& field) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') {
    throw Error(where + ": column '" + field + "' has non-numeric value '" + text + "'");
  }
  return v;
}

using Columns = std::vector<std::vector<double>>;  // one per requested field

Columns read_csv(const std::string& path, const std::vector<std::string>& fields) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read '" + path + "'");
  std::string line;
  int line_number = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++line_number;
    if (!strip(line).empty()) header = split_csv(line);
  }
  if (header.empty()) throw Error(path + ": empty file, expected a header row naming the columns");
  const int header_line = line_number;
  const auto column = [&](const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    std::string names;
    for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
    throw Error(at(path, header_line) + ": no column '" + name + "' in the header (columns: " +
                names + ")");
  };
  std::vector<size_t> indices;
  for (const auto& f : fields) indices.push_back(column(f));
  Columns columns(fields.size());
  while (std::getline(in, line)) {
    ++line_number;
    if (strip(line).empty()) continue;
    const auto values = split_csv(line);
    if (values.size() != header.size()) {
      throw Error(at(path, line_number) + ": " + std::to_string(values.size()) +
                  " fields but the header has " + std::to_string(header.size()));
    }
    for (size_t f = 0; f < fields.size(); ++f) {
      columns[f].push_back(parse_number(values[indices[f]], at(path, line_number), fields[f]));
    }
  }
  return columns;
}

Columns read_jsonl(const std::string& path, const std::vector<std::string>& fields, const std::string& kind) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read '" + path + "'");
  Columns columns(fields.size());
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object()) throw Error(at(path, line_number) + ": not a JSON object");
    const auto kind_it = json.find("kind");
    const bool kind_matches = kind_it != json.end() && kind_it->is_string() && *kind_it == kind;
    if (!kind.empty() && !kind_matches) continue;
    const bool has_all = std::all_of(fields.begin(), fields.end(), [&](const auto& f) { return json.contains(f); });
    if (kind.empty() && !has_all) continue;
    std::vector<double> row;
    for (const auto& field : fields) {
      if (!json.contains(field)) {
        throw Error(at(path, line_number) + ": record of kind '" + kind + "' has no field '" + field + "'");
      }
      const auto& value = json[field];
      if (!value.is_number()) {
        throw Error(at(path, line_number) + ": field '" + field + "' is " + value.dump() +
                    ", expected a number");
      }
      row.push_back(value.get<double>());
    }
    for (size_t f = 0; f < fields.size(); ++f) columns[f].push_back(row[f]);
  }
  return columns;
}

}  // namespace

Series read_series(const std::string& path, const std::string& x_field, const std::string& y_field,
                   const std::string& kind, const std::string& sigma_field) {
  std::vector<std::string> fields = {x_field, y_field};
  if (!sigma_field.empty()) fields.push_back(sigma_field);
  Columns columns;
  if (ends_with(path, ".csv")) {
    if (!kind.empty()) throw Error("--kind '" + kind + "' applies to JSONL input, not " + path);
    columns = read_csv(path, fields);
  } else {
    columns = read_jsonl(path, fields, kind);
  }
  if (columns[0].empty()) {
    throw Error(path + ": no points with fields '" + join(fields, "', '") + "'" +
                (kind.empty() ? "" : " in records of kind '" + kind + "'"));
  }
  Series series{columns[0], columns[1], {}};
  if (!sigma_field.empty()) series.sigmas = columns[2];
  return series;
}

}  // namespace rlvr::scaling
