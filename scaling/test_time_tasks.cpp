#include "scaling/test_time_tasks.h"

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "core/text_util.h"

namespace rlvr::scaling {
namespace {

constexpr const char* kHeader = "task,samples,correct,outcomes";

int64_t parse_count(const std::string& text, const std::string& where, const std::string& column) {
  try {
    size_t used = 0;
    const int64_t v = std::stoll(text, &used);
    if (used == text.size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw Error(where + ": column '" + column + "' is '" + text + "', expected a count >= 0");
}

}  // namespace

std::string task_outcomes_path(const std::string& table_csv) {
  const bool csv = ends_with(table_csv, ".csv");
  return (csv ? table_csv.substr(0, table_csv.size() - 4) : table_csv) + "_tasks.csv";
}

std::string format_task_outcomes(const std::vector<std::vector<bool>>& outcomes) {
  std::string out = std::string(kHeader) + "\n";
  for (size_t t = 0; t < outcomes.size(); ++t) {
    std::string bits;
    for (bool o : outcomes[t]) bits += o ? '1' : '0';
    out += std::to_string(t) + "," + std::to_string(outcomes[t].size()) + "," +
           std::to_string(std::count(bits.begin(), bits.end(), '1')) + "," + bits + "\n";
  }
  return out;
}

void write_task_outcomes(const std::string& path, const std::vector<std::vector<bool>>& outcomes) {
  atomic_write(path, format_task_outcomes(outcomes));
}

std::vector<std::vector<bool>> read_task_outcomes(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read '" + path + "' (per-task outcomes from `rlvr eval --samples N --csv`)");
  std::string line;
  int line_number = 0;
  std::vector<std::vector<bool>> outcomes;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string where = path + ":" + std::to_string(line_number);
    line = trim(line);
    if (line_number == 1) {
      if (line != kHeader) throw Error(where + ": header is '" + line + "', expected '" + kHeader + "'");
      continue;
    }
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line, ',');
    if (fields.size() != 4) {
      throw Error(where + ": " + std::to_string(fields.size()) + " fields, expected 4 (" + kHeader + ")");
    }
    const int64_t samples = parse_count(fields[1], where, "samples");
    const int64_t correct = parse_count(fields[2], where, "correct");
    const std::string& bits = fields[3];
    if (bits.find_first_not_of("01") != std::string::npos || bits.empty()) {
      throw Error(where + ": column 'outcomes' is '" + bits + "', expected one 0 or 1 per sample");
    }
    const auto ones = static_cast<int64_t>(std::count(bits.begin(), bits.end(), '1'));
    if (static_cast<int64_t>(bits.size()) != samples || ones != correct) {
      throw Error(where + ": samples = " + fields[1] + " and correct = " + fields[2] + " disagree with the " +
                  std::to_string(bits.size()) + " outcomes, " + std::to_string(ones) + " of them correct");
    }
    std::vector<bool> row;
    for (char c : bits) row.push_back(c == '1');
    outcomes.push_back(std::move(row));
  }
  if (outcomes.empty()) throw Error(path + ": no tasks (expected a header and one row per task)");
  return outcomes;
}

}  // namespace rlvr::scaling
