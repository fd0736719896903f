#!/usr/bin/env python3
"""Checks that rlvr's greedy generation equals transformers' token for token.

Reads two --tokens-out files ({"tokens": [[id, ...], ...]}, one list per row;
a bare list of lists is accepted too) from `rlvr bench generate --greedy` and
`hf_generate.py --greedy` on the same workload, and prints
"greedy identical: yes (R rows x T tokens)" or
"greedy identical: no (first mismatch at row r token t: rlvr X, transformers Y)".
--json-out writes {"identical": bool, "summary": "...", "rows", "mismatched_rows", ...}.
Exits 0 either way (a mismatch is a result, not an error); 2 when a file is unreadable.
"""
import argparse
import json
import sys

SCRIPT = "compare_tokens.py"


def load_tokens(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"{SCRIPT}: error: cannot read {path} ({e})\n  fix: rerun the --tokens-out command that writes it",
              file=sys.stderr)
        sys.exit(2)
    rows = data.get("tokens") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        print(f"{SCRIPT}: error: {path} holds no list of token rows (expected {{\"tokens\": [[...], ...]}})\n"
              "  fix: write it with --tokens-out", file=sys.stderr)
        sys.exit(2)
    return rows


def compare(rlvr, hf):
    """Returns (identical, summary, first mismatch or None, rows that differ)."""
    first, bad = None, 0
    if len(rlvr) != len(hf):
        return False, f"no ({len(rlvr)} rlvr rows, {len(hf)} transformers rows)", None, None
    for r, (a, b) in enumerate(zip(rlvr, hf)):
        if a == b:
            continue
        bad += 1
        if first is None:
            t = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            first = (r, t, a[t] if t < len(a) else None, b[t] if t < len(b) else None)
    if first is None:
        width = len(rlvr[0]) if rlvr else 0
        return True, f"yes ({len(rlvr)} rows x {width} tokens)", None, 0
    r, t, x, y = first
    return False, (f"no (first mismatch at row {r} token {t}: rlvr {x}, transformers {y}; "
                   f"{bad} of {len(rlvr)} rows differ)"), first, bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("rlvr_tokens", help="rlvr bench generate --greedy --tokens-out file")
    parser.add_argument("hf_tokens", help="hf_generate.py --greedy --tokens-out file")
    parser.add_argument("--json-out", help="also write the verdict here")
    args = parser.parse_args()
    identical, summary, first, bad = compare(load_tokens(args.rlvr_tokens), load_tokens(args.hf_tokens))
    print(f"greedy identical: {summary}")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"identical": identical, "summary": summary, "first_mismatch": first,
                       "mismatched_rows": bad}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
