#!/usr/bin/env python3
"""Prints the torch ops that took the most time in a Chrome trace written by
`rlvr bench ... --profile TRACE`: self time (the op's own duration less the ops
it called), calls and share of the total, so a profile reads as a table.

Usage: profile_top.py TRACE [--top N]"""
import argparse
import collections
import json
import sys


def self_times(events):
    """Self time per op name: each complete event's duration less that of the
    events nested directly inside it on the same thread."""
    by_thread = collections.defaultdict(list)
    for e in events:
        # The profiler's own span covers the whole window; it is not an op.
        if e.get("ph") == "X" and "dur" in e and not e.get("name", "").startswith("PyTorch Profiler"):
            by_thread[e.get("tid")].append(e)
    totals = collections.defaultdict(lambda: [0.0, 0])
    for spans in by_thread.values():
        spans.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # [event, time of its children]
        def close(until):
            while stack and stack[-1][0]["ts"] + stack[-1][0]["dur"] <= until:
                event, children = stack.pop()
                totals[event["name"]][0] += event["dur"] - children
                totals[event["name"]][1] += 1
                if stack:
                    stack[-1][1] += event["dur"]
        for e in spans:
            close(e["ts"])
            stack.append([e, 0.0])
        close(float("inf"))
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    try:
        with open(args.trace) as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"profile_top: cannot read {args.trace}: {e}")
    events = data["traceEvents"] if isinstance(data, dict) else data
    totals = self_times(events)
    whole = sum(t for t, _ in totals.values()) or 1.0
    print(f"{'op':<44} {'self ms':>10} {'calls':>8} {'share':>7}")
    for name, (t, calls) in sorted(totals.items(), key=lambda kv: -kv[1][0])[: args.top]:
        print(f"{name[:44]:<44} {t / 1000:>10.1f} {calls:>8} {100 * t / whole:>6.1f}%")
    print(f"{'total':<44} {whole / 1000:>10.1f}")


if __name__ == "__main__":
    main()
