"""The `rlvr` Python module: verify, verify_batch, the sandbox and the TRL and
verl adapters, as Python trainers call them. Run by pytest from ctest with
PYTHONPATH holding python/ (the package) and build/python (the _rlvr module)."""
import json
import os
import threading
import time

import pytest

import rlvr
from rlvr.integrations import trl as rlvr_trl
from rlvr.integrations import verl as rlvr_verl

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_STYLE_CASES = os.path.join(SOURCE, "tests", "verifiers", "math", "model_style_cases.jsonl")


def model_style_cases():
    with open(MODEL_STYLE_CASES) as f:
        return [json.loads(line) for line in f if line.strip()]


def test_verify_right_wrong_and_malformed_answers():
    right = rlvr.verify("math", "3/4", "Adding the parts gives $\\boxed{0.75}$.")
    assert (right.correct, right.status, right.reward, right.answer) == (True, "correct", 1.0, "0.75")
    wrong = rlvr.verify("math", "3/4", "So the answer is \\boxed{0.7}.")
    assert (wrong.correct, wrong.status, wrong.reward) == (False, "wrong", 0.0)
    assert rlvr.verify("math", "3/4", "\\boxed{3/}").status == "invalid"
    assert rlvr.verify("math", "3/4", "I do not know.").status == "no_answer"
    assert set(right.to_dict()) == {"reward", "correct", "status", "answer", "detail"}
    assert {"math", "code", "fact"} <= set(rlvr.list_verifiers())
    assert rlvr.verify("fact", ["Leo Tolstoy", "Tolstoy"], "The answer is tolstoy.").correct


def test_options_reach_the_verifier_and_bad_ones_are_named():
    gsm8k = "The farmer sells 9 eggs a day... wait, 18.\n#### 18"
    assert rlvr.verify("math", "18", gsm8k, answer_style="GSM8K_STYLE").correct
    with pytest.raises(ValueError, match="option bogus=1"):
        rlvr.verify("math", "1", "1", bogus=1)
    with pytest.raises(ValueError, match="answer_style"):
        rlvr.verify("math", "1", "1", answer_style="NOT_A_STYLE")
    with pytest.raises(ValueError, match="known"):
        rlvr.verify("no_such_verifier", "1", "1")


def cpu_ticks_by_thread():
    """utime + stime of every thread of this process, from /proc."""
    ticks = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks[tid] = int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return ticks


def test_verify_batch_matches_verify_and_spreads_over_threads():
    cases = model_style_cases()
    items = [cases[i % len(cases)] for i in range(10_000)]
    golds = [c["gold"] for c in items]
    completions = [c["response"] for c in items]
    before = cpu_ticks_by_thread()
    seen = {}
    done = threading.Event()

    def sample():  # the worker threads exit with the call: record their CPU while they run
        while not done.is_set():
            seen.update(cpu_ticks_by_thread())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    verdicts = rlvr.verify_batch("math", golds, completions, threads=2)
    done.set()
    sampler.join()
    assert len(verdicts) == len(items)
    for verdict, gold, completion in zip(verdicts, golds, completions):
        single = rlvr.verify("math", gold, completion)
        assert (verdict.status, verdict.reward, verdict.answer) == (single.status, single.reward, single.answer)
    workers = {tid: t for tid, t in seen.items() if tid not in before and tid != str(sampler.native_id)}
    busy = [tid for tid, t in workers.items() if t > 0]
    assert len(busy) >= 2, f"one thread did the work: CPU ticks by new thread {workers}"


def test_slow_completion_comes_back_unjudged_within_the_bound_from_a_worker_thread():
    slow = "The answer is " + "9" * 30_000_000  # about a second to read alone
    start = time.perf_counter()
    alone = rlvr.verify("math", "3", slow)
    alone_seconds = time.perf_counter() - start
    assert alone.status == "invalid"
    result = {}

    def in_a_thread():  # no signal-based timeout could work here
        t0 = time.perf_counter()
        result["verdicts"] = rlvr.verify_batch("math", ["3", "3"], [slow, "\\boxed{3}"], threads=2, timeout=0.1)
        result["seconds"] = time.perf_counter() - t0

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    slow_verdict, fast_verdict = result["verdicts"]
    assert slow_verdict.status == "unjudged" and slow_verdict.reward == 0.0
    assert "timed out" in slow_verdict.detail
    assert fast_verdict.status == "correct"
    assert result["seconds"] < alone_seconds / 2, (result["seconds"], alone_seconds)


def test_sandbox_runs_well_behaved_and_hostile_programs():
    sandbox = rlvr.Sandbox(time_limit_s=2, memory_limit_mb=128)
    ok = sandbox.run("print(input()[::-1])", stdin="abc")
    assert (ok.status, ok.exit_code, ok.stdout) == ("OK", 0, b"cba\n")
    fork_bomb = sandbox.run("import os\nwhile True:\n    os.fork()\n")
    assert fork_bomb.status in ("RE", "TLE"), fork_bomb.to_dict()
    hog = sandbox.run("x = bytearray(4 << 30)\nprint(len(x))\n")
    assert hog.status == "MLE", hog.to_dict()
    assert sandbox.run("int main() { return 3; }", lang="cpp").exit_code == 3
    tests = [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "2 2\n", "stdout": "4\n"}]
    assert sandbox.run_tests("print(sum(map(int, input().split())))", tests).correct
    wrong = sandbox.run_tests("print(3)", tests, reward="FRACTION")
    assert (wrong.correct, wrong.reward) == (False, 0.5)


def test_trl_reward_func_reads_the_answer_column_and_chat_messages():
    reward = rlvr_trl.reward_func("math")
    completions = ["so \\boxed{12}", [{"role": "assistant", "content": "It is 13."}],
                   [{"role": "assistant", "content": [{"type": "text", "text": "Final: \\boxed{12}"}]}]]
    assert reward(["p"] * 3, completions, answer=["12", "12", "12"]) == [1.0, 0.0, 1.0]
    slow = "The answer is " + "9" * 30_000_000
    timed = rlvr_trl.reward_func("math", timeout=0.05)
    assert timed(["p", "p"], [slow, "\\boxed{1}"], answer=["1", "1"]) == [None, 1.0]
    with pytest.raises(KeyError, match="solution"):
        reward(["p"], ["1"], solution=["1"])


def test_verl_compute_score_dispatches_by_data_source():
    assert rlvr_verl.compute_score("openai/gsm8k", "3 + 4 = 7\n#### 7", "7") == {
        "score": 1.0, "acc": True, "pred": "7", "unjudged": False}
    math = rlvr_verl.compute_score("lighteval/MATH", "Final Answer: The final answer is $\\frac12$.", "0.5")
    assert math["acc"] and math["score"] == 1.0
    code = "```python\nprint(int(input()) * 2)\n```"
    truth = json.dumps({"inputs": ["2\n", "5\n"], "outputs": ["4\n", "10\n"]})
    assert rlvr_verl.compute_score("codecontests", code, truth)["acc"]
    calls = {"fn_name": "double", "inputs": [[2], [5]], "outputs": [4, 10]}
    assert rlvr_verl.compute_score("primeintellect", "```python\ndef double(x):\n    return 2 * x\n```", calls)["acc"]
    with pytest.raises(NotImplementedError, match="no verifier"):
        rlvr_verl.compute_score("imagenet", "cat", "cat")
