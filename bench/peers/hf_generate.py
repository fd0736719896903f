#!/usr/bin/env python3
"""Times transformers `generate` on a peer-benchmark workload: the reference
point for `rlvr bench generate --workload`.

All P x G rows are generated as one batch (each prompt repeated G times in a
row, prompt 0's group first; the prompts of a workload share one length, so no
row is padded), float32, under torch.inference_mode, with exactly
max_new_tokens new tokens per row: the end-of-sequence token is an ordinary
token that does not stop a row (as in rlvr's bench, which generates with no
end token), or, with --eos suppress, is never sampled (min_new_tokens).
Sampling is at temperature 1 with top_k and top_p off; --greedy takes the
argmax. One warm-up run, then --iterations measured runs.

Writes {"tokens_per_second": median, "seconds": median, "runs": [seconds...],
"tokens": new tokens per run, "peak_rss_mb": ...}; tokens_per_second counts
new tokens only. --tokens-out writes the last run's new ids per row as
{"tokens": [[...], ...]} for the greedy comparison with rlvr (compare_tokens.py).
Peak RSS is this process's ru_maxrss at the end (interpreter and libraries included).
"""
import argparse
import time

import peer_common
from peer_common import check_model_dir, die, load_workload, median, peak_rss_mb, write_json

SCRIPT = "hf_generate.py"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model_dir", help="Hugging Face checkpoint (config.json + safetensors)")
    parser.add_argument("workload", help="workload JSON from make_workload.py")
    parser.add_argument("--json-out", required=True, help="result JSON to write")
    parser.add_argument("--greedy", action="store_true", help="argmax instead of sampling at temperature 1")
    parser.add_argument("--tokens-out", help="also write the generated ids per row here")
    parser.add_argument("--iterations", type=int, default=3, help="measured runs after one warm-up (default 3)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up run (for a correctness-only run)")
    parser.add_argument("--eos", choices=["ignore", "suppress"], default="ignore",
                        help="ignore: EOS does not end a row (default, as rlvr's bench); "
                             "suppress: EOS is never chosen (min_new_tokens)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.iterations < 1:
        die(SCRIPT, f"--iterations {args.iterations} is not positive", "pass --iterations 1 or more")
    return args


def main():
    args = parse_args()
    check_model_dir(args.model_dir, SCRIPT)
    w = load_workload(args.workload, SCRIPT)
    torch = peer_common.pin_torch_threads()
    from transformers import AutoModelForCausalLM, GenerationConfig

    model = AutoModelForCausalLM.from_pretrained(args.model_dir, dtype=torch.float32).eval()
    vocab = model.config.vocab_size
    bad = [t for p in w["prompts"] for t in p if not 0 <= t < vocab]
    if bad:
        die(SCRIPT, f"workload {args.workload} has ids {bad[:5]} outside the vocabulary of {args.model_dir} "
            f"({vocab})", "make the workload with this model's tokenizer (make_workload.py MODEL_DIR)")
    eos = model.generation_config.eos_token_id
    eos_ids = [eos] if isinstance(eos, int) else list(eos or [])
    pad = model.generation_config.pad_token_id
    if pad is None:
        pad = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    new = w["max_new_tokens"]
    settings = dict(max_new_tokens=new, pad_token_id=pad, do_sample=not args.greedy, num_beams=1,
                    use_cache=True, return_dict_in_generate=False)
    if not args.greedy:
        settings.update(temperature=1.0, top_k=0, top_p=1.0)
    if args.eos == "ignore":
        # generate falls back to model.generation_config for an unset eos_token_id, so clear it there too.
        model.generation_config.eos_token_id = None
        settings["eos_token_id"] = None
    else:
        settings.update(eos_token_id=eos_ids, min_new_tokens=new)
    config = GenerationConfig(**settings)

    G = w["group_size"]
    input_ids = torch.tensor(w["prompts"], dtype=torch.long).repeat_interleave(G, dim=0)
    attention_mask = torch.ones_like(input_ids)
    rows, prompt_len = input_ids.shape
    torch.manual_seed(args.seed)

    def run():
        start = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(input_ids=input_ids, attention_mask=attention_mask, generation_config=config)
        seconds = time.perf_counter() - start
        gen = out[:, prompt_len:]
        if gen.shape[1] != new:
            die(SCRIPT, f"generate returned {gen.shape[1]} new tokens per row, not {new}",
                "report this: the EOS handling of this transformers version differs (try --eos suppress)")
        return seconds, gen

    if not args.no_warmup:
        run()
    runs = []
    for _ in range(args.iterations):
        seconds, gen = run()
        runs.append(seconds)
    tokens = rows * new
    result = {"system": "transformers", "model_dir": args.model_dir, "workload": w["name"],
              "rows": rows, "prompt_tokens": prompt_len, "max_new_tokens": new, "greedy": args.greedy,
              "eos": args.eos, "threads": torch.get_num_threads(), "tokens": tokens,
              "seconds": median(runs), "tokens_per_second": tokens / median(runs), "runs": runs,
              "peak_rss_mb": peak_rss_mb()}
    write_json(args.json_out, result)
    if args.tokens_out:
        write_json(args.tokens_out, {"tokens": gen.tolist()}, indent=None)
    print(f"transformers generate: {result['tokens_per_second']:.0f} tokens/s (median of {len(runs)}), "
          f"{rows} rows x {new} new tokens after {prompt_len}, {result['threads']} threads, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
