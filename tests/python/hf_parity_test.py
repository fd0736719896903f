#!/usr/bin/env python3
"""Hugging Face parity: for tiny random-initialised Llama (llama3 rope scaling,
sharded safetensors), Qwen2 (q/k/v bias, untied head) and Qwen3 (q/k norm,
decoupled head_dim, tied embeddings) checkpoints written by `transformers`,
rlvr (through the hf_forward driver) must give
  - the same logits on the same token ids, within 1e-4 (float32), and within
    2^-5 of the largest logit in bfloat16 (both sides computing in bfloat16);
  - the same 32 greedy tokens after each prompt;
  - the same prompt ids as apply_chat_template(add_generation_prompt=True),
    and the template's end-of-turn token as the end of a completion.
Then the export round trip: `rlvr train` a few steps on the Qwen2 checkpoint,
`rlvr export` it, load the export with `transformers` and compare its logits with
rlvr's on the export, and check that training moved the weights; and export
freshly initialised char-tokenizer models of each layout and compare again.
Usage: hf_parity_test.py HF_FORWARD_BINARY RLVR_BINARY SOURCE_DIR"""
import importlib.util
import json
import pathlib
import subprocess
import sys
import tempfile

try:
    import torch
    import transformers
    from safetensors.torch import load_file
except ImportError as e:
    sys.exit(f"hf_parity_test: needs transformers, safetensors and torch ({e}); "
             "scripts/test.sh installs them, or run: python3 -m pip install transformers safetensors")

TOLERANCE = 1e-4
BF16_RELATIVE_TOLERANCE = 2 ** -5  # bf16 keeps 8 significant bits; a few roundings apart
NEW_TOKENS = 32
PROMPTS = ["What is 12+34?", "  Spaces around  ", "Grüße 👍 <think>", "line one\nline two"]


def load_fixture_module(source_dir):
    scripts = pathlib.Path(source_dir) / "scripts"
    sys.path.insert(0, str(scripts))  # the script imports tokenizer_patterns beside it
    path = scripts / "make_tiny_hf_checkpoint.py"
    spec = importlib.util.spec_from_file_location("make_tiny_hf_checkpoint", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_checkpoint(fixture, family, out, **overrides):
    args = dict(hidden=64, layers=2, heads=4, kv_heads=2, init_std=0.1, seed=0, tie=False,
                rope_scaling="none", max_shard_size="2GB")
    args.update(overrides)
    ns = type("Args", (), args)
    torch.manual_seed(ns.seed)
    tokenizer = fixture.make_tokenizer(family, ns.seed)
    model = fixture.make_model(family, len(tokenizer), ns, tokenizer)
    model.save_pretrained(out, max_shard_size=ns.max_shard_size)
    tokenizer.save_pretrained(out)
    return tokenizer


def run_driver(binary, request, workdir):
    path = pathlib.Path(workdir) / "request.json"
    path.write_text(json.dumps(request))
    done = subprocess.run([binary, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"hf_forward failed: {done.stderr}")
    return json.loads(done.stdout)


def hf_logits(model, ids):
    with torch.no_grad():
        return model(torch.tensor(ids)).logits.float()


def hf_greedy(model, prompt):
    with torch.no_grad():
        out = model.generate(torch.tensor([prompt]), max_new_tokens=NEW_TOKENS, do_sample=False,
                             eos_token_id=None, pad_token_id=0,
                             attention_mask=torch.ones(1, len(prompt), dtype=torch.long))
    return out[0, len(prompt):].tolist()


def check_family(name, directory, tokenizer, binary, workdir, failures):
    model = transformers.AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32).eval()
    gen = torch.Generator().manual_seed(7)
    vocab = len(tokenizer)
    ids = torch.randint(0, vocab, (3, 24), generator=gen).tolist()
    prompts = [torch.randint(0, vocab, (n,), generator=gen).tolist() for n in (5, 11, 17)]
    ours = run_driver(binary, {"hf_path": str(directory), "logits": ids, "greedy": prompts,
                               "new_tokens": NEW_TOKENS, "prompts": PROMPTS}, workdir)

    diff = (torch.tensor(ours["logits"]) - hf_logits(model, ids)).abs().max().item()
    print(f"{name}: max |logit difference| = {diff:.2e} over {len(ids)}x{len(ids[0])}x{vocab}")
    if diff > TOLERANCE:
        failures.append(f"{name}: logits differ by {diff:.2e} > {TOLERANCE}")

    bf16 = run_driver(binary, {"hf_path": str(directory), "dtype": "bfloat16", "logits": ids}, workdir)
    reference = transformers.AutoModelForCausalLM.from_pretrained(directory, dtype=torch.bfloat16).eval()
    reference_logits = hf_logits(reference, ids)
    scale = reference_logits.abs().max().item()
    diff16 = (torch.tensor(bf16["logits"]) - reference_logits).abs().max().item()
    print(f"{name}: bfloat16 max |logit difference| = {diff16:.2e} (largest |logit| {scale:.2f})")
    if diff16 > BF16_RELATIVE_TOLERANCE * scale:
        failures.append(f"{name}: bfloat16 logits differ by {diff16:.2e} > 2^-5 * {scale:.2f}")

    for prompt, got in zip(prompts, ours["greedy"]):
        want = hf_greedy(model, prompt)
        if got != want:
            failures.append(f"{name}: greedy after {len(prompt)} tokens differs:\n  rlvr {got}\n  hf   {want}")
    print(f"{name}: greedy {NEW_TOKENS} tokens compared for {len(prompts)} prompts")

    for prompt, got in zip(PROMPTS, ours["prompt_ids"]):
        text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                             add_generation_prompt=True, tokenize=False)
        want = tokenizer(text, add_special_tokens=False)["input_ids"]
        if got != want:
            failures.append(f"{name}: chat prompt {prompt!r} encodes differently:\n  rlvr {got}\n  hf   {want}")
    end_of_turn = "<|eot_id|>" if name.startswith("llama") else "<|im_end|>"
    if ours["end_id"] != tokenizer.convert_tokens_to_ids(end_of_turn):
        failures.append(f"{name}: end id {ours['end_id']} is not {end_of_turn}")
    print(f"{name}: {len(PROMPTS)} chat prompts compared")


def check_export_round_trip(rlvr, binary, source_dir, directory, workdir, failures):
    run_dir = pathlib.Path(workdir) / "run"
    export_dir = pathlib.Path(workdir) / "export"
    config = pathlib.Path(source_dir) / "configs" / "qwen2_tiny_rl.pbtxt"
    train = [rlvr, "train", str(config), "--overwrite", "--set", f"model.hf_path={directory}",
             "--set", f"output.run_dir={run_dir}", "--set", "sft.steps=10", "--set", "rl.steps=2",
             "--set", "rl.sft_control=false", "--set", "eval.num_tasks=16",
             "--set", "output.checkpoint_every=1000"]
    for command in (train, [rlvr, "export", str(run_dir), "--out", str(export_dir)]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            failures.append(f"export round trip: {' '.join(command[:2])} failed:\n{done.stderr[-2000:]}")
            return
    model = transformers.AutoModelForCausalLM.from_pretrained(export_dir, dtype=torch.float32).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(export_dir)
    ids = [tokenizer("12+34= 46")["input_ids"] * 3]
    ours = run_driver(binary, {"hf_path": str(export_dir), "logits": ids}, workdir)
    diff = (torch.tensor(ours["logits"]) - hf_logits(model, ids)).abs().max().item()
    before, after = load_file(pathlib.Path(directory) / "model.safetensors"), load_file(
        export_dir / "model.safetensors")
    moved = max((after[k] - before[k]).abs().max().item() for k in before)
    print(f"export: transformers loads the trained export; max |logit difference| = {diff:.2e}; "
          f"largest weight change from training = {moved:.2e}")
    if diff > TOLERANCE:
        failures.append(f"export: logits differ by {diff:.2e} > {TOLERANCE}")
    if sorted(before) != sorted(after):
        failures.append(f"export: tensor names differ: {sorted(set(before) ^ set(after))}")
    if moved == 0:
        failures.append("export: the exported weights equal the initial ones (training did not reach them)")

    # The same run in bfloat16, sharded: transformers reads the index, and every
    # tensor is the float32 export rounded to bfloat16.
    sharded = pathlib.Path(workdir) / "export-bf16"
    command = [rlvr, "export", str(run_dir), "--out", str(sharded), "--dtype", "bfloat16",
               "--max-shard-gb", "0.0001"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"export: bfloat16 sharded export failed:\n{done.stderr[-2000:]}")
        return
    shards = sorted(p.name for p in sharded.glob("model-*.safetensors"))
    model16 = transformers.AutoModelForCausalLM.from_pretrained(sharded).eval()
    state16 = model16.state_dict()
    mismatched = [k for k, v in after.items() if not torch.equal(state16[k], v.to(torch.bfloat16))]
    print(f"export: bfloat16 in {len(shards)} shards, loaded as {model16.dtype}; "
          f"{len(mismatched)} tensors differ from the rounded float32 export")
    if len(shards) < 2 or model16.dtype != torch.bfloat16 or mismatched:
        failures.append(f"export: bfloat16 sharded export: {len(shards)} shards, {model16.dtype}, "
                        f"differing tensors {mismatched[:3]}")


def check_fresh_model_export(binary, workdir, failures):
    """A model rlvr initialised itself (char tokenizer) is written as the family
    its flags describe, and transformers computes the same logits from it."""
    cases = [("llama", "d_model: 32 n_layers: 2 n_heads: 4 n_kv_heads: 2 tie_embeddings: false",
              "LlamaForCausalLM"),
             ("qwen2", "d_model: 32 n_layers: 1 n_heads: 4 attention_bias: true", "Qwen2ForCausalLM"),
             ("qwen3", "d_model: 32 n_layers: 2 n_heads: 4 head_dim: 16 qk_norm: true",
              "Qwen3ForCausalLM")]
    ids = [[3, 14, 15, 92, 65, 35, 89, 79, 32, 38]]
    for name, model_text, architecture in cases:
        export_dir = pathlib.Path(workdir) / f"fresh-{name}"
        ours = run_driver(binary, {"model": model_text + " init_std: 0.2", "export": str(export_dir),
                                   "logits": ids}, workdir)
        model = transformers.AutoModelForCausalLM.from_pretrained(export_dir, dtype=torch.float32).eval()
        diff = (torch.tensor(ours["logits"]) - hf_logits(model, ids)).abs().max().item()
        got = type(model).__name__
        print(f"fresh {name}: exported as {got}; max |logit difference| = {diff:.2e}")
        if got != architecture or diff > TOLERANCE:
            failures.append(f"fresh {name}: loaded as {got} (want {architecture}), logits differ by {diff:.2e}")


def check_fresh_bpe_export(binary, directories, workdir, failures):
    """A fresh model on a tokenizer.json with a forced chat template exports a
    tokenizer_config.json whose template transformers renders to rlvr's prompt ids."""
    for name, template in (("qwen2", "chatml"), ("llama", "llama3")):
        export_dir = pathlib.Path(workdir) / f"fresh-bpe-{name}"
        tokenizer_json = pathlib.Path(directories[name]) / "tokenizer.json"
        ours = run_driver(binary, {"model": f'd_model: 32 n_layers: 1 n_heads: 4 tokenizer: "{tokenizer_json}" '
                                            f'chat_template: "{template}"',
                                   "export": str(export_dir), "prompts": PROMPTS}, workdir)
        tokenizer = transformers.AutoTokenizer.from_pretrained(export_dir)
        for prompt, got in zip(PROMPTS, ours["prompt_ids"]):
            text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                                 add_generation_prompt=True, tokenize=False)
            want = tokenizer(text, add_special_tokens=False)["input_ids"]
            if got != want:
                failures.append(f"fresh {template} export: {prompt!r} encodes differently:\n"
                                f"  rlvr {got}\n  hf   {want}")
        print(f"fresh {template} export: {len(PROMPTS)} chat prompts compared through the exported template")


def main():
    binary, rlvr, source_dir = sys.argv[1:4]
    fixture = load_fixture_module(source_dir)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        cases = [("llama", "llama", dict(rope_scaling="llama3", max_shard_size="40KB")),
                 ("qwen2", "qwen2", {}),
                 ("qwen3", "qwen3", dict(tie=True))]
        for name, family, overrides in cases:
            directory = tmp / name
            tokenizer = make_checkpoint(fixture, family, directory, **overrides)
            shards = sorted(p.name for p in directory.glob("*.safetensors"))
            print(f"{name}: {len(shards)} safetensors file(s)")
            check_family(name, directory, tokenizer, binary, tmp, failures)
        check_export_round_trip(rlvr, binary, source_dir, tmp / "qwen2", tmp, failures)
        check_fresh_model_export(binary, tmp, failures)
        check_fresh_bpe_export(binary, {name: tmp / name for name, _, _ in cases}, tmp, failures)
    for f in failures:
        print("FAIL", f)
    print("hf_parity:", "FAILED" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
