#!/usr/bin/env python3
"""Writes a peer-benchmark workload: the exact prompt token ids and answers that
rlvr, transformers and TRL all run, so the three do the same work.

    {"name": "prompt_heavy", "prompts": [[int, ...], ...], "answers": ["17", ...],
     "group_size": 8, "max_new_tokens": 16}

Neither side adds anything to these ids (no bos, no chat template). Kinds:
  short          26-token prompts, 6 new tokens (the quickstart's short answers)
  prompt_heavy   64-token prompts, 16 new tokens
  decode_heavy   64-token prompts, 256 new tokens
group_size is 8 for all.

For a model with tokenizer.json the prompt is an arithmetic question ("Compute
37 + 58. Answer with the number only.") after filler sentences, cut from the
front to exactly the length, and the answer is the sum; the ids are checked to
survive decode -> encode unchanged (TRL feeds the model text, not ids). For the
quickstart's char-tokenizer model it is bos, random bits and "=", whose answer
is the parity; a 64-token prompt holds 62 bits (so rlvr needs max_seq_len >=
prompt + max_new_tokens, printed as "max_seq_len N" by this script).
"""
import argparse
import random

import peer_common  # noqa: F401  (pins threads before torch loads)
from peer_common import WORKLOAD_KINDS, check_model_dir, die, write_json
from peer_tokenizer import is_char_model, load_tokenizer, round_trips

SCRIPT = "make_workload.py"
KINDS = {"short": (26, 6), "prompt_heavy": (64, 16), "decode_heavy": (64, 256)}
GROUP_SIZE = 8

FILLER = [
    "The quick brown fox jumps over the lazy dog.",
    "Read the question carefully before you write anything.",
    "Numbers can be added in any order and the sum stays the same.",
    "A careful student checks the last digit first.",
    "You are a helpful assistant.",
    "Carry a one when a column adds up to ten or more.",
    "Take your time and keep the work short.",
]
# Longest first: the longest that fits the prompt length is used.
QUESTIONS = [
    "Compute {a} + {b}. Answer with the number only.",
    "Compute {a} + {b}. Answer with a number.",
    "What is {a}+{b}? Answer:",
    "{a}+{b}=",
]


def parity_prompt(rng, tok, length):
    """bos + (length - 2) random bits + '='; the answer is the parity of the ones."""
    bits = "".join(rng.choice("01") for _ in range(length - 2))
    ids = [tok.bos_token_id] + tok(bits + "=", add_special_tokens=False)["input_ids"]
    return ids, str(bits.count("1") % 2)


def arithmetic_prompt(rng, tok, length):
    """Filler sentences then a sum question, cut from the front to `length` ids that round-trip."""
    a, b = rng.randint(10, 99), rng.randint(10, 99)
    enc = lambda text: tok(text, add_special_tokens=False)["input_ids"]
    question = None
    for template in QUESTIONS:
        q = template.format(a=a, b=b)
        if len(enc("\n" + q)) <= length:
            question = q
            break
    if question is None:
        raise ValueError(f"even the shortest question {QUESTIONS[-1]!r} takes more than {length} tokens")
    for _ in range(200):
        sentences = FILLER[:]
        rng.shuffle(sentences)
        text = " ".join(sentences * 4) + "\n" + question
        ids = enc(text)
        if len(ids) < length:
            continue
        ids = ids[len(ids) - length:]
        if round_trips(tok, ids):
            return ids, str(a + b)
    raise ValueError(f"no filler cut gave {length} ids that survive decode -> encode")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model_dir", help="Hugging Face checkpoint whose tokenizer makes the ids")
    parser.add_argument("--kind", choices=WORKLOAD_KINDS, required=True)
    parser.add_argument("--prompts", type=int, required=True, help="P, distinct prompts per step")
    parser.add_argument("--out", required=True, help="workload JSON to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.prompts < 1:
        die(SCRIPT, f"--prompts {args.prompts} is not positive", "pass --prompts 1 or more")
    check_model_dir(args.model_dir, SCRIPT)
    try:
        tok = load_tokenizer(args.model_dir)
    except ValueError as e:
        die(SCRIPT, str(e), "pass a checkpoint with tokenizer.json or an rlvr char-tokenizer export")
    length, max_new = KINDS[args.kind]
    rng = random.Random(f"{args.kind}/{args.seed}")
    make = parity_prompt if is_char_model(args.model_dir) else arithmetic_prompt
    prompts, answers = [], []
    try:
        for _ in range(args.prompts):
            ids, answer = make(rng, tok, length)
            assert len(ids) == length, (len(ids), length)
            prompts.append(ids)
            answers.append(answer)
    except ValueError as e:
        die(SCRIPT, f"{args.model_dir}: {e}", "use a tokenizer with merged words, or a longer kind")
    write_json(args.out, {"name": args.kind, "prompts": prompts, "answers": answers,
                          "group_size": GROUP_SIZE, "max_new_tokens": max_new}, indent=None)
    print(f"wrote {args.out}: {args.prompts} prompts x {length} tokens, {max_new} new tokens, "
          f"group {GROUP_SIZE}; max_seq_len {length + max_new}")


if __name__ == "__main__":
    main()
