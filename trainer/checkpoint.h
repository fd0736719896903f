// Checkpoints: model weights, optimizer state and loop position in one torch
// archive, written atomically (temporary file, then rename) so a crash never
// leaves a torn checkpoint. Layout: RUN_DIR/checkpoints/<rank>_<phase>_<step>.pt.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>

#include "models/policy.h"
#include "trainer/loop_state.h"

namespace rlvr::trainer {

std::string checkpoint_path(const std::string& run_dir, const LoopState& state);

void save_checkpoint(const std::string& path, models::Policy& policy,
                     torch::optim::Optimizer* optimizer, const LoopState& state);

// A checkpoint read from disk once: its loop state, and the weights and
// optimizer state to restore into the objects a phase builds.
class Checkpoint {
 public:
  // Throws rlvr::Error naming the file when it cannot be read.
  static Checkpoint read(const std::string& path, torch::Device device);

  const std::string& path() const { return path_; }
  const LoopState& state() const { return state_; }
  // Throws rlvr::Error naming the file when the weights do not fit the policy.
  void restore_weights(models::Policy& policy) const;
  // Leaves the optimizer as it is when the checkpoint holds no optimizer state.
  void restore_optimizer(torch::optim::Optimizer& optimizer) const;

 private:
  std::string path_;
  LoopState state_;
  std::shared_ptr<torch::serialize::InputArchive> model_, optimizer_;
};

// Reads `path` and restores its weights into `policy`; returns its loop state.
LoopState load_checkpoint(const std::string& path, models::Policy& policy);

// Newest checkpoint of a run directory, or "" when there is none.
std::string latest_checkpoint(const std::string& run_dir);

// Deletes all but the newest `keep` checkpoints.
void prune_checkpoints(const std::string& run_dir, int keep);

}  // namespace rlvr::trainer
