// The procedural task library (envs/task_generator.h): what every generator at
// every level must hold (seeded, disjoint splits, levels that matter, errors
// naming the field), then each new generator's tasks checked by an
// independent solver written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <unordered_set>

#include "core/error.h"
#include "core/text_util.h"
#include "envs/environment.h"
#include "envs/task_generator.h"

namespace rlvr::envs {
namespace {

config::EnvConfig config_at(const std::string& name, int level, uint64_t seed = 1234) {
  config::EnvConfig config;
  config.set_name(name);
  config.set_level(level);
  config.set_seed(seed);
  config.set_eval_size(40);
  return config;
}

int num_levels(const std::string& name) { return make_generator(name, config::EnvConfig())->num_levels(); }

std::vector<Task> train_tasks(const Environment& env, size_t count) {
  std::vector<Task> tasks;
  for (size_t i = 0; i < count; ++i) tasks.push_back(env.task(Split::kTrain, i));
  return tasks;
}

bool printable_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= ' ' && c <= '~'; });
}

struct GeneratorLevel {
  std::string name;
  int level;
};

std::vector<GeneratorLevel> every_generator_level() {
  std::vector<GeneratorLevel> all;
  for (const std::string& name : generator_names()) {
    for (int level = 0; level < num_levels(name); ++level) all.push_back({name, level});
  }
  return all;
}

class EveryGeneratorLevel : public ::testing::TestWithParam<GeneratorLevel> {};

TEST_P(EveryGeneratorLevel, SameSeedSameTasksOtherSeedOtherTasks) {
  const auto [name, level] = GetParam();
  const auto a = make_environment(config_at(name, level, 7));
  const auto b = make_environment(config_at(name, level, 7));
  const auto c = make_environment(config_at(name, level, 8));
  int differ = 0;
  for (size_t i = 0; i < 50; ++i) {
    const Task x = a->task(Split::kTrain, i), y = b->task(Split::kTrain, i);
    EXPECT_EQ(x.prompt, y.prompt);
    EXPECT_EQ(x.reference, y.reference);
    EXPECT_EQ(x.solution, y.solution);
    EXPECT_EQ(x.meta, y.meta);
    differ += x.prompt != c->task(Split::kTrain, i).prompt;
  }
  ASSERT_EQ(a->size(Split::kEval), b->size(Split::kEval));
  for (size_t i = 0; i < a->size(Split::kEval); ++i) {
    EXPECT_EQ(a->task(Split::kEval, i).prompt, b->task(Split::kEval, i).prompt);
  }
  EXPECT_GT(differ, 10);
}

TEST_P(EveryGeneratorLevel, TrainAndEvalAreDisjoint) {
  const auto [name, level] = GetParam();
  const auto env = make_environment(config_at(name, level));
  std::unordered_set<std::string> eval;
  for (size_t i = 0; i < env->size(Split::kEval); ++i) eval.insert(env->task(Split::kEval, i).prompt);
  for (size_t i = 0; i < 3000; ++i) ASSERT_EQ(eval.count(env->task(Split::kTrain, i).prompt), 0u) << "train task " << i;
}

TEST_P(EveryGeneratorLevel, TasksAreCompleteAndPrintableAscii) {
  const auto [name, level] = GetParam();
  for (const Task& t : train_tasks(*make_environment(config_at(name, level)), 200)) {
    EXPECT_FALSE(t.reference.empty()) << t.prompt;
    EXPECT_FALSE(t.solution.empty()) << t.prompt;
    EXPECT_FALSE(t.verifier.empty()) << t.prompt;
    EXPECT_TRUE(printable_ascii(t.prompt)) << t.prompt;
    EXPECT_TRUE(printable_ascii(t.solution)) << t.solution;
  }
}

INSTANTIATE_TEST_SUITE_P(Generators, EveryGeneratorLevel, ::testing::ValuesIn(every_generator_level()),
                         [](const ::testing::TestParamInfo<GeneratorLevel>& info) {
                           return info.param.name + "_level" + std::to_string(info.param.level);
                         });

TEST(TaskGenerators, TheLibraryHasTheRetrofittedAndNewGenerators) {
  const std::vector<std::string> names = generator_names();
  for (const char* name : {"arithmetic", "countdown", "parity", "sort", "running_total", "word_problems",
                           "knights_knaves", "sudoku", "shortest_path", "radix_conversion"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST(TaskGenerators, EveryAttributeHasTheSameNumberOfLevels) {
  for (const std::string& name : generator_names()) {
    const auto generator = make_generator(name, config::EnvConfig());
    const std::vector<DifficultyAttribute> attributes = generator->attributes();
    ASSERT_FALSE(attributes.empty()) << name;
    std::set<std::string> names;
    for (const DifficultyAttribute& a : attributes) {
      EXPECT_EQ(static_cast<int>(a.levels.size()), generator->num_levels()) << name << " " << a.name;
      EXPECT_FALSE(a.description.empty()) << name << " " << a.name;
      EXPECT_TRUE(names.insert(a.name).second) << name << " repeats " << a.name;
    }
    EXPECT_GE(generator->num_levels(), 3) << name;
  }
}

TEST(TaskGenerators, TheTopLevelsTasksAreLongerThanLevelZeros) {
  const auto mean_length = [](const std::string& name, int level) {
    double total = 0;
    const std::vector<Task> tasks = train_tasks(*make_environment(config_at(name, level)), 200);
    for (const Task& t : tasks) total += static_cast<double>(t.prompt.size() + t.solution.size());
    return total / static_cast<double>(tasks.size());
  };
  for (const std::string& name : generator_names()) {
    EXPECT_GT(mean_length(name, num_levels(name) - 1), mean_length(name, 0)) << name;
  }
}

std::string config_error(const config::EnvConfig& config) {
  try {
    make_environment(config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(TaskGenerators, LevelOutOfRangeAndUnknownAttributeNameTheField) {
  for (const std::string& name : generator_names()) {
    const std::string level_error = config_error(config_at(name, num_levels(name)));
    EXPECT_EQ(level_error.rfind("env.level:", 0), 0u) << name << ": " << level_error;
    config::EnvConfig config = config_at(name, 0);
    config::DifficultySetting* setting = config.add_difficulty();
    setting->set_attribute("no_such_attribute");
    setting->set_value(1);
    const std::string attribute_error = config_error(config);
    EXPECT_EQ(attribute_error.rfind("env.difficulty[0].attribute:", 0), 0u) << name << ": " << attribute_error;
  }
}

TEST(TaskGenerators, ValuesOutsideWhatAGeneratorDrawsAreConfigErrors) {
  const auto with = [](const std::string& name, const std::string& attribute, int64_t value) {
    config::EnvConfig config = config_at(name, 0);
    config::DifficultySetting* setting = config.add_difficulty();
    setting->set_attribute(attribute);
    setting->set_value(value);
    return config;
  };
  EXPECT_THROW(make_environment(with("sudoku", "size", 5)), ConfigError);
  EXPECT_THROW(make_environment(with("sudoku", "blanks", 15)), ConfigError);
  EXPECT_THROW(make_environment(with("knights_knaves", "people", 9)), ConfigError);
  EXPECT_THROW(make_environment(with("shortest_path", "nodes", 11)), ConfigError);
  EXPECT_THROW(make_environment(with("shortest_path", "extra_edges", 4)), ConfigError);  // 4 nodes: 3 at most
  EXPECT_THROW(make_environment(with("radix_conversion", "bases", 1)), ConfigError);
  EXPECT_THROW(make_environment(with("running_total", "digits", 10)), ConfigError);
  EXPECT_THROW(make_environment(with("word_problems", "steps", 0)), ConfigError);
  EXPECT_THROW(make_environment(with("arithmetic", "digits", 10)), ConfigError);
  const std::string message = config_error(with("running_total", "terms", 1));
  EXPECT_NE(message.find("'terms' must be in 2..30, got 1"), std::string::npos) << message;
}

TEST(TaskGenerators, DifficultySettingsReplaceTheLevelsValue) {
  config::EnvConfig config = config_at("running_total", 0);
  config::DifficultySetting* setting = config.add_difficulty();
  setting->set_attribute("terms");
  setting->set_value(5);
  for (const Task& t : train_tasks(*make_environment(config), 50)) {
    EXPECT_EQ(std::count_if(t.prompt.begin(), t.prompt.end(), [](char c) { return c == '+' || c == '-'; }), 4)
        << t.prompt;
  }
}

// At env.level -1 a retrofitted generator draws at its own sub-message's values,
// so a config from before levels existed keeps its tasks; at a level whose
// values are the same it draws the same tasks.
TEST(TaskGenerators, LevelMinusOneReadsTheGeneratorsOwnSettings) {
  config::EnvConfig own = config_at("arithmetic", -1);
  own.mutable_arithmetic()->set_digits(4);
  const auto from_settings = make_environment(own);
  const auto from_level = make_environment(config_at("arithmetic", 3));  // digits 4
  config::EnvConfig sort = config_at("sort", -1);
  sort.mutable_sort()->set_count(7);
  sort.mutable_sort()->set_max_number(99);
  const auto sort_settings = make_environment(sort);
  const auto sort_level = make_environment(config_at("sort", 3));  // count 7, max_number 99
  for (size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(from_settings->task(Split::kTrain, i).prompt, from_level->task(Split::kTrain, i).prompt);
    EXPECT_EQ(sort_settings->task(Split::kTrain, i).prompt, sort_level->task(Split::kTrain, i).prompt);
  }
  EXPECT_EQ(make_environment(config_at("running_total", -1))->task(Split::kTrain, 3).prompt,
            make_environment(config_at("running_total", 0))->task(Split::kTrain, 3).prompt);
}

std::vector<Task> tasks_at_every_level(const std::string& name, size_t per_level) {
  std::vector<Task> tasks;
  for (int level = 0; level < num_levels(name); ++level) {
    for (Task& t : train_tasks(*make_environment(config_at(name, level)), per_level)) tasks.push_back(std::move(t));
  }
  return tasks;
}

TEST(RunningTotal, TheSolutionIsTheRunningValueAfterEachOperator) {
  for (const Task& t : tasks_at_every_level("running_total", 100)) {
    ASSERT_EQ(t.prompt.back(), '=') << t.prompt;
    std::vector<std::string> running;
    int64_t value = 0;
    size_t i = 0;
    char op = '+';
    while (i + 1 < t.prompt.size()) {
      const size_t end = t.prompt.find_first_of("+-=", i);
      const int64_t number = std::stoll(t.prompt.substr(i, end - i));
      value += op == '+' ? number : -number;
      if (i > 0) running.push_back(std::to_string(value));
      op = t.prompt[end];
      i = end + 1;
    }
    EXPECT_EQ(t.solution, join(running, ";")) << t.prompt;
    EXPECT_EQ(t.reference, running.back()) << t.prompt;
    EXPECT_EQ(t.verifier, "exact_number");
  }
}

TEST(WordProblems, TheSolutionIsTheStorysSumAndCountsStayNatural) {
  const std::map<std::string, int> sign = {{"buys", 1}, {"finds", 1}, {"gets", 1},
                                           {"gives", -1}, {"loses", -1}, {"sells", -1}};
  for (const Task& t : tasks_at_every_level("word_problems", 100)) {
    ASSERT_TRUE(ends_with(t.prompt, ". How many?")) << t.prompt;
    const std::vector<std::string> clauses = split(t.prompt.substr(0, t.prompt.size() - 11), ',');
    const std::vector<std::string> start = split(clauses[0], ' ');  // "Ann has 3 pens"
    int64_t count = std::stoll(start.at(2));
    std::string sum = start.at(2);
    for (size_t i = 1; i < clauses.size(); ++i) {
      const std::vector<std::string> words = split(trim(clauses[i]), ' ');
      ASSERT_EQ(words.size(), 2u) << t.prompt;
      const int s = sign.at(words[0]);
      count += s * std::stoll(words[1]);
      EXPECT_GE(count, 0) << t.prompt;
      sum += (s > 0 ? "+" : "-") + words[1];
    }
    EXPECT_EQ(t.reference, std::to_string(count)) << t.prompt;
    EXPECT_EQ(t.solution, sum + "=" + t.reference) << t.prompt;
  }
}

// Evaluates a knights_knaves statement ("(A knight or B knave) and C knight")
// for the roles in `knight` (person letter -> is a knight), left to right
// within each pair of parentheses.
bool statement_holds(const std::vector<std::string>& tokens, size_t& i, const std::map<char, bool>& knight) {
  const auto operand = [&]() {
    if (tokens[i] == "(") {
      ++i;
      const bool value = statement_holds(tokens, i, knight);
      ++i;  // ")"
      return value;
    }
    const bool value = knight.at(tokens[i][0]) == (tokens[i + 1] == "knight");
    i += 2;
    return value;
  };
  bool value = operand();
  while (i < tokens.size() && tokens[i] != ")") {
    const bool both = tokens[i++] == "and";
    const bool next = operand();
    value = both ? value && next : value || next;
  }
  return value;
}

std::vector<std::string> statement_tokens(std::string text) {
  std::string spaced;
  for (const char c : text) spaced += c == '(' || c == ')' ? std::string(" ") + c + " " : std::string(1, c);
  std::vector<std::string> tokens;
  for (const std::string& word : split(spaced, ' ')) {
    if (!word.empty()) tokens.push_back(word);
  }
  return tokens;
}

TEST(KnightsKnaves, ExactlyOneAssignmentIsConsistentAndItIsTheReference) {
  for (const Task& t : tasks_at_every_level("knights_knaves", 60)) {
    ASSERT_TRUE(ends_with(t.prompt, " ->")) << t.prompt;
    std::map<char, std::vector<std::string>> said;
    for (const std::string& sentence : split(t.prompt.substr(0, t.prompt.size() - 3), '.')) {
      const std::string s = trim(sentence);
      if (s.empty()) continue;
      ASSERT_EQ(s.substr(1, 2), ": ") << t.prompt;
      said[s[0]] = statement_tokens(s.substr(3));
    }
    std::vector<std::string> consistent;
    for (uint32_t roles = 0; roles < (1u << said.size()); ++roles) {
      std::map<char, bool> knight;
      std::string answer;
      for (const auto& [person, tokens] : said) {
        knight[person] = (roles >> (person - 'A') & 1u) != 0;
        answer += std::string(answer.empty() ? "" : " ") + person + (knight[person] ? "=knight" : "=knave");
      }
      const bool ok = std::all_of(said.begin(), said.end(), [&](const auto& entry) {
        size_t i = 0;
        return statement_holds(entry.second, i, knight) == knight.at(entry.first);
      });
      if (ok) consistent.push_back(answer);
    }
    ASSERT_EQ(consistent.size(), 1u) << t.prompt;
    EXPECT_EQ(t.reference, consistent[0]) << t.prompt;
    EXPECT_EQ(t.solution, t.reference);
    EXPECT_EQ(t.verifier, "role_assignment");
  }
}

struct SudokuGrid {
  int64_t n, box_rows, box_cols;
  std::vector<int> cells;  // row-major, 0 blank

  static SudokuGrid parse(const std::string& text) {
    const std::vector<std::string> rows = split(text, '/');
    SudokuGrid s{static_cast<int64_t>(rows.size()), rows.size() == 9 ? 3 : 2, rows.size() == 4 ? 2 : 3, {}};
    for (const std::string& row : rows) {
      EXPECT_EQ(static_cast<int64_t>(row.size()), s.n) << text;
      for (const char c : row) s.cells.push_back(c == '.' ? 0 : c - '0');
    }
    return s;
  }

  bool fits(int64_t cell, int digit) const {
    const int64_t r = cell / n, c = cell % n, br = r - r % box_rows, bc = c - c % box_cols;
    for (int64_t i = 0; i < n; ++i) {
      if (i != c && cells[r * n + i] == digit) return false;
      if (i != r && cells[i * n + c] == digit) return false;
      const int64_t other = (br + i / box_cols) * n + bc + i % box_cols;
      if (other != cell && cells[other] == digit) return false;
    }
    return true;
  }

  // Completions of the blanks, counted up to `limit` (plain backtracking, first blank first).
  int count_solutions(int limit) {
    const auto blank = std::find(cells.begin(), cells.end(), 0);
    if (blank == cells.end()) return 1;
    const int64_t cell = blank - cells.begin();
    int found = 0;
    for (int d = 1; d <= n && found < limit; ++d) {
      if (!fits(cell, d)) continue;
      cells[cell] = d;
      found += count_solutions(limit - found);
    }
    cells[cell] = 0;
    return found;
  }
};

TEST(Sudoku, TheSolutionIsTheOneCompletionOfThePuzzle) {
  for (int level = 0; level < num_levels("sudoku"); ++level) {
    const auto generator = make_generator("sudoku", config::EnvConfig());
    const Difficulty difficulty = generator->at_level(level);
    for (const Task& t : train_tasks(*make_environment(config_at("sudoku", level)), 40)) {
      EXPECT_EQ(t.prompt, t.meta.at("puzzle") + "=");
      SudokuGrid puzzle = SudokuGrid::parse(t.meta.at("puzzle"));
      const SudokuGrid solution = SudokuGrid::parse(t.reference);
      ASSERT_EQ(puzzle.n, difficulty["size"]) << t.prompt;
      EXPECT_EQ(std::count(puzzle.cells.begin(), puzzle.cells.end(), 0), difficulty["blanks"]) << t.prompt;
      for (size_t cell = 0; cell < solution.cells.size(); ++cell) {
        EXPECT_TRUE(solution.fits(cell, solution.cells[cell])) << t.reference;
        if (puzzle.cells[cell] != 0) {
          EXPECT_EQ(puzzle.cells[cell], solution.cells[cell]) << t.prompt;
        }
      }
      EXPECT_EQ(puzzle.count_solutions(2), 1) << t.prompt;
      EXPECT_EQ(t.verifier, "grid");
    }
  }
}

// The most blanks check() allows for each size are within reach of the
// blank-while-unique drawing (which redraws a grid that cannot get there).
TEST(Sudoku, TheMostBlanksOfEverySizeCanBeDrawn) {
  for (const auto& [size, blanks] : std::vector<std::pair<int64_t, int64_t>>{{4, 10}, {6, 22}, {9, 50}}) {
    config::EnvConfig config = config_at("sudoku", 0);
    const std::vector<std::pair<std::string, int64_t>> settings = {{"size", size}, {"blanks", blanks}};
    for (const auto& [attribute, value] : settings) {
      config::DifficultySetting* setting = config.add_difficulty();
      setting->set_attribute(attribute);
      setting->set_value(value);
    }
    for (const Task& t : train_tasks(*make_environment(config), 5)) {
      EXPECT_EQ(std::count(t.prompt.begin(), t.prompt.end(), '.'), blanks) << t.prompt;
    }
    config.mutable_difficulty(1)->set_value(blanks + 1);
    EXPECT_THROW(make_environment(config), ConfigError) << size << "x" << size << " with " << blanks + 1 << " blanks";
  }
}

TEST(ShortestPath, TheReferenceIsAShortestPathOfAConnectedGraph) {
  for (int level = 0; level < num_levels("shortest_path"); ++level) {
    const Difficulty difficulty = make_generator("shortest_path", config::EnvConfig())->at_level(level);
    const int64_t n = difficulty["nodes"];
    for (const Task& t : train_tasks(*make_environment(config_at("shortest_path", level)), 100)) {
      // Floyd-Warshall over the listed edges.
      std::vector<std::vector<int64_t>> distance(n, std::vector<int64_t>(n, LLONG_MAX / 4));
      std::map<std::pair<int64_t, int64_t>, int64_t> weight;
      for (int64_t v = 0; v < n; ++v) distance[v][v] = 0;
      const std::vector<std::string> edges = split(t.meta.at("edges"), ' ');
      EXPECT_EQ(static_cast<int64_t>(edges.size()), n - 1 + difficulty["extra_edges"]) << t.prompt;
      for (const std::string& edge : edges) {
        const int64_t u = edge[0] - '0', v = edge[2] - '0', w = std::stoll(edge.substr(4));
        ASSERT_LT(u, v) << edge;
        EXPECT_GE(w, 1);
        EXPECT_LE(w, difficulty["max_weight"]);
        distance[u][v] = distance[v][u] = weight[{u, v}] = weight[{v, u}] = w;
      }
      for (int64_t k = 0; k < n; ++k) {
        for (int64_t i = 0; i < n; ++i) {
          for (int64_t j = 0; j < n; ++j) distance[i][j] = std::min(distance[i][j], distance[i][k] + distance[k][j]);
        }
      }
      for (int64_t v = 1; v < n; ++v) EXPECT_LT(distance[0][v], LLONG_MAX / 4) << "disconnected: " << t.prompt;

      const std::vector<std::string> path = split(t.reference, '-');
      EXPECT_TRUE(ends_with(t.prompt, " " + path.front() + ">" + path.back() + "=")) << t.prompt;
      int64_t length = 0;
      for (size_t i = 1; i < path.size(); ++i) length += weight.at({std::stoll(path[i - 1]), std::stoll(path[i])});
      EXPECT_EQ(length, distance[std::stoll(path.front())][std::stoll(path.back())]) << t.prompt << " " << t.reference;
      EXPECT_EQ(t.verifier, "path");
    }
  }
}

TEST(RadixConversion, TheReferenceIsTheNumberInTheTargetBase) {
  std::set<std::string> bases;
  for (const Task& t : tasks_at_every_level("radix_conversion", 200)) {
    const size_t underscore = t.prompt.find('_'), arrow = t.prompt.find("->");
    ASSERT_NE(arrow, std::string::npos) << t.prompt;
    const int from = std::stoi(t.prompt.substr(underscore + 1, arrow - underscore - 1));
    const int to = std::stoi(t.prompt.substr(arrow + 2));
    EXPECT_NE(from, to) << t.prompt;
    EXPECT_EQ(t.meta.at("base"), std::to_string(to));
    EXPECT_EQ(std::stoll(t.reference, nullptr, to), std::stoll(t.prompt.substr(0, underscore), nullptr, from))
        << t.prompt;
    EXPECT_TRUE(t.reference == "0" || t.reference[0] != '0') << t.reference;
    EXPECT_EQ(t.reference.find_first_of("abcdef"), std::string::npos) << "upper-case digits: " << t.reference;
    bases.insert(t.meta.at("base"));
  }
  EXPECT_EQ(bases.size(), 15u) << "the top level uses every base 2..16";
}

// The order that makes the levels learnable one after another: powers of two
// (digit groups map to digit groups) before the bases that need arithmetic.
TEST(RadixConversion, PowersOfTwoComeBeforeBasesThatNeedArithmetic) {
  const auto bases_at = [](int level) {
    std::set<std::string> bases;
    for (const Task& t : train_tasks(*make_environment(config_at("radix_conversion", level)), 300)) {
      bases.insert(t.meta.at("base"));
    }
    return bases;
  };
  EXPECT_EQ(bases_at(0), (std::set<std::string>{"2", "16"}));
  EXPECT_EQ(bases_at(2), (std::set<std::string>{"2", "4", "8", "16"}));
  EXPECT_EQ(bases_at(3).count("10"), 1u);
}

// The difficulty table measures parity per level; if one answer were more
// common at a level, a model that always gave it would look as if it had
// learned that level. Each level sets more ones among more bits, and its
// answers split evenly.
TEST(Parity, LevelsCountFurtherAndTheirAnswersSplitEvenly) {
  int64_t previous_most = 0;
  for (int level = 0; level < num_levels("parity"); ++level) {
    int64_t most = 0, odd = 0;
    const int n = 4000;
    for (const Task& t : train_tasks(*make_environment(config_at("parity", level)), n)) {
      most = std::max<int64_t>(most, std::count(t.prompt.begin(), t.prompt.end(), '1'));
      odd += t.reference == "1";
    }
    EXPECT_GT(most, previous_most) << "level " << level;
    previous_most = most;
    // Binomial(4000, 0.5): sd 32; five of them.
    EXPECT_NEAR(odd, n / 2, 160) << "level " << level;
  }
}

}  // namespace
}  // namespace rlvr::envs
