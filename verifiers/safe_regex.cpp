// SafeRegex (safe_regex.h): a recursive-descent compiler from the pattern to a
// Thompson NFA program, and the Pike VM that runs it over the text. The
// compiler recurses on the pattern's groups (at most kMaxNesting deep), never
// on the text; the VM keeps one list of live instructions per text position.
#include "verifiers/safe_regex.h"

#include <string>
#include <utility>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::verifiers {

// Compiles a pattern into a program of Instructions. Code is built in pieces
// whose jump targets are indices into the piece itself, an index equal to the
// piece's size meaning "what follows it"; appending a piece shifts its targets.
class SafeRegex::Compiler {
 public:
  Compiler(std::string_view pattern, std::string_view what) : pattern_(pattern), what_(what) {}

  std::vector<Instruction> compile() {
    Code code = alternation(0);
    if (pos_ < pattern_.size()) fail("unbalanced ')'", pos_);  // alternation stops only at ')'
    check_size(code.size() + 1, 0);
    code.push_back({.op = Op::kMatch});
    return code;
  }

 private:
  using Code = std::vector<Instruction>;
  using Bytes = std::bitset<256>;

  // One item of a class or one escape: a set of bytes, and the byte when it is one.
  struct ByteItem {
    Bytes bytes;
    int single = -1;
  };

  struct Bounds {
    size_t min = 0;
    size_t max = 0;
    bool unbounded = false;
  };

  [[noreturn]] void fail(const std::string& problem, size_t at) const {
    throw ConfigError(std::string(what_) + ": " + problem + " at " + std::to_string(at) + " in " + quote(pattern_));
  }

  void check_size(size_t size, size_t at) const {
    if (size > kMaxProgramSize) {
      fail("the pattern compiles to more than " + std::to_string(kMaxProgramSize) +
               " instructions (repetition copies what it repeats)",
           at);
    }
  }

  bool at_end() const { return pos_ == pattern_.size(); }
  bool next_is(char c) const { return !at_end() && pattern_[pos_] == c; }
  static bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

  static Instruction byte_set(const Bytes& bytes) { return {.op = Op::kByte, .bytes = bytes}; }
  static Instruction split(size_t target, size_t other) {
    return {.op = Op::kSplit, .target = static_cast<uint32_t>(target), .other = static_cast<uint32_t>(other)};
  }
  static Instruction jump(size_t target) { return {.op = Op::kJump, .target = static_cast<uint32_t>(target)}; }

  static void append(Code& code, const Code& piece) {
    const auto offset = static_cast<uint32_t>(code.size());
    for (Instruction in : piece) {
      if (in.op == Op::kSplit || in.op == Op::kJump) in.target += offset;
      if (in.op == Op::kSplit) in.other += offset;
      code.push_back(in);
    }
  }

  // branch ('|' branch)*: Split(first, rest) first Jump(end) rest.
  Code alternation(int depth) {
    std::vector<Code> branches{sequence(depth)};
    while (next_is('|')) {
      ++pos_;
      branches.push_back(sequence(depth));
    }
    Code code = std::move(branches.back());
    for (size_t i = branches.size() - 1; i-- > 0;) {
      const Code& branch = branches[i];
      check_size(branch.size() + 2 + code.size(), pos_);
      Code both{split(1, branch.size() + 2)};
      append(both, branch);
      both.push_back(jump(branch.size() + 2 + code.size()));
      append(both, code);
      code = std::move(both);
    }
    return code;
  }

  Code sequence(int depth) {
    Code code;
    while (!at_end() && pattern_[pos_] != '|' && pattern_[pos_] != ')') {
      const size_t start = pos_;
      const Code item = repeated(depth);
      check_size(code.size() + item.size(), start);
      append(code, item);
    }
    return code;
  }

  // An atom and its quantifier, if any.
  Code repeated(int depth) {
    Code item = atom(depth);
    if (at_end() || !is_quantifier(pattern_[pos_])) return item;
    const size_t at = pos_;
    const Bounds bounds = quantifier();
    if (next_is('?')) ++pos_;  // lazy: matches the same texts
    if (!at_end() && is_quantifier(pattern_[pos_])) fail("a quantifier cannot follow another quantifier", pos_);
    return repeat(item, bounds, at);
  }

  Bounds quantifier() {
    const size_t at = pos_;
    switch (pattern_[pos_++]) {
      case '*': return {.min = 0, .unbounded = true};
      case '+': return {.min = 1, .unbounded = true};
      case '?': return {.min = 0, .max = 1};
      default: break;
    }
    Bounds bounds;
    bounds.min = bounds.max = count(at);
    if (next_is(',')) {
      ++pos_;
      bounds.unbounded = next_is('}');
      if (!bounds.unbounded) bounds.max = count(at);
    }
    if (!next_is('}')) fail("unclosed '{'", at);
    ++pos_;
    if (!bounds.unbounded && bounds.min > bounds.max) fail("repetition {m,n} with m > n", at);
    return bounds;
  }

  size_t count(size_t brace) {
    if (at_end() || !is_digit(pattern_[pos_])) {
      fail("'{' must start a repetition {m}, {m,} or {m,n} (write \\{ for a literal brace)", brace);
    }
    size_t value = 0;
    while (!at_end() && is_digit(pattern_[pos_])) {
      value = value * 10 + static_cast<size_t>(pattern_[pos_++] - '0');
      if (value > kMaxRepeat) fail("repetition count above " + std::to_string(kMaxRepeat), brace);
    }
    return value;
  }

  // min copies of the item, then either a loop (unbounded) or max - min
  // optional copies that each may skip to the end.
  Code repeat(const Code& item, const Bounds& bounds, size_t at) const {
    const size_t n = item.size();
    const size_t size = !bounds.unbounded ? bounds.min * n + (bounds.max - bounds.min) * (n + 1)
                        : bounds.min == 0 ? n + 2
                                          : bounds.min * n + 1;
    check_size(size, at);
    Code code;
    for (size_t i = 1; i < bounds.min; ++i) append(code, item);
    if (bounds.unbounded && bounds.min == 0) {  // Split(item, end) item Jump(split)
      code.push_back(split(1, n + 2));
      append(code, item);
      code.push_back(jump(0));
      return code;
    }
    if (bounds.unbounded) {  // item Split(item, end)
      const size_t start = code.size();
      append(code, item);
      code.push_back(split(start, start + n + 1));
      return code;
    }
    if (bounds.min > 0) append(code, item);
    const size_t end = code.size() + (bounds.max - bounds.min) * (n + 1);
    for (size_t i = bounds.min; i < bounds.max; ++i) {
      code.push_back(split(code.size() + 1, end));
      append(code, item);
    }
    return code;
  }

  Code atom(int depth) {
    const size_t at = pos_;
    const char c = pattern_[pos_];
    if (is_quantifier(c)) fail(std::string("nothing to repeat before '") + c + "'", at);
    switch (c) {
      case '(': return group(depth);
      case '[': return {byte_set(char_class())};
      case '\\': return {byte_set(escape().bytes)};
      case '.': ++pos_; return {byte_set(Bytes().set().reset('\n'))};
      case '^': ++pos_; return {{.op = Op::kTextStart}};
      case '$': ++pos_; return {{.op = Op::kTextEnd}};
      default: ++pos_; return {byte_set(Bytes().set(static_cast<unsigned char>(c)))};
    }
  }

  Code group(int depth) {
    const size_t open = pos_++;
    if (next_is('?')) {
      if (pattern_.substr(pos_, 2) != "?:") fail("unsupported group syntax '(?' (only (?:...) is known)", open);
      pos_ += 2;
    }
    if (depth + 1 > kMaxNesting) fail("groups nested deeper than " + std::to_string(kMaxNesting), open);
    Code inner = alternation(depth + 1);
    if (!next_is(')')) fail("unclosed '('", open);
    ++pos_;
    return inner;
  }

  Bytes char_class() {
    const size_t open = pos_++;
    const bool negated = next_is('^');
    if (negated) ++pos_;
    if (next_is(']')) fail("empty character class (write \\] for a literal ])", open);
    Bytes bytes;
    while (!next_is(']')) {
      if (at_end()) fail("unclosed '['", open);
      const size_t item_at = pos_;
      const ByteItem low = class_item();
      if (pos_ + 1 < pattern_.size() && pattern_[pos_] == '-' && pattern_[pos_ + 1] != ']') {
        ++pos_;
        const ByteItem high = class_item();
        const std::string range(pattern_.substr(item_at, pos_ - item_at));
        if (low.single < 0 || high.single < 0) fail("range '" + range + "' has a class escape as an end", item_at);
        if (low.single > high.single) fail("reversed range '" + range + "'", item_at);
        for (int b = low.single; b <= high.single; ++b) bytes.set(static_cast<size_t>(b));
      } else {
        bytes |= low.bytes;
      }
    }
    ++pos_;
    return negated ? ~bytes : bytes;
  }

  ByteItem class_item() {
    if (pattern_[pos_] == '\\') return escape();
    return single(static_cast<unsigned char>(pattern_[pos_++]));
  }

  static ByteItem single(unsigned char byte) { return {.bytes = Bytes().set(byte), .single = byte}; }

  static Bytes bytes_where(bool (*in_class)(char)) {
    Bytes bytes;
    for (int b = 0; b < 256; ++b) bytes[static_cast<size_t>(b)] = in_class(static_cast<char>(b));
    return bytes;
  }

  static bool is_word(char c) { return is_alnum(c) || c == '_'; }

  ByteItem escape() {
    const size_t at = pos_++;
    if (at_end()) fail("trailing '\\'", at);
    const char c = pattern_[pos_++];
    switch (c) {
      case 'n': return single('\n');
      case 't': return single('\t');
      case 'r': return single('\r');
      case 'f': return single('\f');
      case 'v': return single('\v');
      case '0': return single('\0');
      case 'x': return hex_byte(at);
      case 'd': return {.bytes = bytes_where(is_digit)};
      case 'D': return {.bytes = ~bytes_where(is_digit)};
      case 'w': return {.bytes = bytes_where(is_word)};
      case 'W': return {.bytes = ~bytes_where(is_word)};
      case 's': return {.bytes = bytes_where(is_space)};
      case 'S': return {.bytes = ~bytes_where(is_space)};
      default: break;
    }
    if (is_alnum(c)) fail(std::string("unsupported escape '\\") + c + "'", at);
    return single(static_cast<unsigned char>(c));
  }

  ByteItem hex_byte(size_t at) {
    const auto digit = [](char c) {
      if (is_digit(c)) return c - '0';
      const char lower = static_cast<char>(c | 0x20);
      return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    };
    if (pos_ + 2 > pattern_.size() || digit(pattern_[pos_]) < 0 || digit(pattern_[pos_ + 1]) < 0) {
      fail("'\\x' must be followed by two hex digits", at);
    }
    const int byte = digit(pattern_[pos_]) * 16 + digit(pattern_[pos_ + 1]);
    pos_ += 2;
    return single(static_cast<unsigned char>(byte));
  }

  std::string_view pattern_;
  std::string_view what_;
  size_t pos_ = 0;
};

SafeRegex::SafeRegex(std::string_view pattern, std::string_view what)
    : program_(Compiler(pattern, what).compile()) {}

bool SafeRegex::full_match(std::string_view text) const { return run(text, /*whole=*/true); }

bool SafeRegex::search(std::string_view text) const { return run(text, /*whole=*/false); }

// The Pike VM. `live` holds the kByte instructions the threads at text position
// `at` wait on; stepping over the byte moves the ones that accept it into
// `next`, following splits, jumps and anchors (the epsilon closure, walked with
// an explicit stack). `added_at[pc]` is the position at which pc last joined a
// list, so each instruction joins each list once: O(program) per byte. A
// search also starts a new thread at every position.
bool SafeRegex::run(std::string_view text, bool whole) const {
  constexpr size_t kNever = static_cast<size_t>(-1);
  std::vector<size_t> added_at(program_.size(), kNever);
  std::vector<uint32_t> live, next, pending;
  live.reserve(program_.size());
  next.reserve(program_.size());
  pending.reserve(program_.size());

  // Adds the closure of `start` at position `at` to `list`; whether it reaches kMatch.
  const auto add = [&](std::vector<uint32_t>& list, uint32_t start, size_t at) {
    bool matched = false;
    const auto visit = [&](uint32_t pc) {
      if (added_at[pc] == at) return;
      added_at[pc] = at;
      pending.push_back(pc);
    };
    visit(start);
    while (!pending.empty()) {
      const uint32_t pc = pending.back();
      pending.pop_back();
      const Instruction& in = program_[pc];
      switch (in.op) {
        case Op::kByte: list.push_back(pc); break;
        case Op::kSplit: visit(in.target); visit(in.other); break;
        case Op::kJump: visit(in.target); break;
        case Op::kTextStart: if (at == 0) visit(pc + 1); break;
        case Op::kTextEnd: if (at == text.size()) visit(pc + 1); break;
        case Op::kMatch: matched = true; break;
      }
    }
    return matched;
  };

  bool matched = add(live, 0, 0);
  for (size_t at = 0;; ++at) {
    if (matched && (!whole || at == text.size())) return true;
    if (at == text.size() || (whole && live.empty())) return false;
    const auto byte = static_cast<unsigned char>(text[at]);
    next.clear();
    matched = false;
    for (const uint32_t pc : live) {
      if (program_[pc].bytes[byte]) matched |= add(next, pc + 1, at + 1);
    }
    if (!whole) matched |= add(next, 0, at + 1);
    live.swap(next);
  }
}

}  // namespace rlvr::verifiers
