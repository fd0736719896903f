#include "verifiers/code/code_extract.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/text_util.h"

namespace rlvr::verifiers {
namespace {

struct Fence {
  size_t backticks = 0;
  std::string tag;
};

// The fence a line opens, if any: leading blanks, three or more backticks, then
// an info string without backticks (which would make it inline code, ```x```).
std::optional<Fence> opening_fence(std::string_view line) {
  const size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return std::nullopt;
  const size_t end = line.find_first_not_of('`', start);
  const size_t count = (end == std::string_view::npos ? line.size() : end) - start;
  if (count < 3) return std::nullopt;
  const std::string_view info = line.substr(start + count);
  if (info.find('`') != std::string_view::npos) return std::nullopt;
  Fence fence{count, ""};
  const std::string words = trim(info);
  fence.tag = ascii_lower(words.substr(0, words.find_first_of(" \t{")));
  return fence;
}

// A closing fence: only backticks, at least as many as the opening fence.
bool closes(std::string_view line, size_t backticks) {
  const std::string content = trim(line);
  return content.size() >= backticks && content.find_first_not_of('`') == std::string::npos;
}

}  // namespace

std::vector<CodeBlock> fenced_blocks(std::string_view text) {
  std::vector<CodeBlock> blocks;
  std::optional<Fence> open;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    // Fences are recognised in CRLF text too; bodies keep their bytes.
    const std::string_view bare = !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
    if (!open) {
      open = opening_fence(bare);
      if (open) blocks.push_back(CodeBlock{open->tag, ""});
    } else if (closes(bare, open->backticks)) {
      open.reset();
    } else {
      blocks.back().body.append(line).push_back('\n');
    }
  }
  return blocks;
}

bool tag_matches(const std::string& tag, const std::string& language) {
  if (tag.empty()) return true;
  if (language == "python") return tag == "python" || tag == "py" || tag == "python3";
  if (language == "cpp") return tag == "cpp" || tag == "c++" || tag == "cc" || tag == "cxx";
  return false;
}

ExtractedProgram extract_program(std::string_view completion, const std::string& language) {
  const std::vector<CodeBlock> blocks = fenced_blocks(completion);
  const auto last = std::find_if(blocks.rbegin(), blocks.rend(),
                                 [&](const CodeBlock& b) { return tag_matches(b.tag, language); });
  ExtractedProgram program;
  if (last == blocks.rend()) {
    if (blocks.empty()) {
      program.detail = "no fenced code block (```" + language + " ... ```)";
    } else {
      std::vector<std::string> tags;
      for (const CodeBlock& b : blocks) tags.push_back("```" + b.tag);
      program.detail = "no ```" + language + " code block (found " + join(tags, ", ") + ")";
    }
    return program;
  }
  if (trim(last->body).empty()) {
    program.detail = "the last ```" + language + " code block is empty";
    return program;
  }
  program.found = true;
  program.source = last->body;
  return program;
}

}  // namespace rlvr::verifiers
