#include "trainer/checkpoint.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/files.h"

namespace rlvr::trainer {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kFormatVersion = 1;

std::vector<fs::path> list_checkpoints(const std::string& run_dir) {
  std::vector<fs::path> found;
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 3 && name.compare(name.size() - 3, 3, ".pt") == 0) {
      found.push_back(entry.path());
    }
  }
  // Names sort in training order: phase rank then zero-padded step.
  std::sort(found.begin(), found.end());
  return found;
}

// Checkpoints hold the phases that resume: SFT and RL.
Phase phase_of_rank(int64_t rank, const std::string& path) {
  if (rank == static_cast<int64_t>(Phase::kSft)) return Phase::kSft;
  if (rank == static_cast<int64_t>(Phase::kRl)) return Phase::kRl;
  throw Error("checkpoint '" + path + "' has phase_rank " + std::to_string(rank) +
              ", expected 0 (sft) or 1 (rl)");
}

// torch's Module::load replaces tensors whatever their shape, so a checkpoint
// of another model size would load silently; compare against the shapes the
// config built.
void load_weights_checked(torch::serialize::InputArchive& archive, models::Policy& policy,
                          const std::string& path) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> expected;
  for (const auto& p : policy.model()->named_parameters()) {
    expected.emplace_back(p.key(), p.value().sizes().vec());
  }
  policy.model()->load(archive);
  const auto loaded = policy.model()->named_parameters();
  for (const auto& [name, sizes] : expected) {
    const auto got = loaded[name].sizes().vec();
    if (got != sizes) {
      throw Error("checkpoint '" + path + "' does not fit the model: " + name + " has shape " +
                  c10::str(c10::IntArrayRef(got)) + ", the config builds " +
                  c10::str(c10::IntArrayRef(sizes)) + " (were model.* settings changed?)");
    }
  }
}

// Counters travel as one float64 tensor: the FLOP categories, then the rest.
constexpr size_t kFlopSlots = static_cast<size_t>(FlopCategory::kCount);

torch::Tensor counters_tensor(const LoopState& s) {
  std::vector<double> values(s.flops.raw().begin(), s.flops.raw().end());
  values.insert(values.end(), {static_cast<double>(s.samples), static_cast<double>(s.tokens),
                               s.sft_seconds, s.rl_seconds, static_cast<double>(s.metrics_bytes)});
  return torch::tensor(values, torch::kDouble);
}

void read_counters(const torch::Tensor& t, LoopState& s) {
  const auto c = t.to(torch::kCPU).contiguous();
  const double* v = c.data_ptr<double>();
  if (c.numel() != static_cast<int64_t>(kFlopSlots + 5)) throw Error("unexpected counter layout");
  for (size_t i = 0; i < kFlopSlots; ++i) s.flops.raw()[i] = v[i];
  s.samples = static_cast<int64_t>(v[kFlopSlots]);
  s.tokens = static_cast<int64_t>(v[kFlopSlots + 1]);
  s.sft_seconds = v[kFlopSlots + 2];
  s.rl_seconds = v[kFlopSlots + 3];
  s.metrics_bytes = static_cast<int64_t>(v[kFlopSlots + 4]);
}

}  // namespace

std::string checkpoint_path(const std::string& run_dir, const LoopState& state) {
  char name[64];
  std::snprintf(name, sizeof name, "%d_%s_%08lld.pt", static_cast<int>(state.phase),
                phase_name(state.phase),
                static_cast<long long>(state.step));
  return (fs::path(run_dir) / "checkpoints" / name).string();
}

void save_checkpoint(const std::string& path, models::Policy& policy,
                     torch::optim::Optimizer* optimizer, const LoopState& state) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model_archive;
  policy.model()->save(model_archive);
  archive.write("model", model_archive);
  if (optimizer != nullptr) {
    torch::serialize::OutputArchive optimizer_archive;
    optimizer->save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
  }
  archive.write("format_version", torch::tensor(kFormatVersion));
  archive.write("step", torch::tensor(state.step));
  archive.write("phase_rank", torch::tensor(static_cast<int64_t>(state.phase)));
  archive.write("phase_done", torch::tensor(static_cast<int64_t>(state.phase_done)));
  archive.write("counters", counters_tensor(state));
  std::vector<int64_t> curriculum{state.curriculum_level};
  curriculum.insert(curriculum.end(), state.curriculum_window.begin(), state.curriculum_window.end());
  archive.write("curriculum", torch::tensor(curriculum, torch::kInt64));
  atomic_write_with(path, [&](const std::string& tmp) { archive.save_to(tmp); });
  spdlog::debug("checkpoint written: {}", path);
}

Checkpoint Checkpoint::read(const std::string& path, torch::Device device) {
  Checkpoint c;
  c.path_ = path;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path, device);
    torch::Tensor version, step, rank, done, counters;
    archive.read("format_version", version);
    if (version.item<int64_t>() != kFormatVersion) {
      throw Error("checkpoint '" + path + "' has format version " +
                  std::to_string(version.item<int64_t>()) + ", this build reads " +
                  std::to_string(kFormatVersion));
    }
    c.model_ = std::make_shared<torch::serialize::InputArchive>();
    archive.read("model", *c.model_);
    auto optimizer = std::make_shared<torch::serialize::InputArchive>();
    if (archive.try_read("optimizer", *optimizer)) c.optimizer_ = optimizer;
    archive.read("step", step);
    archive.read("phase_rank", rank);
    archive.read("phase_done", done);
    archive.read("counters", counters);
    c.state_.step = step.item<int64_t>();
    c.state_.phase = phase_of_rank(rank.item<int64_t>(), path);
    c.state_.phase_done = done.item<int64_t>() != 0;
    read_counters(counters, c.state_);
    torch::Tensor curriculum;
    if (archive.try_read("curriculum", curriculum)) {
      const auto values = curriculum.to(torch::kCPU).contiguous();
      const int64_t* v = values.data_ptr<int64_t>();
      c.state_.curriculum_level = values.numel() > 0 ? v[0] : -1;
      for (int64_t i = 1; i < values.numel(); ++i) c.state_.curriculum_window.push_back(v[i] != 0 ? 1 : 0);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error("cannot load checkpoint '" + path + "': " + std::string(e.what()).substr(0, 300) +
                " (was it written with a different model config?)");
  }
  return c;
}

void Checkpoint::restore_weights(models::Policy& policy) const {
  try {
    load_weights_checked(*model_, policy, path_);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error("cannot load the weights of checkpoint '" + path_ + "': " +
                std::string(e.what()).substr(0, 300) + " (was it written with a different model config?)");
  }
}

void Checkpoint::restore_optimizer(torch::optim::Optimizer& optimizer) const {
  if (optimizer_ != nullptr) optimizer.load(*optimizer_);
}

LoopState load_checkpoint(const std::string& path, models::Policy& policy) {
  const Checkpoint c = Checkpoint::read(path, policy.device());
  c.restore_weights(policy);
  return c.state();
}

std::string latest_checkpoint(const std::string& run_dir) {
  const auto all = list_checkpoints(run_dir);
  return all.empty() ? "" : all.back().string();
}

void prune_checkpoints(const std::string& run_dir, int keep) {
  const auto all = list_checkpoints(run_dir);
  for (size_t i = 0; i + keep < all.size(); ++i) fs::remove(all[i]);
}

}  // namespace rlvr::trainer
