#include "scaling/fit_data.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "core/error.h"

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

Series read_csv(const std::string& path, const std::string& x_field, const std::string& y_field) {
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
  const size_t xi = column(x_field), yi = column(y_field);
  Series series;
  while (std::getline(in, line)) {
    ++line_number;
    if (strip(line).empty()) continue;
    const auto fields = split_csv(line);
    if (fields.size() != header.size()) {
      throw Error(at(path, line_number) + ": " + std::to_string(fields.size()) +
                  " fields but the header has " + std::to_string(header.size()));
    }
    series.xs.push_back(parse_number(fields[xi], at(path, line_number), x_field));
    series.ys.push_back(parse_number(fields[yi], at(path, line_number), y_field));
  }
  return series;
}

Series read_jsonl(const std::string& path, const std::string& x_field, const std::string& y_field,
                  const std::string& kind) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read '" + path + "'");
  Series series;
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
    const bool has_both = json.contains(x_field) && json.contains(y_field);
    if (kind.empty() && !has_both) continue;
    double xy[2];
    const std::string fields[2] = {x_field, y_field};
    for (int f = 0; f < 2; ++f) {
      if (!json.contains(fields[f])) {
        throw Error(at(path, line_number) + ": record of kind '" + kind + "' has no field '" +
                    fields[f] + "'");
      }
      const auto& value = json[fields[f]];
      if (!value.is_number()) {
        throw Error(at(path, line_number) + ": field '" + fields[f] + "' is " + value.dump() +
                    ", expected a number");
      }
      xy[f] = value.get<double>();
    }
    series.xs.push_back(xy[0]);
    series.ys.push_back(xy[1]);
  }
  return series;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Series read_series(const std::string& path, const std::string& x_field, const std::string& y_field,
                   const std::string& kind) {
  Series series;
  if (ends_with(path, ".csv")) {
    if (!kind.empty()) throw Error("--kind '" + kind + "' applies to JSONL input, not " + path);
    series = read_csv(path, x_field, y_field);
  } else {
    series = read_jsonl(path, x_field, y_field, kind);
  }
  if (series.xs.empty()) {
    throw Error(path + ": no points with fields '" + x_field + "' and '" + y_field + "'" +
                (kind.empty() ? "" : " in records of kind '" + kind + "'"));
  }
  return series;
}

}  // namespace rlvr::scaling
