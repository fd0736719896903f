#!/usr/bin/env python3
"""Compare the C++ "math" verifier with simpler references on a JSONL suite.

Each line holds gold, response, expected and category (the conformance format,
../shared/conformance/math/cases.jsonl). Prints per-category agreement with
`expected` and verifications/s for:
  - rlvr:        `rlvr verify --verifier math --jsonl FILE` (the C++ verifier)
  - exact_match: last \\boxed{} content compared as whitespace-free text, the
                 baseline many RL reward functions use
  - math_verify: HuggingFace Math-Verify, only when the package is installed

Usage: python3 bench/math_verify_compare.py [--rlvr build/rlvr] [--jsonl FILE]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time


def last_boxed(text):
    """Content of the last \\boxed{...} with balanced braces, or None."""
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    i = text.find("{", start)
    if i < 0:
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
    return None


def exact_match(gold, response):
    answer = last_boxed(response)
    if answer is None:
        return False
    squash = lambda s: re.sub(r"\s+|\$", "", s)
    return squash(answer) == squash(gold)


def math_verify_judge():
    try:
        from math_verify import parse, verify  # type: ignore
    except ImportError:
        return None
    return lambda gold, response: bool(verify(parse("$" + gold + "$"), parse(response)))


def score(cases, judge):
    per_category = collections.defaultdict(lambda: [0, 0])
    start = time.perf_counter()
    for case in cases:
        try:
            verdict = judge(case["gold"], case["response"])
        except Exception:  # a reference that crashes counts as rejecting
            verdict = False
        counts = per_category[case.get("category", "all")]
        counts[0] += verdict == case["expected"]
        counts[1] += 1
    return per_category, len(cases) / max(time.perf_counter() - start, 1e-9)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rlvr", default="build/rlvr", help="path to the rlvr binary")
    parser.add_argument("--jsonl", default="../shared/conformance/math/cases.jsonl", help="cases file")
    args = parser.parse_args()
    # One core for every contender (the rlvr child inherits the affinity), so
    # verifications/s compare single-threaded speed.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with open(args.jsonl) as f:
        cases = [json.loads(line) for line in f if line.strip()]

    print(f"== rlvr ({args.rlvr}) ==")
    result = subprocess.run([args.rlvr, "--log-level", "warn", "verify", "--verifier", "math", "--jsonl", args.jsonl],
                            capture_output=True, text=True)
    print(result.stdout or result.stderr)
    if result.returncode != 0:
        sys.exit(f"rlvr verify failed with status {result.returncode}")

    references = {"exact_match": exact_match}
    judge = math_verify_judge()
    if judge:
        references["math_verify"] = judge
    for name, fn in references.items():
        per_category, rate = score(cases, fn)
        print(f"== {name} ==")
        agree = total = 0
        for category in sorted(per_category):
            a, n = per_category[category]
            agree, total = agree + a, total + n
            print(f"{category:<24} {a:>6} {n:>6} {100 * a / n:>7.1f}%")
        print(f"{'overall':<24} {agree:>6} {total:>6} {100 * agree / total:>7.1f}%")
        print(f"{rate:.0f} verifications/s\n")


if __name__ == "__main__":
    main()
