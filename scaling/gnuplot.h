// Pieces of gnuplot scripts shared by the reports that draw PNG plots
// (`rlvr report`, `rlvr sweep --summarize`): data files, plot headers, sampled
// curves, and running gnuplot itself. Pure except run_gnuplot.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace rlvr::scaling {

// Whitespace-separated data: row i holds cols[0][i], cols[1][i], ...; every
// column must be as long as the first.
std::string data_columns(const std::vector<std::vector<double>>& cols);

// `f` sampled at 101 log-spaced x in [lo, hi] (lo, hi > 0), as data_columns.
std::string sampled_curve(double lo, double hi, const std::function<double(double)>& f);

// Like sampled_curve for a function of several values: row i is x and f(x).
std::string sampled_columns(double lo, double hi, const std::function<std::vector<double>(double)>& f);

// Resets gnuplot and opens a 900x560 PNG with a title, axis labels and a grid;
// text is printed literally (no enhanced-mode markup, so "pass@k" stays as is).
std::string plot_header(const std::string& png, const std::string& title, const std::string& xlabel,
                        const std::string& ylabel);

// Writes `script` to `script_path` and runs gnuplot on it with its stderr in
// `log_path`. Throws rlvr::Error naming both when gnuplot fails or is missing.
void run_gnuplot(const std::string& script_path, const std::string& script, const std::string& log_path);

}  // namespace rlvr::scaling
