#!/usr/bin/env python3
"""rlvr's Python module against Hugging Face Math-Verify, as Python trainers
call them, side by side in one run: rlvr.verify_batch on 1 and 2 threads, and
math_verify.verify in a loop and in a process pool of 2 (how TRL and verl users
parallelise it). Every system judges the same cases (the math conformance
file, or --cases FILE of {"gold", "response", "expected"} lines, repeated to
--items); the table gives verifications per second (median of --repeats runs)
and agreement with the expected labels.

Usage: PYTHONPATH=python:build/python bench/python_verify_bench.py [--cases FILE]
       [--items 2000] [--repeats 3]     (needs pip install math-verify)"""
import argparse
import concurrent.futures
import json
import os
import statistics
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_cases(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def math_verify_one(item):
    from math_verify import parse, verify  # imported in each pool worker too
    gold, response = item
    try:
        return bool(verify(parse("$" + gold + "$"), parse(response)))
    except Exception:  # Math-Verify raises on some inputs; count it as not verified
        return False


def timed(run, repeats):
    seconds, results = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        results = run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=os.path.join(SOURCE, "..", "shared", "conformance", "math", "cases.jsonl"))
    parser.add_argument("--items", type=int, default=2000, help="verifications per run (cases repeated)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(args.cases):
        args.cases = os.path.join(SOURCE, "tests", "verifiers", "math", "model_style_cases.jsonl")
    import rlvr
    cases = load_cases(args.cases)
    items = [cases[i % len(cases)] for i in range(args.items)]
    golds = [c["gold"] for c in items]
    responses = [c["response"] for c in items]
    expected = [bool(c["expected"]) for c in items]
    pairs = list(zip(golds, responses))

    rows = []
    for threads in (1, 2):
        secs, verdicts = timed(lambda: rlvr.verify_batch("math", golds, responses, threads=threads), args.repeats)
        rows.append((f"rlvr.verify_batch, {threads} thread(s)", secs, [v.correct for v in verdicts]))
    secs, judged = timed(lambda: [math_verify_one(p) for p in pairs], args.repeats)
    rows.append(("math_verify.verify, a loop", secs, judged))
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(math_verify_one, pairs[:8]))  # workers started and warm
        secs, judged = timed(lambda: list(pool.map(math_verify_one, pairs, chunksize=16)), args.repeats)
    rows.append(("math_verify.verify, 2 processes", secs, judged))

    distinct = len(cases)
    print(f"{args.items} verifications per run ({distinct} distinct cases from {os.path.relpath(args.cases)}), "
          f"median of {args.repeats} runs, {os.cpu_count()} cores")
    print(f"| system | verifications/s | agreement with expected (distinct cases) |")
    print("|---|---|---|")
    for name, secs, results in rows:
        agree = sum(r == e for r, e in zip(results[:distinct], expected[:distinct]))
        print(f"| {name} | {args.items / secs:,.0f} | {agree}/{distinct} ({100 * agree / distinct:.1f}%) |")


if __name__ == "__main__":
    main()
