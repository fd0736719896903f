"""Helpers shared by the bench/peers scripts: thread pinning, peak RSS, the
workload file, error exits and the JSON result file.

Every peer script imports this module FIRST, before torch, because the thread
count of OpenMP/MKL is fixed when torch loads: pinning it afterwards would
leave the BLAS pools at the machine's full width while rlvr runs on 2 threads.
"""
import json
import os
import resource
import statistics
import sys

THREADS = int(os.environ.get("PEER_THREADS", "2"))
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

WORKLOAD_KINDS = ("short", "prompt_heavy", "decode_heavy")


def die(script, what, how):
    """Exit with one line saying what went wrong, in which script, and how to fix it."""
    sys.exit(f"{script}: error: {what}\n  fix: {how}")


def pin_torch_threads():
    """Sets torch's intra- and inter-op pools to THREADS; returns torch."""
    import torch
    torch.set_num_threads(THREADS)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (only allowed once per process)
    return torch


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB (ru_maxrss is kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def median(values):
    return statistics.median(values) if values else float("nan")


def load_workload(path, script):
    """Reads and checks a workload JSON written by make_workload.py."""
    try:
        with open(path) as f:
            w = json.load(f)
    except FileNotFoundError:
        die(script, f"workload {path} does not exist",
            "write it with bench/peers/make_workload.py MODEL_DIR --kind KIND --prompts P --out FILE")
    except json.JSONDecodeError as e:
        die(script, f"workload {path} is not valid JSON ({e})", "rewrite it with bench/peers/make_workload.py")
    for key in ("name", "prompts", "answers", "group_size", "max_new_tokens"):
        if key not in w:
            die(script, f"workload {path} has no '{key}' field", "rewrite it with bench/peers/make_workload.py")
    prompts = w["prompts"]
    if not prompts or len(prompts) != len(w["answers"]):
        die(script, f"workload {path}: {len(prompts)} prompts but {len(w['answers'])} answers",
            "rewrite it with bench/peers/make_workload.py")
    lengths = {len(p) for p in prompts}
    if len(lengths) != 1:
        die(script, f"workload {path}: prompts have different lengths {sorted(lengths)} (the benchmark needs "
            "equal lengths so no side pads)", "rewrite it with bench/peers/make_workload.py")
    return w


def check_model_dir(path, script):
    if not os.path.isfile(os.path.join(path, "config.json")):
        die(script, f"{path} is not a Hugging Face checkpoint (no config.json)",
            "make the models with bench/peers/make_models.sh (or pass a directory holding config.json and "
            "model.safetensors)")


def write_json(path, obj, indent=1):
    """Writes obj to path atomically (a reader never sees half a file)."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=indent)
        f.write("\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    import argparse
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="A module imported by the other "
                            "bench/peers scripts; it does nothing when run.").parse_args()
