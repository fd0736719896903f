#!/usr/bin/env python3
"""Runs the sandbox red-team suite (shared/conformance/sandbox) through `rlvr exec`.

usage: redteam_suite.py RLVR_BINARY SUITE_DIR [CASE_ID...]

Applies every rule of the suite's README to each case, in file order: one
JSON object with the eight fields, the expected status and streams, output
caps, time bounds, and no escape (the case's check, RLVR_ESCAPE, the secret
canary, surviving rlvc_ processes, files left next to the programs, streams
held open after rlvr exits). Prints `FAIL <id> [ESCAPE]: reasons` per failing
case and `redteam: P/N passed, E escapes`; exits 0 only if all passed, and 77
(ctest's skip) when SUITE_DIR has no cases.jsonl.
"""
import json
import os
import secrets
import subprocess
import sys
import time

FIELDS = {"status": str, "exit_code": int, "signal": int, "stdout": str, "stderr": str,
          "wall_ms": int, "cpu_ms": int, "peak_rss_kb": int}
STATUSES = {"OK", "RE", "TLE", "MLE", "OLE", "CE", "SE"}
MAX_STREAM = 2 << 20
SKIPPED = 77  # ctest's SKIP_RETURN_CODE for this test


def shell(command, env, cwd):
    return subprocess.run(["bash", "-c", command], env=env, cwd=cwd, timeout=60,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def live_rlvc_processes():
    names = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        state = stat[stat.rindex(")") + 2]
        if comm.startswith("rlvc_") and state != "Z":
            names.append(comm)
    return names


def run_case(case, rlvr, suite, canary):
    reasons, escape = [], []
    env = dict(os.environ, RLVR_SUITE_DIR=suite, RLVR_SECRET_CANARY=canary, RLVR_CASE_ID=case["id"])
    result_path = os.path.join("/tmp", f"rlvr_redteam_result_{os.getpid()}.json")
    env["RLVR_RESULT"] = result_path
    before = set(os.listdir(suite))
    if case.get("setup"):
        shell(case["setup"], env, suite)
    try:
        command = [rlvr, "exec", "--lang", case["lang"], "--time-limit", str(case["time_limit"]),
                   "--memory-limit", str(case["memory_limit"])]
        if case.get("stdin"):
            command += ["--stdin", case["stdin"]]
        command.append(case["file"])
        start = time.monotonic()
        # stdin is a pipe that is never written or closed while rlvr runs.
        process = subprocess.Popen(command, cwd=suite, env=env, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = b"", b""
            reasons.append("rlvr did not return within 30 s, or its streams stayed open")
            escape.append("streams held open")
        elapsed = time.monotonic() - start
        process.stdin.close()
        if case.get("max_wall_s") and elapsed > case["max_wall_s"]:
            reasons.append(f"took {elapsed:.1f} s > max_wall_s {case['max_wall_s']}")
        with open(result_path, "wb") as f:
            f.write(out)
        result = None
        try:
            result = json.loads(out)
        except ValueError:
            reasons.append(f"stdout is not one JSON object: {out[:200]!r} (stderr {err[:300]!r})")
        if isinstance(result, dict):
            for field, kind in FIELDS.items():
                value = result.get(field)
                if not isinstance(value, kind) or isinstance(value, bool):
                    reasons.append(f"field {field} missing or not {kind.__name__}")
            status = result.get("status")
            if status not in STATUSES:
                reasons.append(f"unknown status {status!r}")
            elif status not in case["expected_status"]:
                reasons.append(f"status {status}, expected {case['expected_status']} "
                               f"(stderr {str(result.get('stderr'))[:300]!r})")
            if "expected_exit_code" in case and result.get("exit_code") != case["expected_exit_code"]:
                reasons.append(f"exit_code {result.get('exit_code')}, expected {case['expected_exit_code']}")
            stdout, stderr = str(result.get("stdout", "")), str(result.get("stderr", ""))
            if "expected_stdout" in case and stdout.rstrip() != case["expected_stdout"].rstrip():
                reasons.append(f"stdout {stdout[:200]!r}, expected {case['expected_stdout']!r}")
            if "stdout_contains" in case and case["stdout_contains"] not in stdout:
                reasons.append(f"stdout lacks {case['stdout_contains']!r}")
            if "stderr_contains" in case and case["stderr_contains"] not in stderr:
                reasons.append(f"stderr lacks {case['stderr_contains']!r}")
            for name, text in (("stdout", stdout), ("stderr", stderr)):
                if len(text.encode("utf-8", "replace")) > MAX_STREAM:
                    reasons.append(f"{name} over 2 MiB")
                if "RLVR_ESCAPE" in text:
                    escape.append(f"RLVR_ESCAPE in {name}")
        if canary.encode() in out or canary.encode() in err:
            escape.append("the secret canary appears in rlvr's output")
        if case.get("check") and shell(case["check"], env, suite) != 0:
            escape.append("the case's check failed")
        survivors = live_rlvc_processes()
        if survivors:
            escape.append(f"processes survived: {survivors}")
        appeared = set(os.listdir(suite)) - before
        if appeared:
            escape.append(f"files appeared next to the programs: {sorted(appeared)}")
    finally:
        if case.get("cleanup"):
            shell(case["cleanup"], env, suite)
        if os.path.exists(result_path):
            os.remove(result_path)
    return reasons, escape


def main():
    rlvr, suite = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    only = set(sys.argv[3:])
    cases_path = os.path.join(suite, "cases.jsonl")
    if not os.path.isfile(cases_path):
        print(f"redteam: skipped, no suite at {cases_path} (the shared conformance suites "
              "sit beside the repository)")
        return SKIPPED
    with open(cases_path) as f:
        cases = [json.loads(line) for line in f if line.strip()]
    if only:
        cases = [c for c in cases if c["id"] in only]
    passed = escapes = 0
    for case in cases:
        canary = "RLVR_CANARY_" + secrets.token_hex(8)
        reasons, escape = run_case(case, rlvr, suite, canary)
        if escape:
            escapes += 1
        if reasons or escape:
            print(f"FAIL {case['id']}{' ESCAPE' if escape else ''}: {'; '.join(reasons + escape)}", flush=True)
        else:
            passed += 1
            print(f"ok   {case['id']}", flush=True)
    print(f"redteam: {passed}/{len(cases)} passed, {escapes} escapes")
    return 0 if passed == len(cases) and escapes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
