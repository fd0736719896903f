// Task: one problem an environment poses and a verifier judges. Plain data,
// shared by envs/ (which make tasks) and verifiers/ (which judge completions).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rlvr {

struct Task {
  // Stable identifier, "<env>/<split>/<index>" for procedural envs.
  std::string id;
  // Text the policy continues.
  std::string prompt;
  // The answer verifiers compare against (e.g. "132").
  std::string reference;
  // A correct completion for supervised warm-up; may be empty.
  std::string solution;
  // Name of the verifier this task needs ("exact_number", "countdown", ...).
  std::string verifier;
  // Env-specific data a verifier may need (e.g. countdown's "numbers").
  std::map<std::string, std::string> meta;
  // The prompt already tokenised for the policy (template applied), used
  // instead of encoding `prompt` when set: how a benchmark replays the exact
  // prompt ids it shares with another framework.
  std::vector<int64_t> prompt_ids;
};

}  // namespace rlvr
