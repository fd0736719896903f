#!/usr/bin/env python3
"""Measures this machine's fp32 matrix-multiply rate (GFLOP/s, torch.mm on the
pinned threads) at the shapes of one model's work on one workload: what the
hardware gives at those shapes, to read the systems' model FLOP rates against.

Shapes, with d = hidden_size and f = intermediate_size from config.json:
  [rows x d] @ [d x f]   (MLP up/gate)    [rows x f] @ [f x d]   (MLP down)
  [rows x d] @ [d x d]   (attention q/o)
at rows = P*G (one decode step) and rows = P*G*(prompt + max_new_tokens) (a
training pass over every token), plus a 1024 x 1024 x 1024 reference. Each
shape: one warm-up, then repeats until 0.3 s or 50 repeats (at least 3), median.
The summary rate of a kind is the FLOPs of one layer's mix of these shapes
(2 up/gate, 1 down, 2 q/o) over the time the medians say it takes.

Writes {"shapes": [{"name", "m", "k", "n", "gflops"}...], "decode_gflops",
"train_gflops", "reference_gflops", ...}.
"""
import argparse
import json
import os
import time

import peer_common
from peer_common import check_model_dir, die, load_workload, median, write_json

SCRIPT = "gemm_rate.py"
LAYER_MIX = {"up": 2, "down": 1, "attn": 2}


def time_mm(torch, m, k, n, min_seconds=0.3, max_repeats=50):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    out = torch.empty(m, n)
    torch.mm(a, b, out=out)  # warm-up
    times = []
    while len(times) < 3 or (sum(times) < min_seconds and len(times) < max_repeats):
        start = time.perf_counter()
        torch.mm(a, b, out=out)
        times.append(time.perf_counter() - start)
    return median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model_dir", help="Hugging Face checkpoint (its config.json gives d and f)")
    parser.add_argument("workload", help="workload JSON from make_workload.py (gives P*G and the lengths)")
    parser.add_argument("--json-out", required=True, help="result JSON to write")
    args = parser.parse_args()
    check_model_dir(args.model_dir, SCRIPT)
    w = load_workload(args.workload, SCRIPT)
    with open(os.path.join(args.model_dir, "config.json")) as f:
        cfg = json.load(f)
    try:
        d, ff = int(cfg["hidden_size"]), int(cfg["intermediate_size"])
    except KeyError as e:
        die(SCRIPT, f"{args.model_dir}/config.json has no {e}", "use a Llama/Qwen2-layout checkpoint")
    torch = peer_common.pin_torch_threads()
    torch.manual_seed(0)

    rows = len(w["prompts"]) * w["group_size"]
    seq = len(w["prompts"][0]) + w["max_new_tokens"]
    shapes, summary = [], {}
    for kind, m in (("decode", rows), ("train", rows * seq)):
        flops = seconds = 0.0
        for name, k, n in (("up", d, ff), ("down", ff, d), ("attn", d, d)):
            s = time_mm(torch, m, k, n)
            shapes.append({"kind": kind, "name": name, "m": m, "k": k, "n": n, "seconds": s,
                           "gflops": 2 * m * k * n / s / 1e9})
            flops += LAYER_MIX[name] * 2 * m * k * n
            seconds += LAYER_MIX[name] * s
        summary[f"{kind}_gflops"] = flops / seconds / 1e9
    ref = time_mm(torch, 1024, 1024, 1024)
    result = {"model_dir": args.model_dir, "workload": w["name"], "threads": torch.get_num_threads(),
              "d_model": d, "d_ff": ff, "decode_rows": rows, "train_rows": rows * seq, "shapes": shapes,
              **summary, "reference_gflops": 2 * 1024 ** 3 / ref / 1e9}
    write_json(args.json_out, result)
    print(f"GEMM fp32, {result['threads']} threads: decode shapes {summary['decode_gflops']:.1f} GFLOP/s "
          f"(rows {rows}), training shapes {summary['train_gflops']:.1f} GFLOP/s (rows {rows * seq}), "
          f"1024^3 {result['reference_gflops']:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
