#!/usr/bin/env python3
"""FLOPs a workload needs, by rlvr's own formula (models/model_shape.cpp,
ModelShape::forward_flops; trainer/bench.cpp), from a checkpoint's config.json.

A forward pass over n new tokens after `past` cached ones costs
2 x (matmul parameters) x n + 4 x layers x heads x head_dim x (keys attended),
where token i attends to past + i + 1 keys. Generation needs each distinct
prompt's prefill once plus each row's decode of new_tokens - 1 fed-back
tokens; an RL step needs 4 x that (the sampling pass, then forward and
backward over the same tokens). table.py uses this to give a system's FLOP rate
for the work it did when that differs from what rlvr's flops_needed counts
(rlvr's RL step stops a completion at the end token; TRL's here does not), and
when rlvr's JSON is missing. Run as a script: the numbers for one model and workload.
"""
import argparse
import json
import os


class Shape:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            c = json.load(f)
        self.d = c["hidden_size"]
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads") or self.heads
        self.head_dim = c.get("head_dim") or self.d // self.heads
        self.ff = c["intermediate_size"]
        self.vocab = c["vocab_size"]

    def matmul_parameters(self):
        attention = self.d * self.heads * self.head_dim * 2 + self.d * self.kv_heads * self.head_dim * 2
        return self.layers * (attention + 3 * self.d * self.ff) + self.d * self.vocab

    def forward_flops(self, past, new):
        keys = new * past + new * (new + 1) / 2
        return 2.0 * self.matmul_parameters() * new + 4.0 * self.layers * self.heads * self.head_dim * keys


def generation_flops(shape, prompts, prompt_len, group_size, new_tokens):
    """Each distinct prompt's prefill once, then every row's decode (the last new token is not fed back)."""
    rows = prompts * group_size
    return prompts * shape.forward_flops(0, prompt_len) + rows * shape.forward_flops(prompt_len,
                                                                                       max(0.0, new_tokens - 1))


def rl_step_flops(shape, prompts, prompt_len, group_size, new_tokens):
    return 4 * generation_flops(shape, prompts, prompt_len, group_size, new_tokens)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model_dir")
    parser.add_argument("workload")
    args = parser.parse_args()
    with open(args.workload) as f:
        w = json.load(f)
    s = Shape(args.model_dir)
    a = (len(w["prompts"]), len(w["prompts"][0]), w["group_size"], w["max_new_tokens"])
    print(f"matmul parameters {s.matmul_parameters()}; generation {generation_flops(s, *a):.6g} FLOPs; "
          f"RL step {rl_step_flops(s, *a):.6g} FLOPs")


if __name__ == "__main__":
    main()
