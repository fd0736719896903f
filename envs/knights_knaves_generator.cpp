// "knights_knaves": knights always tell the truth, knaves always lie; each
// person makes one statement about who is which, and exactly one assignment of
// roles makes every statement consistent with its speaker:
//   prompt   "A: B knave. B: A knight or B knight. ->"
//   solution "A=knave B=knight" (every person in order, reference the same).
// Verified by "role_assignment": partial credit is the fraction of people right.
// A statement is 1..depth atoms ("B knave") joined left to right by "and" /
// "or", the part before each further connective in parentheses:
// "(A knight or B knave) and C knight". Statements are drawn at random and the
// whole puzzle redrawn until brute force over the 2^people assignments finds
// exactly one consistent one, so the answer is unique without a hand-made
// template. Difficulty: people and depth (most atoms per statement).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

// Puzzles drawn before giving up; at every level about one draw in four is unique.
constexpr int kMaxPuzzleDraws = 100'000;

struct Atom {
  int64_t person;
  bool knight;
};

struct Statement {
  std::vector<Atom> atoms;
  std::vector<bool> is_and;  // the connective before atoms[i + 1]
};

std::string person_name(int64_t person) { return std::string(1, static_cast<char>('A' + person)); }

bool is_knight(uint32_t roles, int64_t person) { return (roles >> person & 1u) != 0; }

bool holds(const Statement& s, uint32_t roles) {
  const auto atom_holds = [roles](const Atom& a) { return is_knight(roles, a.person) == a.knight; };
  bool value = atom_holds(s.atoms[0]);
  for (size_t i = 1; i < s.atoms.size(); ++i) {
    value = s.is_and[i - 1] ? value && atom_holds(s.atoms[i]) : value || atom_holds(s.atoms[i]);
  }
  return value;
}

std::string statement_text(const Statement& s) {
  const auto atom_text = [](const Atom& a) { return person_name(a.person) + (a.knight ? " knight" : " knave"); };
  std::string text = atom_text(s.atoms[0]);
  for (size_t i = 1; i < s.atoms.size(); ++i) {
    if (i > 1) text = "(" + text + ")";
    text += (s.is_and[i - 1] ? " and " : " or ") + atom_text(s.atoms[i]);
  }
  return text;
}

Statement random_statement(Rng& rng, int64_t people, int64_t depth) {
  Statement s;
  const int64_t atoms = uniform_int(rng, 1, depth);
  for (int64_t i = 0; i < atoms; ++i) {
    if (i > 0) s.is_and.push_back(uniform_int(rng, 0, 1) == 1);
    s.atoms.push_back(Atom{uniform_int(rng, 0, people - 1), uniform_int(rng, 0, 1) == 1});
  }
  return s;
}

// The roles (bit i set: person i is a knight) under which every speaker's
// statement is true exactly when the speaker is a knight, when there is exactly one.
std::optional<uint32_t> unique_solution(const std::vector<Statement>& statements) {
  std::optional<uint32_t> found;
  const auto people = static_cast<int64_t>(statements.size());
  for (uint32_t roles = 0; roles < (1u << people); ++roles) {
    bool consistent = true;
    for (int64_t i = 0; i < people && consistent; ++i) consistent = holds(statements[i], roles) == is_knight(roles, i);
    if (!consistent) continue;
    if (found) return std::nullopt;
    found = roles;
  }
  return found;
}

class KnightsKnavesGenerator : public TaskGenerator {
 public:
  explicit KnightsKnavesGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"people", "people in the puzzle, named A, B, ...", {2, 3, 3, 4, 5}},
            {"depth", "most atoms per statement", {2, 2, 3, 3, 4}}};
  }

  void check(const Difficulty& difficulty) const override {
    require_in_range("knights_knaves", difficulty, "people", 2, 8);
    require_in_range("knights_knaves", difficulty, "depth", 1, 6);
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const int64_t people = difficulty["people"];
    for (int draw = 0; draw < kMaxPuzzleDraws; ++draw) {
      std::vector<Statement> statements;
      for (int64_t i = 0; i < people; ++i) statements.push_back(random_statement(rng, people, difficulty["depth"]));
      const std::optional<uint32_t> roles = unique_solution(statements);
      if (!roles) continue;

      std::string prompt, answer;
      for (int64_t i = 0; i < people; ++i) {
        prompt += person_name(i) + ": " + statement_text(statements[i]) + ". ";
        answer += (i > 0 ? " " : "") + person_name(i) + (is_knight(*roles, i) ? "=knight" : "=knave");
      }
      Task t;
      t.prompt = prompt + "->";
      t.reference = answer;
      t.solution = answer;
      t.verifier = "role_assignment";
      return t;
    }
    throw Error("knights_knaves: no puzzle with a unique solution in " + std::to_string(kMaxPuzzleDraws) +
                " draws of " + std::to_string(people) + " people; lower depth or people");
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("knights_knaves", KnightsKnavesGenerator);

}  // namespace rlvr::envs
