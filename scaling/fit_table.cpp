#include "scaling/fit_table.h"

#include <spdlog/fmt/fmt.h>

namespace rlvr::scaling {

std::string param_cell(const FitResult& fit, const std::string& name) {
  for (const auto& e : fit.params) {
    if (e.name != name) continue;
    if (!e.constrained) return "unconstrained";
    if (std::isnan(e.lower)) return fmt::format("{:.4g}", e.value);
    return fmt::format("{:.4g} [{:.3g}, {:.3g}]", e.value, e.lower, e.upper);
  }
  return "-";
}

std::string extrapolation_cell(const FitResult& fit) {
  if (!fit.extrapolation) return "-";
  const ExtrapolationCheck& e = *fit.extrapolation;
  const bool has_band = !std::isnan(e.lower);
  // A bounded metric's error reads best in points (percentage points for an
  // accuracy); an unbounded one's relative to the observation.
  if (fit.range) {
    const double scale = 100 / (fit.range->upper - fit.range->lower);
    const std::string band =
        has_band ? fmt::format(" [{:.1f}, {:.1f}]", scale * e.lower, scale * e.upper) : "";
    return fmt::format("{:+.1f} points: predicted {:.1f}{}, observed {:.1f}", scale * e.error(),
                       scale * e.predicted, band, scale * e.observed);
  }
  const std::string band = has_band ? fmt::format(" [{:.4g}, {:.4g}]", e.lower, e.upper) : "";
  return fmt::format("{:.1f}%: predicted {:.4g}{}, observed {:.4g}", 100 * e.relative_error, e.predicted,
                     band, e.observed);
}

std::string sigmoid_fit_table(const std::string& name_column,
                              const std::vector<std::pair<std::string, const RlEvalCurve*>>& rows) {
  std::string md = "| " + name_column +
                   " | R | A (asymptote) | B (efficiency) | C_mid | R0 | R^2 | points | extrapolation from the first half |\n"
                   "|---|---|---|---|---|---|---|---|---|\n";
  std::string notes;
  for (const auto& [name, curve] : rows) {
    const std::string metric = curve->metric == "eval/pass@1" ? "pass@1" : "greedy";
    if (!curve->fit) {
      md += fmt::format("| {} | {} | no fit: {} | | | | | {} | |\n", name, metric, curve->fit_error,
                        curve->flops.size());
      continue;
    }
    const FitResult& f = *curve->fit;
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {:.3f} | {} | {} |\n", name, metric, param_cell(f, "A"),
                      param_cell(f, "B"), param_cell(f, "C_mid"), param_cell(f, "R0"), f.r_squared,
                      f.num_points, extrapolation_cell(f));
    if (!f.constrained) notes += fmt::format("- {}: unconstrained, {}.\n", name, f.unconstrained_reason);
  }
  md += "\nR is sampled pass@1 (weighted by its standard errors) or greedy accuracy. A is bounded to [R0, 1] "
        "and R0 is R measured before RL. Intervals are 95% "
        "residual-bootstrap intervals; \"unconstrained\" marks a parameter the data do not pin. The "
        "extrapolation fits the evaluations in the first half of the RL compute and predicts the last, "
        "in accuracy points with the fit's 95% band.\n";
  if (!notes.empty()) md += "\n" + notes;
  return md;
}

}  // namespace rlvr::scaling
