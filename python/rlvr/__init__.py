"""rlvr's verifiers and code sandbox for Python trainers.

    >>> import rlvr
    >>> rlvr.verify("math", "1/2", "so the answer is $\\boxed{0.5}$").correct
    True
    >>> rlvr.verify_batch("math", golds, completions, threads=8, timeout=2.0)
    [Verdict(status='correct', ...), ...]
    >>> rlvr.Sandbox(time_limit_s=1).run("print(input()[::-1])", stdin="abc").stdout
    b'cba\\n'

Verification runs in C++ with the GIL released: verify_batch spreads a batch
over threads and bounds each item's time without signals, so it is safe in
threads, Ray workers and dataloaders. A verdict the verifier could not reach
(a time-out, a sandbox failure) has status "unjudged", never "wrong".
Adapters for TRL and verl are in rlvr.integrations. Needs neither torch nor
rlvr's trainer.
"""
import json as _json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from _rlvr import ExecResult, Verdict
from _rlvr import Sandbox as _Sandbox
from _rlvr import list_verifiers as _list_verifiers
from _rlvr import verify as _verify
from _rlvr import verify_batch as _verify_batch

__all__ = ["Verdict", "ExecResult", "Sandbox", "verify", "verify_batch", "list_verifiers"]

#: Seconds verify_batch allows one item before it is "unjudged".
DEFAULT_TIMEOUT = 10.0


def _option_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _options(options: Mapping[str, Any]) -> Dict[str, str]:
    return {key: _option_text(value) for key, value in options.items()}


def _gold_and_meta(verifier: str, gold: Any, meta: Optional[Mapping[str, Any]]) -> (str, Dict[str, str]):
    """The reference text and task metadata a C++ verifier reads. The code
    verifier's gold is its tests: a list of dicts (or their JSON text)."""
    meta_text = {key: _option_text(value) for key, value in (meta or {}).items()}
    if verifier == "code":
        meta_text["tests"] = gold if isinstance(gold, str) else _json.dumps(gold)
        return "", meta_text
    if verifier == "fact" and isinstance(gold, (list, tuple)):
        return _json.dumps([str(alias) for alias in gold]), meta_text  # gold aliases
    return str(gold), meta_text


def list_verifiers() -> List[str]:
    """Names of the registered verifiers ("math", "code", "fact", "exact_number", ...)."""
    return list(_list_verifiers())


def verify(verifier: str, gold: Any, completion: str, meta: Optional[Mapping[str, Any]] = None,
           **options: Any) -> Verdict:
    """Judges one completion against its gold answer.

    verifier: a name from list_verifiers(). gold: the reference answer ("3/4",
    "\\\\frac{3}{4}"), or for "code" the tests ([{"stdin": ..., "stdout": ...}]
    or [{"call": "f", "input": [...], "output": ...}]). meta: task metadata the
    verifier reads (code: language, time_limit, memory_limit; math:
    answer_style). options: fields of the verifier's settings in
    proto/config.proto (math: answer_style="GSM8K", float_min_digits=15;
    code: reward="FRACTION"); an unknown one raises ValueError naming it.
    """
    gold_text, meta_text = _gold_and_meta(verifier, gold, meta)
    return _verify(verifier, gold_text, str(completion), meta_text, _options(options))


def verify_batch(verifier: str, golds: Sequence[Any], completions: Sequence[str], threads: Optional[int] = None,
                 timeout: float = DEFAULT_TIMEOUT, metas: Optional[Sequence[Mapping[str, Any]]] = None,
                 **options: Any) -> List[Verdict]:
    """verify() over many items on `threads` C++ threads (default: every core),
    with the GIL released. An item still running after `timeout` seconds comes
    back "unjudged" at once (its thread is left to finish alone and a new one
    takes its place), so one pathological completion cannot stall the batch."""
    if len(golds) != len(completions):
        raise ValueError(f"verify_batch: {len(golds)} golds but {len(completions)} completions")
    if metas is not None and len(metas) != len(golds):
        raise ValueError(f"verify_batch: {len(metas)} metas for {len(golds)} items")
    gold_texts, meta_texts = [], []
    for i, gold in enumerate(golds):
        gold_text, meta_text = _gold_and_meta(verifier, gold, metas[i] if metas is not None else None)
        gold_texts.append(gold_text)
        meta_texts.append(meta_text)
    if all(not m for m in meta_texts):
        meta_texts = []
    return _verify_batch(verifier, gold_texts, [str(c) for c in completions], meta_texts, threads or 0,
                         float(timeout), _options(options))


class Sandbox:
    """Runs untrusted Python or C++ in fresh Linux namespaces under seccomp and
    resource limits (see docs/sandbox.md). Settings are SandboxConfig's fields
    in proto/config.proto: time_limit_s, memory_limit_mb, max_processes,
    max_output_bytes, workers, ... Workers start on first use and are shared
    by the threads that call run()."""

    def __init__(self, **settings: Any):
        self._settings = _options(settings)
        self._sandbox = _Sandbox(self._settings)

    def run(self, code: str, lang: str = "python", stdin: Union[str, bytes] = "",
            time_limit: Optional[float] = None, memory_limit_mb: Optional[int] = None) -> ExecResult:
        """One run of `code` on `stdin`; limits default to the sandbox's."""
        if isinstance(stdin, bytes):
            stdin = stdin.decode("utf-8", "surrogateescape")
        return self._sandbox.run(code, lang, stdin, time_limit, memory_limit_mb)

    def run_tests(self, code: str, tests: Union[str, Sequence[Mapping[str, Any]]], lang: str = "python",
                  time_limit: Optional[float] = None, memory_limit_mb: Optional[int] = None,
                  **options: Any) -> Verdict:
        """`code` against `tests` (stdin/stdout or function-call tests, as the
        "code" verifier reads them): reward 1 when all pass (options:
        reward="FRACTION" for the passed fraction)."""
        meta = {"language": lang}
        if time_limit is not None:
            meta["time_limit"] = str(time_limit)
        if memory_limit_mb is not None:
            meta["memory_limit"] = str(memory_limit_mb)
        tests_json = tests if isinstance(tests, str) else _json.dumps(list(tests))
        # The code verifier on this sandbox's settings; it reads the program from a fenced block.
        return verify("code", tests_json, f"```{lang}\n{code}\n```\n", meta=meta, **options,
                      **{"sandbox." + k: v for k, v in self._settings.items()})
