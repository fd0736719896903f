#include "scaling/fit_table.h"

#include <spdlog/fmt/fmt.h>

namespace rlvr::scaling {

std::string param_cell(const FitResult& fit, const std::string& name) {
  for (const auto& e : fit.params) {
    if (e.name == name) return fmt::format("{:.4g} [{:.3g}, {:.3g}]", e.value, e.lower, e.upper);
  }
  return "-";
}

std::string extrapolation_cell(const FitResult& fit) {
  return fit.extrapolation ? fmt::format("{:.1f}%", 100 * fit.extrapolation->relative_error) : "-";
}

std::string sigmoid_fit_table(const std::string& name_column,
                              const std::vector<std::pair<std::string, const RlEvalCurve*>>& rows) {
  std::string md = "| " + name_column +
                   " | A (asymptote) | B (efficiency) | C_mid | R0 | R^2 | extrapolation error |\n"
                   "|---|---|---|---|---|---|---|\n";
  for (const auto& [name, curve] : rows) {
    if (!curve->fit) {
      md += fmt::format("| {} | no fit: {} | | | | | |\n", name, curve->fit_error);
      continue;
    }
    const FitResult& f = *curve->fit;
    md += fmt::format("| {} | {} | {} | {} | {} | {:.3f} | {} |\n", name, param_cell(f, "A"), param_cell(f, "B"),
                      param_cell(f, "C_mid"), param_cell(f, "R0"), f.r_squared, extrapolation_cell(f));
  }
  md += "\nIntervals are 95% bootstrap intervals; the extrapolation error fits the first half of the "
        "points and predicts the last.\n";
  return md;
}

}  // namespace rlvr::scaling
