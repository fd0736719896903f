"""rlvr verifiers as TRL reward functions.

    from trl import GRPOTrainer
    from rlvr.integrations.trl import reward_func

    trainer = GRPOTrainer(model=..., reward_funcs=[reward_func("math")],
                          train_dataset=dataset_with_an_answer_column, ...)

TRL calls a reward function as f(prompts, completions, **columns) with every
other dataset column as a keyword argument; completions are strings, or lists
of chat messages for conversational datasets. The function verifies the whole
batch on C++ threads (GIL released, each item's time bounded) and returns one
float per completion, or None where the verifier could not judge (a time-out,
a sandbox failure): TRL leaves None out instead of counting it as 0.
"""
from typing import Any, Callable, List, Optional

import rlvr


def completion_text(completion: Any) -> str:
    """The text of a TRL completion: a string, or the content of the last
    assistant message (content given as a string or as typed parts)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        content = completion.get("content", "")
        if isinstance(content, list):
            return "".join(part.get("text", "") for part in content if isinstance(part, dict))
        return str(content)
    if isinstance(completion, (list, tuple)):
        messages = [m for m in completion if isinstance(m, dict)]
        assistant = [m for m in messages if m.get("role", "assistant") == "assistant"]
        return completion_text((assistant or messages)[-1]) if messages else ""
    return str(completion)


def reward_func(verifier: str = "math", answer_column: str = "answer", threads: Optional[int] = None,
                timeout: float = rlvr.DEFAULT_TIMEOUT, **options: Any) -> Callable[..., List[Optional[float]]]:
    """A TRL reward function judging completions with rlvr's `verifier` against
    the dataset column `answer_column` (for "code": the tests). `options` are
    the verifier's settings (see rlvr.verify)."""
    if verifier not in rlvr.list_verifiers():
        raise ValueError(f"unknown verifier '{verifier}' (known: {', '.join(rlvr.list_verifiers())})")

    def rlvr_reward(prompts: List[Any], completions: List[Any], **columns: Any) -> List[Optional[float]]:
        if answer_column not in columns:
            known = ", ".join(sorted(k for k in columns if not k.startswith(("trainer_", "completion_ids"))))
            raise KeyError(f"rlvr reward_func: the dataset has no column '{answer_column}' with the gold answers "
                           f"(columns: {known}); pass answer_column=...")
        golds = columns[answer_column]
        texts = [completion_text(c) for c in completions]
        verdicts = rlvr.verify_batch(verifier, golds, texts, threads=threads, timeout=timeout, **options)
        return [None if v.status == "unjudged" else v.reward for v in verdicts]

    rlvr_reward.__name__ = f"rlvr_{verifier}"
    return rlvr_reward
