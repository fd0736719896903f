// TaskGenerator: a seeded family of procedural tasks whose difficulty is a set
// of named attributes (digits, terms, depth, grid size...), each with one value
// per discrete level, level 0 the easiest. The procedural task library.
//
// A generator registered with RLVR_REGISTER_GENERATOR is also an environment of
// the same name: its splits come from ProceduralEnvironment, its difficulty
// from env.level and env.difficulty (resolve_difficulty below), and a
// curriculum (env.curriculum) moves it between levels. Generators are
// immutable after construction and thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config.pb.h"
#include "core/registry.h"
#include "core/rng.h"
#include "core/task.h"

namespace rlvr::envs {

struct DifficultyAttribute {
  std::string name;                // "digits"
  std::string description;         // "digits per operand"
  std::vector<int64_t> levels;     // the value at level 0, 1, ...; as many as the generator has levels
};

// The attribute values a task is drawn at.
class Difficulty {
 public:
  Difficulty() = default;
  explicit Difficulty(std::map<std::string, int64_t> values) : values_(std::move(values)) {}
  // The value of `attribute`; throws rlvr::Error when it is not one (a bug in the generator).
  int64_t operator[](const std::string& attribute) const;
  const std::map<std::string, int64_t>& values() const { return values_; }

 private:
  std::map<std::string, int64_t> values_;
};

class TaskGenerator {
 public:
  virtual ~TaskGenerator() = default;
  // Every attribute has the same number of levels (at least one).
  virtual std::vector<DifficultyAttribute> attributes() const = 0;
  // One task at `difficulty`: prompt, reference, solution (a correct completion
  // for supervised warm-up), verifier, meta; the id is set by the environment.
  // A pure function of the rng's state and the difficulty.
  virtual Task generate(Rng& rng, const Difficulty& difficulty) const = 0;
  // The difficulty when env.level is -1: the generator's own sub-message of
  // EnvConfig (arithmetic.digits ...) for those that have one; level 0 by default.
  virtual Difficulty configured_difficulty(const config::EnvConfig& config) const;
  // Throws ConfigError when a value is outside what the generator can draw.
  virtual void check(const Difficulty& difficulty) const {}

  int num_levels() const;
  Difficulty at_level(int level) const;
};

// The difficulty of `config`: env.level's values (or configured_difficulty at
// -1) with env.difficulty's settings in place. Throws ConfigError naming the
// field ("env.level", "env.difficulty[1].attribute") for a level out of range
// or an unknown attribute.
Difficulty resolve_difficulty(const TaskGenerator& generator, const config::EnvConfig& config);

using GeneratorFactory = std::function<std::unique_ptr<TaskGenerator>(const config::EnvConfig& config)>;

// Adds a generator, and the environment of the same name that serves it.
void register_generator(const std::string& name, GeneratorFactory factory);

// The generator registered as `name`; null when `name` is not a generator.
std::unique_ptr<TaskGenerator> make_generator(const std::string& name, const config::EnvConfig& config);

std::vector<std::string> generator_names();

}  // namespace rlvr::envs

// Registers `Class` (built as Class(const config::EnvConfig&)) as generator and
// environment `name`; write it once at namespace scope in the generator's .cpp.
#define RLVR_REGISTER_GENERATOR(name, Class)                                                \
  RLVR_REGISTRATION(::rlvr::envs::register_generator(                                      \
      name, [](const ::rlvr::config::EnvConfig& config)                                    \
                -> std::unique_ptr<::rlvr::envs::TaskGenerator> { return std::make_unique<Class>(config); }))
