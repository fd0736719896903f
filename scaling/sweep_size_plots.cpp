#include "scaling/sweep_size_plots.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <map>

#include "core/files.h"
#include "core/text_util.h"
#include "scaling/gnuplot.h"
#include "scaling/pass_at_k.h"

namespace rlvr::scaling {
namespace fs = std::filesystem;
namespace {

// The finished points of each size, smallest size first.
std::map<int64_t, std::vector<const SweepPointResult*>> points_by_size(const SweepResults& results) {
  std::map<int64_t, std::vector<const SweepPointResult*>> sizes;
  for (const auto& p : results.points) {
    if (p.finished && p.parameters > 0) sizes[p.parameters].push_back(&p);
  }
  return sizes;
}

// Mean unbiased pass@k over the tasks of each outcome table, then over the
// tables, at k = 1, 2, 4, ... up to the fewest samples any task has. Empty
// when no table has outcomes.
std::vector<std::pair<double, double>> seed_mean_pass_at_k(const std::vector<const PolicyTestTime*>& policies) {
  std::vector<std::vector<TaskCounts>> tables;
  int64_t max_k = 0;
  for (const PolicyTestTime* p : policies) {
    tables.push_back(counts_of(p->outcomes));
    for (const TaskCounts& task : tables.back()) max_k = max_k == 0 ? task.samples : std::min(max_k, task.samples);
  }
  std::vector<std::pair<double, double>> curve;
  for (int64_t k = 1; k <= max_k; k *= 2) {
    double sum = 0;
    for (const auto& table : tables) {
      double tasks = 0;
      for (const TaskCounts& task : table) tasks += pass_at_k(task.samples, task.correct, k);
      sum += tasks / static_cast<double>(table.size());
    }
    curve.emplace_back(static_cast<double>(k), sum / static_cast<double>(tables.size()));
  }
  return curve;
}

// gnuplot's title clause: the size's name on its first series, none after.
std::string title(bool first, const std::string& text) {
  return first ? "title '" + text + "'" : "notitle";
}

std::vector<std::string> rl_series(const std::string& data_dir,
                                   const std::map<int64_t, std::vector<const SweepPointResult*>>& sizes,
                                   std::string& metric) {
  std::vector<std::string> series;
  int colour = 0;
  for (const auto& [parameters, points] : sizes) {
    ++colour;
    bool first = true;
    for (const SweepPointResult* p : points) {
      const RlEvalCurve& curve = p->rl_eval;
      if (curve.flops.empty()) continue;
      metric = curve.metric;
      const std::string tag = std::to_string(p->index);
      const std::string points_file = (fs::path(data_dir) / ("rl_" + tag + ".dat")).string();
      atomic_write(points_file, data_columns({curve.flops, curve.accuracy}));
      series.push_back(fmt::format("'{}' using 1:2 with points pt 7 ps 0.8 lc {} {}", points_file, colour,
                                   title(first, short_count(parameters) + " parameters")));
      first = false;
      if (!curve.fit) continue;
      const auto [lo, hi] = std::minmax_element(curve.flops.begin(), curve.flops.end());
      const std::string fit_file = (fs::path(data_dir) / ("rl_fit_" + tag + ".dat")).string();
      const FitResult& fit = *curve.fit;
      atomic_write(fit_file, sampled_curve(*lo, *hi, [&](double x) { return fit.predict(x); }));
      series.push_back(fmt::format("'{}' using 1:2 with lines lw 2 lc {} notitle", fit_file, colour));
    }
  }
  return series;
}

std::vector<std::string> test_time_series(const std::string& data_dir,
                                          const std::map<int64_t, std::vector<const SweepPointResult*>>& sizes) {
  std::vector<std::string> series;
  int colour = 0;
  for (const auto& [parameters, points] : sizes) {
    ++colour;
    std::vector<const PolicyTestTime*> finals, sfts;
    for (const SweepPointResult* p : points) {
      const RunTestTime& t = p->test_time_law;
      if (t.final_policy && !t.final_policy->outcomes.empty()) finals.push_back(&*t.final_policy);
      if (t.sft && !t.sft->outcomes.empty()) sfts.push_back(&*t.sft);
    }
    const std::string name = short_count(parameters);
    for (const auto& [policies, what, dash] :
         {std::tuple{&finals, std::string("RL"), 1}, std::tuple{&sfts, std::string("SFT"), 2}}) {
      const auto curve = seed_mean_pass_at_k(*policies);
      if (curve.empty()) continue;
      std::vector<double> ks, pass;
      for (const auto& [k, p] : curve) {
        ks.push_back(k);
        pass.push_back(p);
      }
      const std::string file =
          (fs::path(data_dir) / fmt::format("pass_at_k_{}_{}.dat", parameters, what)).string();
      atomic_write(file, data_columns({ks, pass}));
      series.push_back(fmt::format("'{}' using 1:2 with linespoints lw 2 dt {} lc {} title '{} {} ({} seeds)'", file,
                                   dash, colour, name, what, policies->size()));
    }
  }
  return series;
}

}  // namespace

std::string short_count(int64_t parameters) {
  const auto n = static_cast<double>(parameters);
  if (n >= 1e9) return fmt::format("{:.3g}B", n / 1e9);
  if (n >= 1e6) return fmt::format("{:.3g}M", n / 1e6);
  if (n >= 1e3) return fmt::format("{:.3g}K", n / 1e3);
  return std::to_string(parameters);
}

std::vector<std::string> plot_by_size(const std::string& sweep_dir, const SweepResults& results) {
  const auto sizes = points_by_size(results);
  if (sizes.empty()) return {};
  const std::string data_dir = (fs::path(sweep_dir) / "by_size").string();
  fs::create_directories(data_dir);
  const auto png = [&](const std::string& name) { return (fs::path(sweep_dir) / name).string(); };

  std::string gp;
  std::vector<std::string> drawn;
  std::string metric;
  const std::vector<std::string> rl = rl_series(data_dir, sizes, metric);
  if (!rl.empty()) {
    const std::string ylabel = metric == "eval/pass@1" ? "sampled pass@1" : "greedy accuracy";
    gp += plot_header(png("rl_by_size.png"), "Post-training: " + ylabel + " against RL compute, by model size",
                      "RL FLOPs", ylabel) +
          "set logscale x\nset format x '1e%L'\nset key left top\nplot " + join(rl, ", \\\n     ") + "\n";
    drawn.push_back(png("rl_by_size.png"));
  }
  const std::vector<std::string> tt = test_time_series(data_dir, sizes);
  if (!tt.empty()) {
    gp += plot_header(png("test_time_by_size.png"),
                      "Test-time: pass@k against samples k, by model size (mean over seeds)", "k samples",
                      "pass@k") +
          "set logscale x 2\nset yrange [0:1]\nset key outside right top\nplot " + join(tt, ", \\\n     ") + "\n";
    drawn.push_back(png("test_time_by_size.png"));
  }
  if (!drawn.empty()) run_gnuplot(png("by_size.gp"), gp, png("by_size_gnuplot.log"));
  return drawn;
}

}  // namespace rlvr::scaling
