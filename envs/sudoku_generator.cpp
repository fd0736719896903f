// "sudoku": a small Sudoku with exactly one solution. Rows are written
// left to right, '/' between rows, '.' for a blank:
//   prompt   "12.4/34.2/2143/4.21=" (4x4, boxes of 2x2)
//   solution "1234/3412/2143/4321" (the filled grid, reference the same),
//   meta["puzzle"] the prompt without its '='.
// Verified by "grid": partial credit is the fraction of blanks filled right.
// A size-n grid holds 1..n once per row, column and box (4: 2x2 boxes, 6: 2
// rows x 3 columns, 9: 3x3). A task fills a random grid, then blanks cells in
// random order, keeping a blank only while the puzzle still has one solution,
// until it has `blanks` of them (redrawn when it cannot get there). Difficulty:
// size and blanks.
#include <bitset>
#include <string>
#include <vector>

#include "core/error.h"
#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

// Grids drawn before giving up on reaching `blanks` with a unique solution.
constexpr int kMaxGridDraws = 1000;

struct GridShape {
  int64_t size;
  int64_t box_rows;
  int64_t box_cols;
};

GridShape shape_of(int64_t size) {
  if (size == 4) return GridShape{4, 2, 2};
  if (size == 6) return GridShape{6, 2, 3};
  return GridShape{9, 3, 3};
}

// The most blanks check() allows: blanking in random order seldom gets much
// further with the solution kept unique (no unique puzzle has fewer than 4
// clues at 4x4, 8 at 6x6, 17 at 9x9), and each failure costs a redraw.
int64_t max_blanks(int64_t size) { return size == 4 ? 10 : size == 6 ? 22 : 50; }

using Grid = std::vector<int64_t>;  // row-major, 0 for a blank

// Bit d set: digit d may go in `cell` (no equal digit in its row, column or box).
uint32_t cell_candidates(const Grid& grid, const GridShape& shape, int64_t cell) {
  const int64_t n = shape.size, row = cell / n, col = cell % n;
  const int64_t box_row = row - row % shape.box_rows, box_col = col - col % shape.box_cols;
  uint32_t used = 0;
  for (int64_t i = 0; i < n; ++i) {
    used |= 1u << grid[row * n + i];
    used |= 1u << grid[i * n + col];
    used |= 1u << grid[(box_row + i / shape.box_cols) * n + box_col + i % shape.box_cols];
  }
  const uint32_t digits = ((1u << (n + 1)) - 1) & ~1u;
  return digits & ~used;
}

// Counts the completions of `grid`, stopping at `limit`, by backtracking on
// the blank with the fewest candidates. When it stops at the limit the grid
// holds the last completion found. With `rng`, candidates are tried in random
// order, so count_completions(empty grid, 1, rng) draws a random full grid.
int64_t count_completions(Grid& grid, const GridShape& shape, int64_t limit, Rng* rng) {
  int64_t best = -1;
  uint32_t best_candidates = 0;
  for (int64_t cell = 0; cell < static_cast<int64_t>(grid.size()); ++cell) {
    if (grid[cell] != 0) continue;
    const uint32_t c = cell_candidates(grid, shape, cell);
    if (c == 0) return 0;
    if (best < 0 || std::bitset<32>(c).count() < std::bitset<32>(best_candidates).count()) {
      best = cell;
      best_candidates = c;
    }
  }
  if (best < 0) return 1;
  std::vector<int64_t> digits;
  for (int64_t d = 1; d <= shape.size; ++d) {
    if (best_candidates >> d & 1u) digits.push_back(d);
  }
  if (rng != nullptr) partial_shuffle(digits, digits.size(), *rng);
  int64_t found = 0;
  for (const int64_t d : digits) {
    grid[best] = d;
    found += count_completions(grid, shape, limit - found, rng);
    if (found >= limit) return found;
  }
  grid[best] = 0;
  return found;
}

bool has_unique_solution(Grid grid, const GridShape& shape) { return count_completions(grid, shape, 2, nullptr) == 1; }

std::string grid_text(const Grid& grid, const GridShape& shape) {
  std::string text;
  for (int64_t cell = 0; cell < static_cast<int64_t>(grid.size()); ++cell) {
    if (cell > 0 && cell % shape.size == 0) text += '/';
    text += grid[cell] == 0 ? '.' : static_cast<char>('0' + grid[cell]);
  }
  return text;
}

class SudokuGenerator : public TaskGenerator {
 public:
  explicit SudokuGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"size", "grid side: 4 (2x2 boxes), 6 (2x3 boxes) or 9 (3x3 boxes)", {4, 4, 4, 4, 4, 6, 6}},
            {"blanks", "cells to fill", {2, 4, 6, 8, 10, 12, 20}}};
  }

  void check(const Difficulty& difficulty) const override {
    const int64_t size = difficulty["size"];
    if (size != 4 && size != 6 && size != 9) {
      throw ConfigError("sudoku: difficulty attribute 'size' must be 4, 6 or 9, got " + std::to_string(size));
    }
    require_in_range("sudoku", difficulty, "blanks", 1, max_blanks(size));
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const GridShape shape = shape_of(difficulty["size"]);
    const int64_t cells = shape.size * shape.size;
    for (int draw = 0; draw < kMaxGridDraws; ++draw) {
      Grid solution(cells, 0);
      count_completions(solution, shape, 1, &rng);
      std::vector<int64_t> order(cells);
      for (int64_t cell = 0; cell < cells; ++cell) order[cell] = cell;
      partial_shuffle(order, order.size(), rng);

      Grid puzzle = solution;
      int64_t blanks = 0;
      for (size_t i = 0; i < order.size() && blanks < difficulty["blanks"]; ++i) {
        puzzle[order[i]] = 0;
        if (has_unique_solution(puzzle, shape)) {
          ++blanks;
        } else {
          puzzle[order[i]] = solution[order[i]];
        }
      }
      if (blanks < difficulty["blanks"]) continue;

      Task t;
      t.meta["puzzle"] = grid_text(puzzle, shape);
      t.prompt = t.meta["puzzle"] + "=";
      t.reference = grid_text(solution, shape);
      t.solution = t.reference;
      t.verifier = "grid";
      return t;
    }
    throw Error("sudoku: no " + std::to_string(shape.size) + "x" + std::to_string(shape.size) +
                " puzzle with " + std::to_string(difficulty["blanks"]) + " blanks and one solution in " +
                std::to_string(kMaxGridDraws) + " draws; lower blanks");
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("sudoku", SudokuGenerator);

}  // namespace rlvr::envs
