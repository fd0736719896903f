// Finds the program in a model completion: the last fenced code block (a line
// starting with ``` or more backticks, an optional language tag, and a closing
// fence of at least as many backticks on a line of its own) whose tag is absent
// or names the task's language. Blocks tagged with another language ("text",
// "cpp" in a Python task) are skipped, so a trailing sample-output block in
// ```text does not replace the program. A final fence that never closes takes
// the rest of the text. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rlvr::verifiers {

struct CodeBlock {
  std::string tag;   // the first word of the fence's info string, lower-cased; "" when untagged
  std::string body;  // the lines between the fences, each ending in '\n'
};

// Every fenced block of `text`, in order.
std::vector<CodeBlock> fenced_blocks(std::string_view text);

// Whether a block tagged `tag` holds code in `language` ("python" or "cpp"):
// python, py, python3 / cpp, c++, cc, cxx; an empty tag matches any language.
bool tag_matches(const std::string& tag, const std::string& language);

struct ExtractedProgram {
  bool found = false;
  std::string source;  // the program when found
  std::string detail;  // why nothing was found otherwise, e.g. "no ```python code block"
};

ExtractedProgram extract_program(std::string_view completion, const std::string& language);

}  // namespace rlvr::verifiers
