#include "scaling/gnuplot.h"

#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/files.h"

namespace rlvr::scaling {

std::string data_columns(const std::vector<std::vector<double>>& cols) {
  std::string out;
  for (size_t i = 0; i < cols[0].size(); ++i) {
    for (size_t c = 0; c < cols.size(); ++c) out += fmt::format("{}{:.10g}", c ? " " : "", cols[c][i]);
    out += '\n';
  }
  return out;
}

std::string sampled_curve(double lo, double hi, const std::function<double(double)>& f) {
  return sampled_columns(lo, hi, [&](double x) { return std::vector<double>{f(x)}; });
}

std::string sampled_columns(double lo, double hi, const std::function<std::vector<double>(double)>& f) {
  std::string out;
  const double log_lo = std::log10(lo), log_hi = std::log10(hi);
  for (int i = 0; i <= 100; ++i) {
    const double x = std::pow(10.0, log_lo + (log_hi - log_lo) * i / 100);
    out += fmt::format("{:.10g}", x);
    for (const double v : f(x)) out += fmt::format(" {:.10g}", v);
    out += '\n';
  }
  return out;
}

std::string plot_header(const std::string& png, const std::string& title, const std::string& xlabel,
                        const std::string& ylabel) {
  return fmt::format(
      "reset\nset terminal pngcairo size 900,560 font 'sans,11'\nset output '{}'\nset title '{}'\n"
      "set xlabel '{}'\nset ylabel '{}'\nset grid\nset key left top\nset termoption noenhanced\n",
      png, title, xlabel, ylabel);
}

void run_gnuplot(const std::string& script_path, const std::string& script, const std::string& log_path) {
  atomic_write(script_path, script);
  const std::string cmd = "gnuplot '" + script_path + "' 2>'" + log_path + "'";
  if (std::system(cmd.c_str()) != 0) {
    throw Error("gnuplot failed on " + script_path + " (see " + log_path + "; install gnuplot-nox)");
  }
}

}  // namespace rlvr::scaling
