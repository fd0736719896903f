#!/usr/bin/env python3
"""docs/task-types.md against the build: every registered environment and
verifier (`rlvr tasks --json`) has a section headed with its name in
backticks, each section shows an example in a fenced block, and every
procedural generator's section lists each of its difficulty attributes with
the values `rlvr tasks` reports for its levels. So the page cannot fall
behind what the registry holds.
Usage: task_types_doc_test.py RLVR SOURCE_DIR"""
import json
import re
import subprocess
import sys

DOC = "docs/task-types.md"


def sections(text):
    """{name: body} of every '### `name`' section (an environment and a
    verifier of the same name, countdown, share their bodies)."""
    out = {}
    parts = re.split(r"^### `([^`]+)`.*$", text, flags=re.M)
    for i in range(1, len(parts), 2):
        out[parts[i]] = out.get(parts[i], "") + parts[i + 1]
    return out


def main():
    rlvr, source = sys.argv[1], sys.argv[2]
    catalogue = json.loads(subprocess.run([rlvr, "tasks", "--json"], check=True, capture_output=True,
                                          text=True).stdout)
    with open(f"{source}/{DOC}") as f:
        found = sections(f.read())
    problems = []
    names = list(catalogue["environments"]) + catalogue["verifiers"]
    for name in names:
        if name not in found:
            problems.append(f"no section '### `{name}`'")
        elif "```" not in found[name]:
            problems.append(f"section `{name}` has no example block")
    for name, info in catalogue["environments"].items():
        for attribute in info.get("attributes", []):
            values = " ".join(str(v) for v in attribute["levels"])
            row = f"| `{attribute['name']}` | {values} |"
            if name in found and row not in found[name]:
                problems.append(f"`{name}`: no row '{row}'")
    for p in problems:
        print(f"{DOC}: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
