// Per-task sample outcomes of a test-time evaluation, as `rlvr eval --samples N
// --csv F` writes them next to F's pass@k table: one row per task, its samples'
// verdicts in the order drawn. The test-time law (scaling/test_time_law.h) is
// fitted to these, and only these let a report refit on the first k samples.
//
//   task,samples,correct,outcomes
//   0,4,1,0100
#pragma once

#include <string>
#include <vector>

namespace rlvr::scaling {

// Where the per-task file of the pass@k table `table_csv` lives: "F.csv" ->
// "F_tasks.csv" (any other name gets "_tasks.csv" appended).
std::string task_outcomes_path(const std::string& table_csv);

// outcomes[t][s]: task t's sample s was judged correct.
std::string format_task_outcomes(const std::vector<std::vector<bool>>& outcomes);
void write_task_outcomes(const std::string& path, const std::vector<std::vector<bool>>& outcomes);

// Throws rlvr::Error naming the file, line and column on a missing or wrong
// header, a row with other than 4 fields, an outcome string of other than
// 0/1 characters, or samples/correct that disagree with it; and for a file
// without rows.
std::vector<std::vector<bool>> read_task_outcomes(const std::string& path);

}  // namespace rlvr::scaling
