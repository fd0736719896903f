#!/usr/bin/env python3
"""Prints the peer benchmark's one Markdown table (rlvr against transformers
generate and TRL GRPOTrainer) from the result files run.sh leaves in
RESULTS/<model>/<workload>/, and writes it to --out.

Files read per cell (missing ones show as "-"): workload.json, hf_gen.json,
trl_step.json, gemm.json, rlvr_gen.json, rlvr_step.json, greedy.json, and
steps_skipped.json (the RL steps were not timed: "skipped") and cpu_busy.json
(other processes' CPU share before the row: flagged above 15%).

Ratios are rlvr's advantage: generation = rlvr tok/s / transformers tok/s,
step = TRL s/step / rlvr s/step, memory = other's peak RSS / rlvr's; above 1
means rlvr is faster or smaller. Model FLOP rates are the FLOPs the work needs
(rlvr's flops_needed, used for every system; "~" marks an estimate of 2 FLOPs
per parameter per token for generation and 8 for an RL step, used while rlvr's
JSON lacks it) over each system's time; the GEMM column is gemm_rate.py's rate
at the same shapes (decode shapes for generation, training shapes for the step).
"""
import argparse
import json
import os
import platform
import struct

from peer_flops import Shape, generation_flops, rl_step_flops

MODELS = ["quickstart", "25m", "100m"]
BUSY_LIMIT = 15  # run.sh's limit on other processes' CPU share
WORKLOADS = ["short", "prompt_heavy", "decode_heavy"]


def read(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError):
        return None


def parameter_count(model_dir):
    """All parameters, from the safetensors headers (no torch needed); None when unreadable."""
    try:
        total = 0
        for name in os.listdir(model_dir):
            if not name.endswith(".safetensors"):
                continue
            with open(os.path.join(model_dir, name), "rb") as f:
                (n,) = struct.unpack("<Q", f.read(8))
                header = json.loads(f.read(n))
            for key, meta in header.items():
                if key != "__metadata__":
                    count = 1
                    for s in meta["shape"]:
                        count *= s
                    total += count
        return total or None
    except (OSError, ValueError, struct.error):
        return None


def fmt(x, spec, suffix=""):
    return "-" if x is None else f"{x:{spec}}{suffix}"


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def get(d, key):
    return d.get(key) if d else None


def row(model, workload, d, notes):
    w, hf, trl, gemm = d.get("workload"), d.get("hf_gen"), d.get("trl_step"), d.get("gemm")
    rg, rs, greedy = d.get("rlvr_gen"), d.get("rlvr_step"), d.get("greedy")
    skipped = d.get("steps_skipped")
    busy = get(d.get("cpu_busy"), "busy_percent")
    if skipped:
        trl = rs = None
        notes.add(f"\"skipped\" RL steps: {skipped.get('reason', '')}.")
    model_dir = get(hf, "model_dir") or get(trl, "model_dir") or get(gemm, "model_dir")
    total = parameter_count(model_dir) if model_dir else None
    shape = None
    if model_dir:
        try:
            shape = Shape(model_dir)
        except (OSError, KeyError, ValueError):
            shape = None
    P = len(w["prompts"]) if w else None
    G, new = get(w, "group_size"), get(w, "max_new_tokens")
    prompt = len(w["prompts"][0]) if w else None
    work = (P, prompt, G, new)

    # Generation: every system makes P*G*new tokens; rlvr's flops_needed counts that work.
    gen_flops, gen_est = get(rg, "flops_needed"), False
    if gen_flops is None and shape and w:
        gen_flops, gen_est = generation_flops(shape, *work), True
    # RL step: TRL always samples new tokens per row; rlvr's step stops a row at the end token,
    # so its flops_needed counts its own (maybe shorter) work.
    full_step = rl_step_flops(shape, *work) if shape and w else None
    r_tokens, full_tokens = get(rs, "completion_tokens"), (P * G * new if w else None)
    short = r_tokens is not None and full_tokens and r_tokens < full_tokens - 0.5
    rlvr_step_flops = get(rs, "flops_needed") or full_step
    trl_step_flops = full_step if short or get(rs, "flops_needed") is None else get(rs, "flops_needed")
    step_est = get(rs, "flops_needed") is None

    def rate(flops, seconds, est):
        if not flops or not seconds:
            return "-"
        return f"{'~' if est else ''}{flops / seconds / 1e9:.1f}"

    r_tps, h_tps = get(rg, "tokens_per_second"), get(hf, "tokens_per_second")
    r_s, t_s = get(rs, "seconds_per_step"), get(trl, "seconds_per_step")
    gen_rates = " / ".join([rate(gen_flops, get(rg, "seconds"), gen_est), rate(gen_flops, get(hf, "seconds"), gen_est),
                            fmt(get(gemm, "decode_gflops"), ".0f")])
    step_rates = " / ".join([rate(rlvr_step_flops, r_s, step_est), rate(trl_step_flops, t_s, step_est),
                             fmt(get(gemm, "train_gflops"), ".0f")])
    r_s_cell = "skipped" if skipped else fmt(r_s, ".2f")
    if short:
        r_s_cell += f" ({100 * r_tokens / full_tokens:.0f}% of tokens)"
        notes.add("(N% of tokens): rlvr's RL step stopped completions at the end token and sampled that share "
                  "of TRL's P*G*max_new tokens, so its s/step is for less work; its FLOP rate is for the work it did.")
    rss_gen = (f"{fmt(get(rg, 'peak_rss_mb'), '.0f')} / {fmt(get(hf, 'peak_rss_mb'), '.0f')} "
               f"({fmt(ratio(get(hf, 'peak_rss_mb'), get(rg, 'peak_rss_mb')), '.2f', 'x')})")
    rss_step = (f"{fmt(get(rs, 'peak_rss_mb'), '.0f')} / {fmt(get(trl, 'peak_rss_mb'), '.0f')} "
                f"({fmt(ratio(get(trl, 'peak_rss_mb'), get(rs, 'peak_rss_mb')), '.2f', 'x')})")
    size = f"{model} ({total / 1e6:.3g}M)" if total else model
    shape_cell = f"{workload} (P={P}, G={G}, {prompt}+{new})" if w else workload
    if busy is not None and busy > BUSY_LIMIT:
        shape_cell += f" [CPU {busy}% busy]"
        notes.add(f"[CPU N% busy]: other processes used N% of the CPUs just before this row was measured "
                  f"(over {BUSY_LIMIT}%), so its timings are low and noisy; rerun it on an idle machine.")
    greedy_cell = "-" if not greedy else greedy.get("summary", "-").replace("|", "/")
    if "~" in gen_rates + step_rates:
        notes.add("\"~\": FLOPs from bench/peers/peer_flops.py (rlvr's formula), rlvr's flops_needed being missing.")
    return [size, shape_cell, fmt(r_tps, ".0f"), fmt(h_tps, ".0f"), fmt(ratio(r_tps, h_tps), ".2f", "x"),
            r_s_cell, "skipped" if skipped else fmt(t_s, ".2f"), fmt(ratio(t_s, r_s), ".2f", "x"),
            gen_rates, step_rates, rss_gen, rss_step, greedy_cell]


HEADER = ["model (params)", "workload (P, G, prompt+new)", "rlvr gen tok/s", "transformers tok/s", "gen ratio",
          "rlvr s/step", "TRL s/step", "step ratio", "gen GFLOP/s rlvr / transformers / GEMM",
          "step GFLOP/s rlvr / TRL / GEMM", "gen peak RSS MB rlvr / transformers (ratio)",
          "step peak RSS MB rlvr / TRL (ratio)", "greedy identical"]


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("results", help="directory holding <model>/<workload>/*.json (run.sh: .cache/results)")
    parser.add_argument("--out", help="also write the table here (run.sh: .cache/results.md)")
    parser.add_argument("--models", help="comma-separated models to show (default: all under RESULTS)")
    parser.add_argument("--workloads", help="comma-separated workloads to show (default: all)")
    parser.add_argument("--note", action="append", default=[], help="a line printed under the table (repeatable)")
    args = parser.parse_args()
    if not os.path.isdir(args.results):
        raise SystemExit(f"table.py: error: {args.results} is not a directory\n  fix: run bench/peers/run.sh first")
    models = [m for m in MODELS if os.path.isdir(os.path.join(args.results, m))]
    models += sorted(m for m in os.listdir(args.results) if m not in MODELS and os.path.isdir(
        os.path.join(args.results, m)))
    if args.models:
        models = [m for m in models if m in args.models.split(",")]
    workloads = WORKLOADS if not args.workloads else [w for w in WORKLOADS if w in args.workloads.split(",")]
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    threads, notes = set(), set()
    for m in models:
        names = [w for w in workloads if os.path.isdir(os.path.join(args.results, m, w))]
        for wl in names:
            base = os.path.join(args.results, m, wl)
            d = {k: read(os.path.join(base, k + ".json"))
                 for k in ("workload", "hf_gen", "trl_step", "gemm", "rlvr_gen", "rlvr_step", "greedy",
                          "steps_skipped", "cpu_busy")}
            for k in ("hf_gen", "trl_step", "gemm", "rlvr_gen", "rlvr_step"):
                if d[k] and d[k].get("threads"):
                    threads.add(d[k]["threads"])
            lines.append("| " + " | ".join(row(m, wl, d, notes)) + " |")
    if len(lines) == 2:
        raise SystemExit(f"table.py: error: no results under {args.results}\n  fix: run bench/peers/run.sh first")
    notes_head = [f"{cpu_name()}, {'/'.join(str(t) for t in sorted(threads)) or '?'} threads, fp32. "
             "Ratios > 1 mean rlvr is faster / smaller. FLOP rates: the FLOPs the work needs "
             "(rlvr's flops_needed: each distinct prompt's prefill once) over each system's time."]
    notes = notes_head + sorted(notes) + args.note
    text = "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"
    print(text, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
