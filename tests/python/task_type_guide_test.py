#!/usr/bin/env python3
"""docs/adding-a-task-type.md against the repository: every code block labelled
with a path (a line **`path`** just before the fence) appears verbatim in that
file, every block of code is labelled, the "Files touched" list names at most 6
files, none of them a CMakeLists.txt, each existing, and every labelled block
comes from a listed file. So the walkthrough cannot drift from the real files, nor
the cost it claims from the one ARCHITECTURE.md promises.
Usage: task_type_guide_test.py SOURCE_DIR"""
import os
import re
import sys

GUIDE = "docs/adding-a-task-type.md"
MAX_TOUCHED = 6
LABEL = re.compile(r"^\*\*`([^`]+)`\*\*$")
# Blocks of commands, not of a file's contents, need no label.
UNLABELLED_LANGUAGES = {"sh", "console"}


def code_blocks(lines):
    """(label or None, language, text, line number) of each fenced block."""
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].startswith("```"):
            language, start = lines[i][3:].strip(), i
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            label = LABEL.match(lines[start - 1]) if start > 0 else None
            blocks.append((label.group(1) if label else None, language, "\n".join(body) + "\n", start + 1))
        i += 1
    return blocks


def touched_files(lines):
    """The bullets `path` under the "## Files touched" heading."""
    start = lines.index("## Files touched")
    files = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        match = re.match(r"^- `([^`]+)`$", line)
        if match:
            files.append(match.group(1))
    return files


def main():
    root = sys.argv[1]
    with open(os.path.join(root, GUIDE)) as f:
        lines = f.read().splitlines()
    problems = []

    touched = touched_files(lines)
    if not touched:
        problems.append("no files listed under '## Files touched'")
    if len(touched) > MAX_TOUCHED:
        problems.append(f"{len(touched)} files touched, the promise is at most {MAX_TOUCHED}")
    for path in touched:
        if os.path.basename(path) == "CMakeLists.txt":
            problems.append(f"{path}: a CMake list, which adding a task type must not need")
        if not os.path.isfile(os.path.join(root, path)):
            problems.append(f"{path}: listed as touched but not in the repository")

    blocks = code_blocks(lines)
    for label, language, text, line_no in blocks:
        where = f"{GUIDE}:{line_no}"
        if label is None:
            if language not in UNLABELLED_LANGUAGES:
                problems.append(f"{where}: a ```{language} block without a **`path`** label")
            continue
        if label not in touched:
            problems.append(f"{where}: block from {label}, which is not under '## Files touched'")
        path = os.path.join(root, label)
        if not os.path.isfile(path):
            problems.append(f"{where}: {label} does not exist")
            continue
        with open(path) as f:
            if text not in f.read():
                problems.append(f"{where}: block is not verbatim in {label} (first line: {text.splitlines()[0]!r})")

    for problem in problems:
        print("FAIL", problem)
    labelled = sum(1 for b in blocks if b[0])
    print(f"guide: {labelled} labelled blocks, {len(touched)} files touched, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
