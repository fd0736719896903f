#include "verifiers/code/code_extract.h"

#include <gtest/gtest.h>

#include "core/code_task.h"

namespace rlvr::verifiers {
namespace {

TEST(CodeExtract, LastMatchingBlockWins) {
  const std::string text =
      "First try:\n```python\nprint(1)\n```\nBetter:\n```python\nprint(2)\n```\nSample output:\n```text\n2\n```\n";
  const ExtractedProgram p = extract_program(text, "python");
  ASSERT_TRUE(p.found) << p.detail;
  EXPECT_EQ(p.source, "print(2)\n");
}

TEST(CodeExtract, TagsMatchTheTaskLanguage) {
  for (const char* tag : {"python", "py", "Python3", "PY", ""}) {
    const ExtractedProgram p = extract_program(std::string("```") + tag + "\nx = 1\n```", "python");
    EXPECT_TRUE(p.found) << tag;
  }
  for (const char* tag : {"cpp", "c++", "cc", "CXX", ""}) {
    EXPECT_TRUE(extract_program(std::string("```") + tag + "\nint main() {}\n```", "cpp").found) << tag;
  }
  // A C++ block after the Python one does not replace it in a Python task.
  const ExtractedProgram p = extract_program("```py\nprint(3)\n```\n```cpp\nint main() {}\n```", "python");
  ASSERT_TRUE(p.found);
  EXPECT_EQ(p.source, "print(3)\n");
  // Info strings after the tag are ignored.
  EXPECT_EQ(extract_program("```python title=\"a.py\"\nprint(4)\n```", "python").source, "print(4)\n");
}

TEST(CodeExtract, UnterminatedFinalFenceTakesTheRest) {
  const ExtractedProgram p = extract_program("```python\nprint(1)\n```\n```python\nx = 5\nprint(x)", "python");
  ASSERT_TRUE(p.found);
  EXPECT_EQ(p.source, "x = 5\nprint(x)\n");
}

TEST(CodeExtract, NoBlockIsNoAnswerWithAReason) {
  const ExtractedProgram none = extract_program("print(1)\n", "python");
  EXPECT_FALSE(none.found);
  EXPECT_EQ(none.detail, "no fenced code block (```python ... ```)");
  const ExtractedProgram foreign = extract_program("```cpp\nint main() {}\n```\n```text\n1\n```", "python");
  EXPECT_FALSE(foreign.found);
  EXPECT_EQ(foreign.detail, "no ```python code block (found ```cpp, ```text)");
  const ExtractedProgram empty = extract_program("```python\nprint(1)\n```\n```python\n  \n```", "python");
  EXPECT_FALSE(empty.found);
  EXPECT_EQ(empty.detail, "the last ```python code block is empty");
}

TEST(CodeExtract, FencesFollowMarkdownRules) {
  // Inline triple backticks open nothing; a closing fence needs as many backticks
  // as the opening one and nothing else on its line.
  EXPECT_FALSE(extract_program("use ```print(1)``` here", "python").found);
  const ExtractedProgram p = extract_program("````python\ns = '```'\n```\nprint(s)\n````\n", "python");
  ASSERT_TRUE(p.found);
  EXPECT_EQ(p.source, "s = '```'\n```\nprint(s)\n");
  EXPECT_EQ(extract_program("```python\nprint('a ``` b')\n```", "python").source, "print('a ``` b')\n");
  // Indented fences (in a list) and CRLF line ends.
  EXPECT_EQ(extract_program("1. code:\n   ```python\r\n   print(1)\r\n   ```\r\n", "python").source,
            "   print(1)\r\n");
}

TEST(CodeExtract, FencedBlocksListsEveryBlock) {
  const std::vector<CodeBlock> blocks = fenced_blocks("```a\n1\n```\ntext\n```\n2\n3\n```");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].tag, "a");
  EXPECT_EQ(blocks[0].body, "1\n");
  EXPECT_EQ(blocks[1].tag, "");
  EXPECT_EQ(blocks[1].body, "2\n3\n");
}

TEST(CodeExtract, FencedProgramsExtractBackUnchanged) {
  for (const std::string program : {"print(1)\n", "s = '```'\nprint(s)\n", "x = 1"}) {
    const ExtractedProgram p = extract_program("Here:\n" + fenced_program(program, "python") + "\nDone.", "python");
    ASSERT_TRUE(p.found) << program;
    EXPECT_EQ(p.source, program.back() == '\n' ? program : program + "\n");
  }
}

}  // namespace
}  // namespace rlvr::verifiers
