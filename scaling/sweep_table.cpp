#include "scaling/sweep_table.h"

#include <spdlog/fmt/fmt.h>

#include <cmath>

#include "core/text_util.h"

namespace rlvr::scaling {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Empty for NaN, which stands for "this point has no such value".
std::string number(double v) { return std::isnan(v) ? "" : fmt::format("{:.10g}", v); }

std::string percent(double v) { return std::isnan(v) ? "-" : fmt::format("{:.1f}%", 100 * v); }

double accuracy_of(const SweepPointResult& p, const std::string& phase) {
  const auto it = p.accuracy.find(phase);
  return it == p.accuracy.end() ? NAN : it->second;
}

// NaN (an empty field) without a fit or when the data do not pin the parameter.
double sigmoid_param(const SweepPointResult& p, const std::string& name) {
  if (!p.rl_eval.fit || !p.rl_eval.fit->estimate(name).constrained) return NAN;
  return p.rl_eval.fit->param(name);
}

}  // namespace

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += (c == '\n' || c == '\r') ? ' ' : c;
    }
  }
  return out;
}

std::string sweep_csv(const SweepResults& results) {
  std::string csv =
      "index,name,overrides,status,error,attempts,wall_seconds,parameters,sft_steps,sft_final_loss,sft_heldout_loss,"
      "sft_accuracy,rl_accuracy,sft_control_accuracy,training_flops,rl_eval_points,sigmoid_A,sigmoid_B,"
      "sigmoid_C_mid,sigmoid_R0,sigmoid_r_squared,sigmoid_extrapolation_error,test_time_k,pass_at_k,"
      "maj_at_k,test_time_ceiling,test_time_exponent,sft_crossover_k\n";
  for (const auto& p : results.points) {
    std::vector<std::string> row = {std::to_string(p.index), p.name, join(p.overrides, "; "), p.status, p.error,
                                    std::to_string(p.attempts), number(p.wall_seconds)};
    if (p.finished) {
      const auto& fit = p.rl_eval.fit;
      const bool extrapolated = fit && fit->extrapolation;
      row.insert(row.end(),
                 {std::to_string(p.parameters), std::to_string(p.sft_steps), number(p.sft_final_loss),
                  number(p.sft_heldout_loss), number(accuracy_of(p, "sft")), number(accuracy_of(p, "rl")),
                  number(accuracy_of(p, "sft-control")), number(p.training_flops),
                  std::to_string(p.rl_eval.flops.size()), number(sigmoid_param(p, "A")),
                  number(sigmoid_param(p, "B")), number(sigmoid_param(p, "C_mid")), number(sigmoid_param(p, "R0")),
                  fit ? number(fit->r_squared) : "", extrapolated ? number(fit->extrapolation->error()) : ""});
      if (p.test_time.empty()) {
        row.insert(row.end(), 3, "");
      } else {
        const auto& last = p.test_time.back();
        row.insert(row.end(), {std::to_string(last.k), number(last.pass_at_k), number(last.maj_at_k)});
      }
      const RunTestTime& law = p.test_time_law;
      const bool has_law = law.final_policy && law.final_policy->law;
      row.insert(row.end(), {has_law ? number(1 - law.final_policy->law->law.pi0) : "",
                             has_law ? number(law.final_policy->law->law.alpha) : "",
                             law.crossover && law.crossover->measured ? std::to_string(*law.crossover->measured) : ""});
    } else {
      row.insert(row.end(), 21, "");
    }
    for (auto& field : row) field = csv_field(field);
    csv += join(row, ",") + "\n";
  }
  return csv;
}

std::string sweep_points_markdown(const SweepResults& results) {
  std::string md =
      "| # | point | overrides | status | parameters | SFT steps | final SFT loss | held-out SFT loss | greedy "
      "accuracy: SFT | RL | SFT-only control | training FLOPs | wall time |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  std::string failures;
  for (const auto& p : results.points) {
    std::vector<std::string> overrides;
    for (const auto& o : p.overrides) overrides.push_back("`" + markdown_cell(o) + "`");
    const std::string wall = std::isnan(p.wall_seconds) ? "-" : fmt::format("{:.0f} s", p.wall_seconds);
    if (p.finished) {
      md += fmt::format("| {} | {} | {} | {} | {} | {} | {:.4g} | {} | {} | {} | {} | {:.3g} | {} |\n", p.index,
                        markdown_cell(p.name), join(overrides, " "), p.status, p.parameters, p.sft_steps,
                        p.sft_final_loss,
                        std::isfinite(p.sft_heldout_loss) ? fmt::format("{:.4g}", p.sft_heldout_loss) : "-", percent(accuracy_of(p, "sft")), percent(accuracy_of(p, "rl")),
                        percent(accuracy_of(p, "sft-control")), p.training_flops, wall);
    } else {
      md += fmt::format("| {} | {} | {} | {} | | | | | | | | | {} |\n", p.index, markdown_cell(p.name),
                        join(overrides, " "), p.status, wall);
    }
    if (p.status == "failed") {
      failures += fmt::format("- {} ({}): {}\n", markdown_cell(p.name), p.index, markdown_cell(p.error));
    }
  }
  if (!failures.empty()) md += "\nFailed points:\n\n" + failures;
  return md;
}

}  // namespace rlvr::scaling
