#!/usr/bin/env python3
"""Every case bench/make_math_family_cases.py generates (the families of answers
real models write, each wrapped in every way completions state an answer)
agrees with its expected verdict under `rlvr verify --jsonl`; the failures are
listed. Usage: math_family_cases_test.py RLVR_BINARY SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    rlvr, source = sys.argv[1], sys.argv[2]
    generator = os.path.join(source, "bench", "make_math_family_cases.py")
    cases_text = subprocess.run([sys.executable, generator], check=True, capture_output=True, text=True).stdout
    cases = [json.loads(line) for line in cases_text.splitlines()]
    assert len(cases) >= 300, f"the generator made only {len(cases)} cases"
    with tempfile.TemporaryDirectory() as tmp:
        cases_file, verdicts_file = os.path.join(tmp, "cases.jsonl"), os.path.join(tmp, "verdicts.jsonl")
        with open(cases_file, "w") as f:
            f.write(cases_text)
        subprocess.run([rlvr, "--log-level", "warn", "verify", "--jsonl", cases_file, "--verdicts", verdicts_file],
                       check=True, capture_output=True, text=True)
        with open(verdicts_file) as f:
            verdicts = [json.loads(line) for line in f]
    assert len(verdicts) == len(cases), f"{len(verdicts)} verdicts for {len(cases)} cases"
    failures = [(c, v) for c, v in zip(cases, verdicts) if v["correct"] != c["expected"]]
    for case, verdict in failures:
        print(f"{case['id']}: expected {case['expected']}, got {verdict['status']} "
              f"(extracted {verdict['answer']!r}); {case['note']}")
    print(f"{len(cases) - len(failures)}/{len(cases)} generated cases agree")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
