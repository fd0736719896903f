#include "verifiers/safe_regex.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/error.h"

namespace rlvr::verifiers {
namespace {

bool full(std::string_view pattern, std::string_view text) { return SafeRegex(pattern).full_match(text); }

// The ConfigError message of compiling `pattern`, or "" when it compiles.
std::string compile_error(std::string_view pattern) {
  try {
    SafeRegex regex(pattern);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SafeRegex, LiteralsAndEscapes) {
  EXPECT_TRUE(full("abc", "abc"));
  EXPECT_FALSE(full("abc", "abcd"));
  EXPECT_FALSE(full("abc", "ab"));
  EXPECT_TRUE(full("", ""));
  EXPECT_FALSE(full("", "a"));
  EXPECT_TRUE(full(R"(a\.b\\c\(\)\[\]\{\}\*\+\?\|\^\$)", R"(a.b\c()[]{}*+?|^$)"));
  EXPECT_FALSE(full(R"(a\.b)", "axb"));
  EXPECT_TRUE(full(R"(\n\t\r\f\v)", "\n\t\r\f\v"));
  EXPECT_TRUE(full(R"(\x41\x7a\xC3\xA9)", "Az\xC3\xA9"));
  EXPECT_TRUE(full(R"(a\0b)", std::string("a\0b", 3)));
  EXPECT_TRUE(full("a]b}c", "a]b}c"));  // a lone ] or } is literal
  EXPECT_TRUE(full(R"(\-\ \<)", "- <"));
}

TEST(SafeRegex, DotMatchesAnyByteButNewline) {
  EXPECT_TRUE(full("a.c", "abc"));
  EXPECT_TRUE(full("a.c", "a\rc"));
  EXPECT_FALSE(full("a.c", "a\nc"));
  EXPECT_TRUE(full(R"(a[\s\S]c)", "a\nc"));
  EXPECT_TRUE(full(R"([\s\S]*)", std::string("x\n\0\xFFy", 5)));
}

TEST(SafeRegex, ClassesAndShorthands) {
  EXPECT_FALSE(full("[abc]+", "cabbage"));
  EXPECT_TRUE(full("[abc]+", "cabba"));
  EXPECT_TRUE(full("[^a-z]+", "ABC123 !"));
  EXPECT_FALSE(full("[^a-z]+", "ABcD"));
  EXPECT_TRUE(full("[a-cx-z0-9_]+", "az09_bx"));
  EXPECT_FALSE(full("[a-cx-z]", "d"));
  EXPECT_TRUE(full("[-a]+", "-a-"));
  EXPECT_TRUE(full("[a-]+", "-a-"));
  EXPECT_TRUE(full(R"([a\-z]+)", "-az"));
  EXPECT_FALSE(full(R"([a\-z])", "b"));
  EXPECT_TRUE(full(R"([\]\\^]+)", "]\\^"));
  EXPECT_TRUE(full("[a^]+", "^a"));
  EXPECT_TRUE(full(R"([\d.]+)", "3.14"));
  EXPECT_TRUE(full(R"([^\d]+)", "pi"));
  EXPECT_FALSE(full(R"([^\d]+)", "p1"));
  EXPECT_TRUE(full(R"(\d+)", "0123456789"));
  EXPECT_FALSE(full(R"(\d)", "a"));
  EXPECT_FALSE(full(R"(\D\W\S)", "a- "));
  EXPECT_TRUE(full(R"(\D\W\S)", "a-b"));
  EXPECT_TRUE(full(R"(\w+)", "snake_Case9"));
  EXPECT_FALSE(full(R"(\w)", "-"));
  EXPECT_TRUE(full(R"(\s+)", " \t\n\v\f\r"));
  EXPECT_FALSE(full(R"(\s)", "x"));
  EXPECT_TRUE(full(R"([\w\s]+)", "two words"));
}

TEST(SafeRegex, Quantifiers) {
  EXPECT_TRUE(full("a*", ""));
  EXPECT_TRUE(full("a*", "aaaa"));
  EXPECT_FALSE(full("a+", ""));
  EXPECT_TRUE(full("a+b?", "aab"));
  EXPECT_TRUE(full("a+b?", "aa"));
  EXPECT_FALSE(full("a+b?", "aabb"));
  EXPECT_TRUE(full("a{3}", "aaa"));
  EXPECT_FALSE(full("a{3}", "aa"));
  EXPECT_FALSE(full("a{3}", "aaaa"));
  EXPECT_TRUE(full("a{2,}", "aaaaaa"));
  EXPECT_FALSE(full("a{2,}", "a"));
  EXPECT_TRUE(full("a{2,4}", "aa"));
  EXPECT_TRUE(full("a{2,4}", "aaaa"));
  EXPECT_FALSE(full("a{2,4}", "aaaaa"));
  EXPECT_TRUE(full("a{0}b", "b"));
  EXPECT_TRUE(full("a{0,1}b", "ab"));
  EXPECT_TRUE(full("(ab){2}", "abab"));
  EXPECT_TRUE(full("(?:ab){1,2}c", "ababc"));
  EXPECT_TRUE(full("a*?b+?c??", "aabb"));  // lazy quantifiers match the same texts
  EXPECT_TRUE(full("a{1000}", std::string(1000, 'a')));
  EXPECT_FALSE(full("a{1000}", std::string(999, 'a')));
}

TEST(SafeRegex, GroupsAlternationAndAnchors) {
  EXPECT_TRUE(full("cat|dog", "dog"));
  EXPECT_FALSE(full("cat|dog", "catdog"));
  EXPECT_TRUE(full("(cat|dog)+", "catdog"));
  EXPECT_TRUE(full("a(b|)c", "ac"));
  EXPECT_TRUE(full("a(|b)c", "abc"));
  EXPECT_TRUE(full("a()c", "ac"));
  EXPECT_TRUE(full("((a|b)(c|d))*", "adbc"));
  EXPECT_TRUE(full("^ab$", "ab"));
  EXPECT_FALSE(full("a^b", "ab"));
  EXPECT_TRUE(SafeRegex("b").search("abc"));
  EXPECT_FALSE(SafeRegex("^b").search("abc"));
  EXPECT_TRUE(SafeRegex("c$").search("abc"));
  EXPECT_FALSE(SafeRegex("b$").search("abc"));
  EXPECT_FALSE(SafeRegex("b$").search("ab\n"));  // $ is the end of the text, not of a line
  EXPECT_TRUE(SafeRegex("").search("abc"));
  EXPECT_TRUE(SafeRegex(R"(\d{3}-\d{4})").search("call 555-1234 now"));
  EXPECT_FALSE(SafeRegex(R"(\d{3}-\d{4})").search("call 555-123 now"));
}

TEST(SafeRegex, UnicodeIsMatchedAsBytes) {
  EXPECT_TRUE(full("caf..", "café"));   // é is two bytes
  EXPECT_TRUE(full("<a>.+</a>", "<a>中文 🙂</a>"));
  EXPECT_TRUE(full("中文 🙂", "中文 🙂"));
  EXPECT_TRUE(full(R"([^<]+)", "é中🙂"));
  EXPECT_TRUE(full(R"(\S+)", "é中🙂"));
  EXPECT_FALSE(full(R"(\w+)", "é"));
}

// The cases below mean the same in ECMAScript, so std::regex (fine on short
// texts) is an independent reference for both full_match and search.
TEST(SafeRegex, AgreesWithStdRegexOnShortTexts) {
  const std::vector<std::string> patterns = {
      "a*b",       "(a|ab)(c|bcd)(d*)", "[a-c]+d?", R"(\d+(\.\d+)?)", "(x|y|)+z", "a{2,3}b{0,1}",
      "(ab|a)*c",  R"([^\s]+\s[^\s]+)",  "((a*)*)*", "(?:a|b){3}",    ".b.",      R"(\w+@\w+\.com)",
      "^a|b$",     "(a+|b+)*c",         "[.]x",     R"([\]\-]+)",
  };
  const std::vector<std::string> texts = {
      "",    "a",   "b",     "ab",       "aab",  "abcd",  "acd",    "abbcd",     "ccc",   "3.14", "3.",
      "12",  "z",   "xyxz",  "xxy",      "aab",  "aaab",  "aabb",   "ababac",    "ac",    "c",    "aaa",
      "aba", "ab ", "a b",   "foo bar",  "bbb",  "xbx",   "u@v.com", "u@v.comm", ".x",    "xx",   "]-]",
      "a\nb", "ba", "aaabbbc", "abcab", "aaaa",
  };
  for (const std::string& pattern : patterns) {
    const SafeRegex safe(pattern);
    const std::regex reference(pattern, std::regex::ECMAScript);
    for (const std::string& text : texts) {
      EXPECT_EQ(safe.full_match(text), std::regex_match(text, reference)) << pattern << " on " << text;
      EXPECT_EQ(safe.search(text), std::regex_search(text, reference)) << pattern << " on " << text;
    }
  }
}

// Patterns that take a backtracking engine exponential time or recursion depth
// proportional to the text finish here and give the right answer.
TEST(SafeRegex, PathologicalPatternsOnLongTexts) {
  const std::string as(100'000, 'a');
  EXPECT_FALSE(full("(a*)*b", as));
  EXPECT_FALSE(full("(a|aa)*c", as));
  EXPECT_TRUE(full("(a|aa)*", as));
  EXPECT_TRUE(full("(a*)*", as));
  EXPECT_FALSE(SafeRegex("(a*)*b").search(as));
  EXPECT_TRUE(SafeRegex("(a|aa)*b").search(as + "b"));
  EXPECT_TRUE(full("(a?){30}a{30}", std::string(30, 'a')));

  std::string megabyte;
  for (int i = 0; megabyte.size() < 1'000'000; ++i) megabyte += i % 7 == 0 ? "\nxy " : "abc";
  EXPECT_TRUE(full(R"(((((a|b|c)|(x|y))*|\s)*)*)", megabyte));
  EXPECT_FALSE(full(R"(((((a|b|c)|(x|y))*|\s)*)*d)", megabyte));
  EXPECT_TRUE(full(R"((?:[\s\S])*)", megabyte));
  EXPECT_FALSE(full(".*", megabyte));  // . stops at the newlines
  EXPECT_TRUE(SafeRegex("c\nxy ").search(megabyte));
  EXPECT_FALSE(SafeRegex("xyz").search(megabyte));
  EXPECT_TRUE(full(R"(\s*(?:(?:(?:[^<]|<[^/])*)*)</end>\s*)", megabyte + "</end>\n"));
}

TEST(SafeRegex, DeepButAllowedNesting) {
  const int depth = SafeRegex::kMaxNesting;
  const std::string nested = std::string(depth, '(') + "a" + std::string(depth, ')');
  EXPECT_TRUE(full(nested + "*", "aaa"));
  EXPECT_NE(compile_error("(" + nested + ")"), "");
}

TEST(SafeRegex, CompileErrorsNameTheProblemAndItsOffset) {
  EXPECT_EQ(compile_error("(ab)c)"), R"re(pattern: unbalanced ')' at 5 in "(ab)c)")re");
  EXPECT_EQ(compile_error("x(ab"), R"(pattern: unclosed '(' at 1 in "x(ab")");
  EXPECT_EQ(compile_error("a[bc"), R"(pattern: unclosed '[' at 1 in "a[bc")");
  EXPECT_EQ(compile_error("*a"), R"(pattern: nothing to repeat before '*' at 0 in "*a")");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a|+", "nothing to repeat before '+' at 2"},
      {"(?)", "unsupported group syntax '(?' (only (?:...) is known) at 0"},
      {"(?=a)", "unsupported group syntax"},
      {"a**", "a quantifier cannot follow another quantifier at 2"},
      {"a???", "a quantifier cannot follow another quantifier at 3"},
      {"a{2,1}", "repetition {m,n} with m > n at 1"},
      {"a{1001}", "repetition count above 1000 at 1"},
      {"a{1,1001}", "repetition count above 1000 at 1"},
      {"a{", "'{' must start a repetition"},
      {"a{x}", "'{' must start a repetition"},
      {"a{1,2", "unclosed '{' at 1"},
      {"a{1,x}", "'{' must start a repetition"},
      {R"(\b)", R"(unsupported escape '\b' at 0)"},
      {R"(ab\1)", R"(unsupported escape '\1' at 2)"},
      {"ab\\", R"(trailing '\' at 2)"},
      {R"(\x4)", R"('\x' must be followed by two hex digits at 0)"},
      {R"(\xg1)", R"('\x' must be followed by two hex digits at 0)"},
      {"[]", "empty character class"},
      {"[^]", "empty character class"},
      {"[z-a]", "reversed range 'z-a' at 1"},
      {R"([\d-z])", R"(range '\d-z' has a class escape as an end at 1)"},
      {R"([a-\w])", "has a class escape as an end"},
      {"(a{1000}){11}", "compiles to more than 10000 instructions"},
      {"((a{100}){100}){100}", "compiles to more than 10000 instructions"},
      {std::string(SafeRegex::kMaxNesting + 1, '(') + std::string(SafeRegex::kMaxNesting + 1, ')'),
       "groups nested deeper than 100"},
  };
  for (const auto& [pattern, message] : cases) {
    EXPECT_NE(compile_error(pattern).find(message), std::string::npos)
        << pattern << " gave: " << compile_error(pattern);
  }
  try {
    SafeRegex regex("a)", "verifier.format.pattern");
    FAIL() << "compiled";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), R"re(verifier.format.pattern: unbalanced ')' at 1 in "a)")re");
  }
}

}  // namespace
}  // namespace rlvr::verifiers
