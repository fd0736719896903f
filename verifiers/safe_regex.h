// SafeRegex: a regular-expression matcher whose running time is linear in the text.
//
// Verifiers match patterns against model output, which is untrusted and can be
// megabytes long. std::regex backtracks (exponential time on (a*)*b) and
// recurses per character (stack overflow on ~100 KB), so it cannot be used
// there. SafeRegex compiles the pattern to a Thompson NFA and runs it as a Pike
// VM: each match is O(program size x text length) time and O(program size)
// memory, with no recursion on the text. It only says whether the text matches:
// no captures, no back-references.
//
// Syntax. Byte-oriented: UTF-8 is a sequence of bytes, so `.` matches one byte of
// "é" (`.{2}` or `.+` matches all of it) and [é] is the set of its two bytes.
//   abc         literal bytes; the metacharacters \ . [ ( ) | * + ? { ^ $ need a
//               backslash (a lone ] or } is literal)
//   .           any byte except '\n'; [\s\S] matches any byte at all
//   \n \t \r \f \v \0 \xHH   control characters, the byte of two hex digits
//   \d \w \s    [0-9], [A-Za-z0-9_], [ \t\n\v\f\r]; \D \W \S are their complements
//   \. \\ \( ...  any escaped byte that is not a letter or digit stands for itself;
//               other escaped letters and digits (\b, \1, \p, ...) are errors
//   [abc] [^a-z]  classes: bytes, ranges, the escapes above; ^ first negates;
//               '-' is literal first, last or escaped; ']' must be escaped
//   (x) (?:x)   groups, both non-capturing
//   x|y         alternation; an empty alternative matches the empty string
//   x* x+ x?    repetition; x{m} x{m,} x{m,n} with m <= n <= 1000. A trailing ?
//               (lazy, x*?) is accepted and changes nothing: only whether the
//               text matches is computed
//   ^ $         the start and the end of the text (not of a line)
//
// Limits: groups nest at most kMaxNesting deep and the compiled program has at
// most kMaxProgramSize instructions (repetition copies what it repeats, so
// (x{100}){100} is 10,000 copies of x). A pattern beyond them, or malformed,
// throws rlvr::ConfigError "<what>: <problem> at <offset> in <pattern>", with
// the 0-based byte offset in the pattern.
//
// Compiled once, matched from any number of threads: the methods are const and
// their working memory is local to each call.
#pragma once

#include <bitset>
#include <cstdint>
#include <string_view>
#include <vector>

namespace rlvr::verifiers {

class SafeRegex {
 public:
  static constexpr int kMaxRepeat = 1000;
  static constexpr int kMaxNesting = 100;
  static constexpr size_t kMaxProgramSize = 10000;

  // `what` names the pattern in error messages (a config field, say).
  explicit SafeRegex(std::string_view pattern, std::string_view what = "pattern");

  // Whether the whole text matches.
  bool full_match(std::string_view text) const;
  // Whether some substring of the text matches.
  bool search(std::string_view text) const;

 private:
  class Compiler;

  enum class Op : uint8_t {
    kByte,       // consume one byte in `bytes`, go on at the next instruction
    kSplit,      // go on at both `target` and `other`
    kJump,       // go on at `target`
    kTextStart,  // go on at the next instruction if at the start of the text
    kTextEnd,    // go on at the next instruction if at the end of the text
    kMatch,
  };
  struct Instruction {
    Op op;
    uint32_t target = 0, other = 0;
    std::bitset<256> bytes{};
  };

  bool run(std::string_view text, bool whole) const;

  std::vector<Instruction> program_;
};

}  // namespace rlvr::verifiers
