#include "scaling/verification_value.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/files.h"
#include "core/stats.h"
#include "core/text_util.h"
#include "scaling/gnuplot.h"
#include "scaling/sweep_table.h"

namespace rlvr::scaling {
namespace fs = std::filesystem;
namespace {

struct PhaseKind {
  std::string label;
  bool verifier = false, label_only = false;
  int order = 0;  // tables and plots: SFT, the label-only controls, the verifiers, the rest
};

PhaseKind kind_of(const std::string& phase, const SweepPointResult& p) {
  if (phase == "sft") return {"SFT", false, true, 0};
  if (phase == "sft-control") return {"SFT-only control", false, true, 1};
  if (phase == "answer-only-control") return {"answer-only control", false, true, 2};
  if (phase == "rl") return {p.rl_algorithm.empty() ? "RL" : p.rl_algorithm, true, false, 3};
  if (phase == "random-reward-control") return {"coin-flip control", false, false, 4};
  return {phase, false, false, 5};
}

// The value the point's overrides give `field`; "" when they do not set it.
std::string override_value(const SweepPointResult& p, const std::string& field) {
  std::string value;
  for (const auto& o : p.overrides) {
    if (o.rfind(field + "=", 0) == 0) value = o.substr(field.size() + 1);
  }
  return value;
}

double numeric_value(const SweepPointResult& p, const std::string& field) {
  const std::string text = override_value(p, field);
  size_t used = 0;
  double value = NAN;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || !std::isfinite(value)) {
    throw Error("sweep point " + std::to_string(p.index) + " (" + p.name + "): analysis.compare_along '" + field +
                "' needs a number, and the point sets it to '" + text + "'");
  }
  return value;
}

SeedSpread spread(const std::vector<double>& xs) {
  SeedSpread s;
  s.seeds = static_cast<int>(xs.size());
  s.mean = mean_of(xs.data(), xs.size());
  s.std = sample_std_of(xs.data(), xs.size(), s.mean);
  return s;
}

// The highest mean of the label-only curves at `x`; NaN when none has it.
double best_label_only(const VerificationComparison& c, double x) {
  double best = NAN;
  for (const auto& curve : c.curves) {
    const auto it = curve.in_distribution.find(x);
    if (!curve.label_only || it == curve.in_distribution.end()) continue;
    best = std::isnan(best) ? it->second.mean : std::max(best, it->second.mean);
  }
  return best;
}

std::string value_text(double v) { return fmt::format("{:g}", v); }

Crossover crossover_of(const VerificationComparison& c, const PhaseCurve& v) {
  Crossover x;
  x.verifier = v.label;
  for (size_t i = 0; i < c.values.size(); ++i) {
    const auto it = v.in_distribution.find(c.values[i]);
    const double best = best_label_only(c, c.values[i]);
    if (it == v.in_distribution.end() || std::isnan(best) || it->second.mean - best < kWinMargin) continue;
    x.wins_from = c.values[i];
    x.previous = i > 0 ? c.values[i - 1] : NAN;
    for (size_t j = i + 1; j < c.values.size() && std::isnan(x.labels_needed); ++j) {
      if (best_label_only(c, c.values[j]) >= it->second.mean) x.labels_needed = c.values[j];
    }
    break;
  }
  const std::string range = value_text(c.values.front()) + " to " + value_text(c.values.back());
  if (std::isnan(x.wins_from)) {
    x.sentence = fmt::format("{} never leads every label-only phase by {:.0f} points in distribution ({} = {}).",
                             v.label, 100 * kWinMargin, c.field, range);
    return x;
  }
  const double accuracy = v.in_distribution.at(x.wins_from).mean;
  x.sentence = fmt::format("{} leads every label-only phase by at least {:.0f} points in distribution from {} = {} on",
                           v.label, 100 * kWinMargin, c.field, value_text(x.wins_from));
  x.sentence += std::isnan(x.previous) ? " (the smallest value swept)"
                                       : fmt::format(" (the curves part between {} and {})", value_text(x.previous),
                                                     value_text(x.wins_from));
  if (std::isnan(x.labels_needed)) {
    x.sentence += fmt::format("; no label-only phase reaches its {:.1f}% there within the sweep (up to {}): "
                              "a verifier is worth more than {:g}x the labels.",
                              100 * accuracy, value_text(c.values.back()), c.values.back() / x.wins_from);
  } else {
    x.sentence += fmt::format("; label-only training first reaches its {:.1f}% at {}: a verifier is worth {:g}x "
                              "the labels.",
                              100 * accuracy, value_text(x.labels_needed), x.labels_needed / x.wins_from);
  }
  return x;
}

std::string cell(const std::map<double, SeedSpread>& by_value, double x) {
  const auto it = by_value.find(x);
  if (it == by_value.end()) return "-";
  const SeedSpread& s = it->second;
  return s.seeds > 1 ? fmt::format("{:.1f} ± {:.1f} ({})", 100 * s.mean, 100 * s.std, s.seeds)
                     : fmt::format("{:.1f}", 100 * s.mean);
}

std::string table(const VerificationComparison& c, bool harder) {
  std::string md = "| " + markdown_cell(c.field) + " |";
  std::string rule = "|---|";
  std::vector<const PhaseCurve*> curves;
  for (const auto& curve : c.curves) {
    if ((harder ? curve.harder : curve.in_distribution).empty()) continue;
    curves.push_back(&curve);
    md += " " + markdown_cell(curve.label) + " |";
    rule += "---|";
  }
  md += "\n" + rule + "\n";
  for (const double x : c.values) {
    md += "| " + value_text(x) + " |";
    for (const PhaseCurve* curve : curves) md += " " + cell(harder ? curve->harder : curve->in_distribution, x) + " |";
    md += "\n";
  }
  return md;
}

bool has_harder(const VerificationComparison& c) {
  return std::any_of(c.curves.begin(), c.curves.end(), [](const PhaseCurve& p) { return !p.harder.empty(); });
}

std::string plot_split(const std::string& sweep_dir, const VerificationComparison& c, bool harder) {
  const std::string stem = harder ? "verification_value_harder" : "verification_value";
  const auto path = [&](const std::string& name) { return (fs::path(sweep_dir) / name).string(); };
  std::vector<std::string> series;
  for (size_t i = 0; i < c.curves.size(); ++i) {
    const auto& by_value = harder ? c.curves[i].harder : c.curves[i].in_distribution;
    if (by_value.empty()) continue;
    std::vector<double> xs, means, stds;
    for (const auto& [x, s] : by_value) {
      xs.push_back(x);
      means.push_back(100 * s.mean);
      stds.push_back(100 * s.std);
    }
    const std::string data = path(stem + "_" + std::to_string(i) + ".dat");
    atomic_write(data, data_columns({xs, means, stds}));
    const char* style = c.curves[i].verifier ? "lw 3" : "lw 2 dt 2";
    series.push_back(fmt::format("'{}' using 1:2:3 with yerrorlines {} pt 7 title '{}'", data, style,
                                 c.curves[i].label));
  }
  const std::string png = path(stem + ".png");
  const std::string title = harder ? "Held-out greedy accuracy on the harder split" : "Held-out greedy accuracy";
  const std::string gp = plot_header(png, title + " against " + c.field, c.field, "accuracy (%)") +
                         "set logscale x\nset yrange [0:105]\nset key outside right top\nplot " +
                         join(series, ", \\\n     ") + "\n";
  run_gnuplot(path(stem + ".gp"), gp, path(stem + "_gnuplot.log"));
  return png;
}

}  // namespace

VerificationComparison compare_phases(const SweepResults& results) {
  if (results.compare_along.empty()) throw Error("sweep " + results.name + " has no analysis.compare_along");
  VerificationComparison c;
  c.field = results.compare_along;
  // Keyed by (order, label), so the map's order is the tables' order.
  using CurveKey = std::pair<int, std::string>;
  std::map<CurveKey, PhaseCurve> curves;
  std::map<std::tuple<CurveKey, double, std::string>, std::pair<double, double>> seen;  // (curve, x, seed) -> (acc, harder)
  std::set<double> values;
  for (const auto& p : results.points) {
    if (!p.finished) continue;
    const double x = numeric_value(p, c.field);
    values.insert(x);
    const std::string seed = override_value(p, "runtime.seed");
    for (const auto& [phase, accuracy] : p.accuracy) {
      const PhaseKind kind = kind_of(phase, p);
      const CurveKey key{kind.order, kind.label};
      curves.try_emplace(key, PhaseCurve{kind.label, kind.verifier, kind.label_only, {}, {}});
      const auto harder = p.harder_accuracy.find(phase);
      seen.emplace(std::make_tuple(key, x, seed),
                   std::make_pair(accuracy, harder == p.harder_accuracy.end() ? NAN : harder->second));
    }
  }
  std::map<std::pair<CurveKey, double>, std::vector<double>> accuracies, harders;
  for (const auto& [key, acc] : seen) {
    const std::pair<CurveKey, double> curve_and_value{std::get<0>(key), std::get<1>(key)};
    accuracies[curve_and_value].push_back(acc.first);
    if (!std::isnan(acc.second)) harders[curve_and_value].push_back(acc.second);
  }
  for (const auto& [key, xs] : accuracies) curves.at(key.first).in_distribution[key.second] = spread(xs);
  for (const auto& [key, xs] : harders) curves.at(key.first).harder[key.second] = spread(xs);
  for (auto& [key, curve] : curves) c.curves.push_back(std::move(curve));
  c.values.assign(values.begin(), values.end());
  if (c.values.empty()) return c;
  for (const auto& curve : c.curves) {
    if (curve.verifier) c.crossovers.push_back(crossover_of(c, curve));
  }
  return c;
}

std::string verification_value_markdown(const VerificationComparison& c) {
  std::string md = "## The value of a verifier: held-out accuracy against " + markdown_cell(c.field) + "\n\n";
  if (c.values.empty()) return md + "No finished points.\n\n";
  md += "Every phase starts from the same SFT checkpoint of its point and the controls spend RL's training FLOPs. "
        "Greedy accuracy in %, mean ± std over seeds (their number in parentheses).\n\n"
        "In distribution:\n\n" +
        table(c, false) + "\n";
  if (has_harder(c)) md += "On the harder split:\n\n" + table(c, true) + "\n";
  for (const auto& x : c.crossovers) md += "- " + x.sentence + "\n";
  md += "\n![verification_value](verification_value.png)\n\n";
  if (has_harder(c)) md += "![verification_value_harder](verification_value_harder.png)\n\n";
  return md;
}

std::vector<std::string> plot_verification_value(const std::string& sweep_dir, const VerificationComparison& c) {
  if (c.values.empty()) return {};
  std::vector<std::string> plots = {plot_split(sweep_dir, c, false)};
  if (has_harder(c)) plots.push_back(plot_split(sweep_dir, c, true));
  return plots;
}

}  // namespace rlvr::scaling
