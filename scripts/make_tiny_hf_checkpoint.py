#!/usr/bin/env python3
"""Writes a tiny random-initialised Hugging Face checkpoint of the Llama, Qwen2
or Qwen3 family: a byte-level BPE tokenizer trained with `tokenizers` on a small
arithmetic-and-prose corpus (with the family's special tokens and chat
template), and a model built by `transformers` from a config (no download).

It stands in for a checkpoint you already have on disk: rlvr itself never needs
Python to train. Needs `pip install transformers tokenizers` (scripts/test.sh
installs them).

Usage: make_tiny_hf_checkpoint.py --family qwen2 --out DIR [--hidden 64]
       [--layers 2] [--heads 4] [--kv-heads 2] [--seed 0] [--max-shard-size 2GB]
       [--tie] [--rope-scaling llama3]"""
import argparse
import random
import sys

from tokenizer_patterns import LLAMA3_REGEX, QWEN2_REGEX

try:
    import torch
    import transformers
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
except ImportError as e:
    sys.exit(f"make_tiny_hf_checkpoint: needs transformers, tokenizers and torch ({e}); "
             "run: python3 -m pip install transformers tokenizers")


# Jinja as the model cards ship it: "\n" inside string literals is an escape.
CHATML_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' %}"
    "{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{%- endif %}"
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}")
# Qwen3's has no default system message.
CHATML_NO_SYSTEM_TEMPLATE = CHATML_TEMPLATE[CHATML_TEMPLATE.index("{%- for"):]
# Llama 3.1's layout: a system turn with knowledge cutoff and date always comes first.
LLAMA3_TEMPLATE = (
    "{{- bos_token }}"
    "{%- if not date_string is defined %}{%- set date_string = \"26 Jul 2024\" %}{%- endif %}"
    "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}"
    "{%- set messages = messages[1:] %}{%- else %}{%- set system_message = \"\" %}{%- endif %}"
    "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}"
    "{{- \"Cutting Knowledge Date: December 2023\\n\" }}"
    "{{- \"Today Date: \" + date_string + \"\\n\\n\" }}"
    "{{- system_message }}{{- \"<|eot_id|>\" }}"
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim"
    " + '<|eot_id|>' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}")

FAMILIES = {
    "llama": dict(regex=LLAMA3_REGEX, template=LLAMA3_TEMPLATE,
                  special=["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
                           "<|end_header_id|>", "<|eot_id|>"],
                  bos="<|begin_of_text|>", eos="<|eot_id|>", pad="<|end_of_text|>"),
    "qwen2": dict(regex=QWEN2_REGEX, template=CHATML_TEMPLATE,
                  special=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                  bos=None, eos="<|im_end|>", pad="<|endoftext|>"),
    "qwen3": dict(regex=QWEN2_REGEX, template=CHATML_NO_SYSTEM_TEMPLATE,
                  special=["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"],
                  bos=None, eos="<|im_end|>", pad="<|endoftext|>"),
}


def corpus(seed):
    rng = random.Random(seed)
    texts = ["The quick brown fox jumps over the lazy dog.", "Answer with a number.",
             "def f(x):\n    return x + 1\n", "Grüße, naïve café, 你好世界 👍"]
    # Frequent enough that BPE merges the template's words, as a real vocabulary has them.
    texts += ["system\nYou are a helpful assistant.\nuser\nassistant\n"] * 200
    for _ in range(3000):
        a, b = rng.randint(0, 999), rng.randint(0, 999)
        texts.append(f"{a}+{b}= {a + b}\n{a}-{b}= {a - b} {a}*{b}={a * b}")
    return texts


def make_tokenizer(family, seed):
    spec = FAMILIES[family]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(spec["regex"]), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=spec["special"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(corpus(seed), trainer)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=spec["bos"], eos_token=spec["eos"], pad_token=spec["pad"])
    fast.chat_template = spec["template"]
    return fast


def make_model(family, vocab_size, args, tokenizer):
    common = dict(vocab_size=vocab_size, hidden_size=args.hidden, intermediate_size=2 * args.hidden,
                  num_hidden_layers=args.layers, num_attention_heads=args.heads,
                  num_key_value_heads=args.kv_heads, max_position_embeddings=512,
                  initializer_range=args.init_std, tie_word_embeddings=args.tie,
                  bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                  pad_token_id=tokenizer.pad_token_id, rms_norm_eps=1e-6)
    if family == "llama":
        rope = {"rope_type": "default", "rope_theta": 500000.0}
        if args.rope_scaling == "llama3":
            rope = {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                    "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                    "original_max_position_embeddings": 64}
        config = transformers.LlamaConfig(**common, rope_parameters=rope)
        return transformers.LlamaForCausalLM(config)
    if family == "qwen2":
        return transformers.Qwen2ForCausalLM(transformers.Qwen2Config(**common))
    # Qwen3 decouples head_dim from hidden_size / heads.
    config = transformers.Qwen3Config(**common, head_dim=2 * args.hidden // args.heads)
    return transformers.Qwen3ForCausalLM(config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", choices=sorted(FAMILIES), required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--kv-heads", type=int, default=2)
    parser.add_argument("--init-std", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tie", action="store_true", help="tie input and output embeddings")
    parser.add_argument("--rope-scaling", choices=["none", "llama3"], default="none")
    parser.add_argument("--max-shard-size", default="2GB", help="e.g. 20KB to force shards")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    tokenizer = make_tokenizer(args.family, args.seed)
    model = make_model(args.family, len(tokenizer), args, tokenizer)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(args.out, max_shard_size=args.max_shard_size)
    tokenizer.save_pretrained(args.out)
    print(f"wrote {args.family} checkpoint with {model.num_parameters()} parameters to {args.out}")


if __name__ == "__main__":
    main()
