// A sweep file expanded into its points: each point is the base experiment
// with overrides, a stable name derived from them and its own run directory.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/config.h"
#include "sweep.pb.h"

namespace rlvr::sweep {

struct SweepPoint {
  size_t index = 0;
  std::string name;                    // e.g. "d_model-64_seed-2"
  std::vector<std::string> overrides;  // the point's own, "field=value"
  std::string run_dir;                 // absolute: <sweep dir>/points/<name>
};

struct SweepPlan {
  std::string file;                 // the sweep file, as given
  config::SweepConfig config;
  std::string base_path;            // the base experiment, resolved
  std::string base_text;
  std::string dir;                  // absolute: <output_dir>/<name>
  std::vector<SweepPoint> points;
};

// Parses, expands and checks a sweep file: every axis value and every point's
// config must be valid before anything runs. Throws ConfigError naming the
// file, line and field of the first problems.
SweepPlan load_sweep(const std::string& path);

// The point's experiment: base, the sweep's `set`, the point's overrides, and
// output.run_dir pointing at the point's directory.
config::LoadedConfig point_config(const SweepPlan& plan, const SweepPoint& point);

}  // namespace rlvr::sweep
