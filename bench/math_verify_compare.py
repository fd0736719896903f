#!/usr/bin/env python3
"""Compare the C++ "math" verifier with Math-Verify and a plain baseline on a JSONL suite.

Each line holds gold, response, expected and category (the conformance format;
optional id, note and answer_style). Prints per-category agreement with
`expected` and verifications/s for:
  - rlvr:        `rlvr verify --verifier math --jsonl FILE` (the C++ verifier)
  - exact_match: last \\boxed{} content compared as whitespace-free text, the
                 baseline many RL reward functions use
  - math_verify: Hugging Face Math-Verify, only when the package is installed
then, case by case, where rlvr and Math-Verify disagree, in both directions:
the cases rlvr judges as expected and Math-Verify does not, and the reverse.

Usage: python3 bench/math_verify_compare.py [--rlvr build/rlvr] [--jsonl FILE]
  FILE defaults to the shared conformance suite; the project's own cases of
  answers as real models write them are tests/verifiers/math/model_style_cases.jsonl.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
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


def judge_all(cases, judge):
    """Verdict per case (a judge that crashes counts as rejecting) and verifications/s."""
    verdicts = []
    start = time.perf_counter()
    for case in cases:
        try:
            verdicts.append(bool(judge(case["gold"], case["response"])))
        except Exception:
            verdicts.append(False)
    return verdicts, len(cases) / max(time.perf_counter() - start, 1e-9)


def print_agreement(name, cases, verdicts, rate):
    per_category = collections.defaultdict(lambda: [0, 0])
    for case, verdict in zip(cases, verdicts):
        counts = per_category[case.get("category", "all")]
        counts[0] += verdict == case["expected"]
        counts[1] += 1
    print(f"== {name} ==")
    agree = total = 0
    for category in sorted(per_category):
        a, n = per_category[category]
        agree, total = agree + a, total + n
        print(f"{category:<24} {a:>6} {n:>6} {100 * a / n:>7.1f}%")
    print(f"{'overall':<24} {agree:>6} {total:>6} {100 * agree / total:>7.1f}%")
    print(f"{rate:.0f} verifications/s\n")


def print_disagreements(title, rows):
    print(f"== {title}: {len(rows)} ==")
    for case in rows:
        expected = "accept" if case["expected"] else "reject"
        print(f"  {case['id']} (should {expected}; {case.get('note', '')}): gold {case['gold']!r}, "
              f"response {case['response'][-80:]!r}")
    print()


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
    for i, case in enumerate(cases):
        case.setdefault("id", f"line {i + 1}")

    with tempfile.TemporaryDirectory() as tmp:
        verdict_file = os.path.join(tmp, "verdicts.jsonl")
        result = subprocess.run([args.rlvr, "--log-level", "warn", "verify", "--verifier", "math", "--jsonl",
                                 args.jsonl, "--verdicts", verdict_file], capture_output=True, text=True)
        print(f"== rlvr ({args.rlvr}) ==")
        print(result.stdout or result.stderr)
        if result.returncode != 0:
            sys.exit(f"rlvr verify failed with status {result.returncode}")
        with open(verdict_file) as f:
            rlvr_correct = [json.loads(line)["correct"] for line in f]

    print_agreement("exact_match", cases, *judge_all(cases, exact_match))
    judge = math_verify_judge()
    if judge is None:
        print("math_verify is not installed (pip install math-verify): no per-case comparison")
        return
    mv_correct, rate = judge_all(cases, judge)
    print_agreement("math_verify", cases, mv_correct, rate)
    rlvr_only = [c for c, r, m in zip(cases, rlvr_correct, mv_correct) if r == c["expected"] != m]
    mv_only = [c for c, r, m in zip(cases, rlvr_correct, mv_correct) if m == c["expected"] != r]
    print_disagreements("rlvr as expected, Math-Verify not", rlvr_only)
    print_disagreements("Math-Verify as expected, rlvr not", mv_only)


if __name__ == "__main__":
    main()
