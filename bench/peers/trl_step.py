#!/usr/bin/env python3
"""Times TRL's GRPOTrainer steps on a peer-benchmark workload: the reference
point for `rlvr bench rl-step --workload`.

One optimizer step is the workload's P prompts x G completions (per-device
batch P*G, num_generations G, gradient accumulation 1, num_iterations 1, so the
rollout log-probs are not recomputed; --micro-batch N splits the forward and
backward into passes of N rows, the P*G rollouts still generated at once),
beta 0 (no reference model), sampling at temperature 1 with top_k/top_p off,
float32 on the CPU, learning rate 1e-6, AdamW betas (0.9, 0.99), clip 0.2/0.28,
gradient-norm clip 1, no gradient checkpointing (rlvr recomputes nothing
either; --gradient-checkpointing turns TRL's default back on), no eval, no
saving, no logging. Every completion has
exactly max_new_tokens tokens: the end token is suppressed by min_new_tokens,
and the script checks both that and that the prompt ids TRL feeds the model
are the workload's (TRL takes text: the ids are decoded, and TRL's own
tokenization of that text is compared with them; no chat template, nothing
added). The reward is 1 when the last number in the completion equals the
answer, else 0 (rlvr's math verifier in spirit, cheap).

Steps are timed from on_step_begin to on_step_end (generation, reward, loss,
backward and the optimizer step); the first is a warm-up. Writes
{"seconds_per_step": median, "runs": [...], "peak_rss_mb": ...} plus the
settings; peak RSS is this process's ru_maxrss at the end.
"""
import argparse
import dataclasses
import re
import tempfile
import time

import peer_common
from peer_common import check_model_dir, die, load_workload, median, peak_rss_mb, write_json
from peer_tokenizer import load_tokenizer, text_of

SCRIPT = "trl_step.py"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def last_number_reward(completions, answer, **_):
    """1.0 when the last number in the completion text equals the answer."""
    rewards = []
    for text, gold in zip(completions, answer):
        found = NUMBER.findall(text if isinstance(text, str) else str(text))
        rewards.append(1.0 if found and found[-1] == gold else 0.0)
    return rewards


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model_dir", help="Hugging Face checkpoint (config.json + safetensors)")
    parser.add_argument("workload", help="workload JSON from make_workload.py")
    parser.add_argument("--json-out", required=True, help="result JSON to write")
    parser.add_argument("--steps", type=int, default=2, help="measured steps after one warm-up step (default 2)")
    parser.add_argument("--gradient-checkpointing", action="store_true",
                        help="recompute activations in backward (TRL's default; off for equal work)")
    parser.add_argument("--micro-batch", type=int, default=0,
                        help="rows per forward/backward pass, gradients accumulated over the P*G rows (TRL's "
                             "per_device_train_batch_size with gradient_accumulation_steps; the P*G rollouts "
                             "are still generated in one batch); default 0: one pass, as above")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.steps < 1:
        die(SCRIPT, f"--steps {args.steps} is not positive", "pass --steps 1 or more")
    return args


def checkpointing_arg(config_cls, on):
    """transformers 5 renamed gradient_checkpointing to activation_checkpointing (the old name warns)."""
    names = {f.name for f in dataclasses.fields(config_cls)}
    return {"activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing": on}


class StepTimer:
    """TrainerCallback timing each optimizer step (made a subclass once transformers is imported)."""

    def __init__(self):
        self.seconds = []
        self.threads = []
        self._start = None

    def on_step_begin(self, args, state, control, **kwargs):
        self._start = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        import torch
        self.seconds.append(time.perf_counter() - self._start)
        self.threads.append(torch.get_num_threads())


def install_checks(trainer, expected_prompts, new_tokens):
    """Wraps TRL 1.16's prompt tokenization and generation to check the work it does.

    Raises when TRL tokenizes a prompt to other ids than the workload's, or a
    completion is not exactly new_tokens long. Records what was seen."""
    seen = {"prompt_rows": 0, "completion_rows": 0, "completion_lengths": set()}
    expected = {tuple(p) for p in expected_prompts}
    tokenize, generate = getattr(trainer, "_tokenize_prompts", None), getattr(trainer, "_generate_single_turn", None)
    if tokenize is None or generate is None:
        die(SCRIPT, "this TRL has no GRPOTrainer._tokenize_prompts/_generate_single_turn to check prompts and "
            "completion lengths against", "use TRL 1.16 (pip install trl==1.16.0) or port install_checks()")

    def checked_tokenize(prompts):
        out = tokenize(prompts)
        for ids in out[0]:
            if tuple(ids) not in expected:
                die(SCRIPT, f"TRL fed the model prompt ids {list(ids)[:12]}... that are not a workload prompt",
                    "the tokenizer adds or merges tokens; check peer_tokenizer.round_trips on the workload")
        seen["prompt_rows"] += len(out[0])
        return out

    def checked_generate(prompt_ids, *a, **kw):
        completion_ids, logprobs = generate(prompt_ids, *a, **kw)
        lengths = {len(c) for c in completion_ids}
        seen["completion_rows"] += len(completion_ids)
        seen["completion_lengths"] |= lengths
        if lengths != {new_tokens}:
            die(SCRIPT, f"TRL generated completions of lengths {sorted(lengths)}, not all {new_tokens}",
                "the end token was sampled; check generation_kwargs min_new_tokens in this TRL version")
        return completion_ids, logprobs

    trainer._tokenize_prompts = checked_tokenize
    trainer._generate_single_turn = checked_generate
    return seen


def main():
    args = parse_args()
    check_model_dir(args.model_dir, SCRIPT)
    w = load_workload(args.workload, SCRIPT)
    torch = peer_common.pin_torch_threads()
    import datasets
    import transformers
    from transformers import AutoModelForCausalLM
    from trl import GRPOConfig, GRPOTrainer

    try:
        tok = load_tokenizer(args.model_dir)
    except ValueError as e:
        die(SCRIPT, str(e), "pass a checkpoint with tokenizer.json or an rlvr char-tokenizer export")
    texts = [text_of(tok, ids) for ids in w["prompts"]]
    for ids, text in zip(w["prompts"], texts):
        again = tok(text)["input_ids"]  # as TRL calls it: add_special_tokens left at its default
        if again != ids:
            die(SCRIPT, f"prompt {ids[:12]}... re-tokenizes to {again[:12]}... (TRL feeds text, not ids)",
                "make the workload with this model's tokenizer (make_workload.py checks the round trip)")

    P, G, new = len(w["prompts"]), w["group_size"], w["max_new_tokens"]
    micro = args.micro_batch or P * G
    if (P * G) % micro:
        die(SCRIPT, f"--micro-batch {micro} does not divide the batch of {P * G} rows",
            "pick a divisor of prompts x group size")
    model = AutoModelForCausalLM.from_pretrained(args.model_dir, dtype=torch.float32)
    if tok.pad_token_id is None:
        die(SCRIPT, f"the tokenizer of {args.model_dir} has no pad token", "set pad_token in tokenizer_config.json")
    dataset = datasets.Dataset.from_dict({"prompt": texts, "answer": w["answers"]})
    out_dir = tempfile.mkdtemp(prefix="trl_step_")
    config = GRPOConfig(
        output_dir=out_dir, report_to="none", save_strategy="no", eval_strategy="no", logging_strategy="no",
        disable_tqdm=True, use_cpu=True, bf16=False, fp16=False, seed=args.seed, data_seed=args.seed,
        max_steps=1 + args.steps, per_device_train_batch_size=micro,
        gradient_accumulation_steps=P * G // micro, steps_per_generation=P * G // micro,
        num_generations=G, num_iterations=1, max_completion_length=new, shuffle_dataset=False,
        temperature=1.0, top_k=0, top_p=1.0, beta=0.0, epsilon=0.2, epsilon_high=0.28, loss_type="dapo",
        learning_rate=1e-6, lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.0,
        adam_beta1=0.9, adam_beta2=0.99, max_grad_norm=1.0,
        generation_kwargs={"min_new_tokens": new}, dataloader_num_workers=0, remove_unused_columns=False,
        **checkpointing_arg(GRPOConfig, args.gradient_checkpointing))
    timer_cls = type("StepTimerCallback", (StepTimer, transformers.TrainerCallback), {})
    timer = timer_cls()
    StepTimer.__init__(timer)
    trainer = GRPOTrainer(model=model, reward_funcs=last_number_reward, args=config, train_dataset=dataset,
                          processing_class=tok, callbacks=[timer])
    seen = install_checks(trainer, w["prompts"], new)
    flag = "is_activation_checkpointing" if hasattr(type(trainer.model), "is_activation_checkpointing") \
        else "is_gradient_checkpointing"
    recomputes = bool(getattr(trainer.model, flag, False))
    if recomputes != args.gradient_checkpointing:
        die(SCRIPT, f"the model's activation checkpointing is {recomputes}, asked for {args.gradient_checkpointing}",
            "check how this transformers/TRL version names the checkpointing option (checkpointing_arg)")
    trainer.train()
    if len(timer.seconds) != 1 + args.steps:
        die(SCRIPT, f"timed {len(timer.seconds)} steps, expected {1 + args.steps}",
            "report this: the Trainer loop of this transformers version calls the step callbacks differently")
    if seen["completion_rows"] != (1 + args.steps) * P * G or seen["prompt_rows"] != (1 + args.steps) * P * G:
        die(SCRIPT, f"TRL generated {seen['completion_rows']} completions for {seen['prompt_rows']} prompt rows "
            f"over {1 + args.steps} steps, expected {(1 + args.steps) * P * G}",
            "check per_device_train_batch_size/num_generations handling of this TRL version")
    runs = timer.seconds[1:]
    result = {"system": "trl", "trl_version": __import__("trl").__version__, "model_dir": args.model_dir,
              "workload": w["name"], "prompts": P, "group_size": G, "prompt_tokens": len(w["prompts"][0]),
              "max_new_tokens": new, "threads": min(timer.threads), "warmup_seconds": timer.seconds[0],
              "seconds_per_step": median(runs), "runs": runs,
              "gradient_checkpointing": args.gradient_checkpointing, "micro_batch": micro, "peak_rss_mb": peak_rss_mb()}
    write_json(args.json_out, result)
    print(f"TRL GRPO step: {result['seconds_per_step']:.2f} s (median of {len(runs)}), {P} prompts x {G} x "
          f"{new} new tokens after {result['prompt_tokens']}, {result['threads']} threads, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
