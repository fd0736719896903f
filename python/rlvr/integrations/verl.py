"""rlvr verifiers as verl's reward function.

In a verl config:

    custom_reward_function:
      path: <site-packages>/rlvr/integrations/verl.py
      name: compute_score

verl calls compute_score(data_source, solution_str, ground_truth, extra_info)
for each response. The data source picks the verifier: GSM8K datasets use the
math verifier reading "####" answers first, MATH-style ones (MATH, DAPO, AIME,
...) the math verifier reading boxed and "Final Answer" answers first, code
datasets the sandboxed code verifier on their tests. The result is a dict whose
keys are the same for every response (verl averages them as metrics): score
(the reward), acc (correct or not), pred (the extracted answer) and unjudged
(the verifier could not decide: a time-out or a sandbox failure; score 0).
"""
import json
from typing import Any, Dict, Optional

import rlvr

_GSM8K = ("gsm8k",)
_MATH = ("math", "dapo", "aime", "amc", "olympiad", "minerva", "numina", "deepscaler", "gpqa")
_CODE = ("code", "apps", "taco", "livecodebench", "primeintellect", "humaneval", "mbpp", "kodcode")


def _verifier_for(data_source: str):
    """(verifier, options) for a data source name, or None."""
    name = data_source.lower()
    if any(k in name for k in _GSM8K):
        return "math", {"answer_style": "GSM8K_STYLE"}
    if any(k in name for k in _CODE):
        return "code", {}
    if any(k in name for k in _MATH):
        return "math", {"answer_style": "MATH_STYLE"}
    return None


def code_tests(ground_truth: Any) -> list:
    """rlvr's code tests from the layouts verl's code datasets use: a JSON text
    or dict of {"inputs": [...], "outputs": [...]} (with "fn_name" for
    function-call tests), or a list of {"input"/"stdin", "output"/"stdout"}."""
    data = json.loads(ground_truth) if isinstance(ground_truth, str) else ground_truth
    if isinstance(data, dict) and "inputs" in data and "outputs" in data:
        if data.get("fn_name"):
            return [{"call": data["fn_name"], "input": list(i) if isinstance(i, (list, tuple)) else [i], "output": o}
                    for i, o in zip(data["inputs"], data["outputs"])]
        return [{"stdin": str(i), "stdout": str(o)} for i, o in zip(data["inputs"], data["outputs"])]
    if isinstance(data, list):
        tests = []
        for t in data:
            if "call" in t:
                tests.append(t)
            else:
                tests.append({"stdin": str(t.get("stdin", t.get("input", ""))),
                              "stdout": str(t.get("stdout", t.get("output", "")))})
        return tests
    raise ValueError(f"rlvr verl compute_score: code ground truth is neither {{inputs, outputs}} nor a list of tests: "
                     f"{str(ground_truth)[:200]}")


def compute_score(data_source: str, solution_str: str, ground_truth: Any,
                  extra_info: Optional[Dict[str, Any]] = None, **options: Any) -> Dict[str, Any]:
    """verl's reward function signature; `options` override the verifier's settings."""
    choice = _verifier_for(str(data_source))
    if choice is None:
        raise NotImplementedError(f"rlvr verl compute_score: no verifier for data_source '{data_source}' (known "
                                  f"kinds: gsm8k, {', '.join(_MATH)}, {', '.join(_CODE)})")
    verifier, settings = choice
    settings.update(options)
    if verifier == "code":
        meta = {}
        if extra_info and extra_info.get("language"):
            meta["language"] = extra_info["language"]
        verdict = rlvr.verify("code", code_tests(ground_truth), solution_str, meta=meta, **settings)
    else:
        gold = ground_truth[0] if isinstance(ground_truth, (list, tuple)) and ground_truth else ground_truth
        verdict = rlvr.verify("math", str(gold), solution_str, **settings)
    return {"score": float(verdict.reward), "acc": bool(verdict.correct), "pred": verdict.answer,
            "unjudged": verdict.status == "unjudged"}
