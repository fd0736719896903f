#include "envs/task_generator.h"

#include "core/error.h"
#include "core/text_util.h"
#include "envs/procedural_environment.h"

namespace rlvr::envs {
namespace {

Registry<GeneratorFactory>& generator_registry() {
  // Built on first use: registrations run while the program starts, in no fixed order.
  static Registry<GeneratorFactory> instance("generator");
  return instance;
}

// The environment of a generator: ProceduralEnvironment's splits of the tasks
// it draws at the config's difficulty.
class GeneratedEnvironment : public ProceduralEnvironment {
 public:
  GeneratedEnvironment(const std::string& name, std::unique_ptr<TaskGenerator> generator,
                       const config::EnvConfig& config)
      : ProceduralEnvironment(name, config),
        generator_(std::move(generator)),
        difficulty_(resolve_difficulty(*generator_, config)) {
    generator_->check(difficulty_);
  }

 protected:
  Task generate(Rng& rng) const override { return generator_->generate(rng, difficulty_); }

 private:
  std::unique_ptr<TaskGenerator> generator_;
  Difficulty difficulty_;
};

std::vector<std::string> attribute_names(const TaskGenerator& generator) {
  std::vector<std::string> names;
  for (const DifficultyAttribute& a : generator.attributes()) names.push_back(a.name);
  return names;
}

}  // namespace

int64_t Difficulty::operator[](const std::string& attribute) const {
  const auto it = values_.find(attribute);
  if (it == values_.end()) throw Error("difficulty has no attribute '" + attribute + "'");
  return it->second;
}

Difficulty TaskGenerator::configured_difficulty(const config::EnvConfig&) const { return at_level(0); }

int TaskGenerator::num_levels() const {
  const auto attributes = this->attributes();
  return attributes.empty() ? 1 : static_cast<int>(attributes.front().levels.size());
}

Difficulty TaskGenerator::at_level(int level) const {
  std::map<std::string, int64_t> values;
  for (const DifficultyAttribute& a : attributes()) values[a.name] = a.levels.at(static_cast<size_t>(level));
  return Difficulty(std::move(values));
}

Difficulty resolve_difficulty(const TaskGenerator& generator, const config::EnvConfig& config) {
  const int levels = generator.num_levels();
  if (config.level() >= levels) {
    throw ConfigError("env.level: " + config.name() + " has levels 0.." + std::to_string(levels - 1) + ", got " +
                      std::to_string(config.level()));
  }
  std::map<std::string, int64_t> values =
      (config.level() < 0 ? generator.configured_difficulty(config) : generator.at_level(config.level())).values();
  const std::vector<std::string> known = attribute_names(generator);
  for (int i = 0; i < config.difficulty_size(); ++i) {
    const config::DifficultySetting& setting = config.difficulty(i);
    if (values.count(setting.attribute()) == 0) {
      const std::string guess = closest_match(setting.attribute(), known);
      throw ConfigError("env.difficulty[" + std::to_string(i) + "].attribute: " + config.name() +
                        " has no difficulty attribute '" + setting.attribute() + "' (attributes: " +
                        join(known, ", ") + ")" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    values[setting.attribute()] = setting.value();
  }
  return Difficulty(std::move(values));
}

void register_generator(const std::string& name, GeneratorFactory factory) {
  generator_registry().add(name, factory);
  register_environment(name, [name, factory](const config::EnvConfig& config) -> std::unique_ptr<Environment> {
    return std::make_unique<GeneratedEnvironment>(name, factory(config), config);
  });
}

std::unique_ptr<TaskGenerator> make_generator(const std::string& name, const config::EnvConfig& config) {
  for (const std::string& known : generator_registry().names()) {
    if (known == name) return generator_registry().get(name)(config);
  }
  return nullptr;
}

std::vector<std::string> generator_names() { return generator_registry().names(); }

}  // namespace rlvr::envs
