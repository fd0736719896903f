#!/usr/bin/env python3
"""Report of scripts/curriculum_experiment.sh: for each seed, the curriculum
arm's level and training pass rate by RL step, and both arms' eval accuracy at
the target level against RL FLOPs, compared at the largest RL compute both
arms reached (matched FLOPs). Writes README.md, results.json and two PNG plots
(gnuplot) into OUT_DIR.
Usage: curriculum_report.py RUNS_DIR OUT_DIR partial|binary SFT_STEPS TARGET_LEVEL SEED..."""
import json
import os
import statistics
import subprocess
import sys


def records(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def rl_flops(record):
    return record["flops/rl_generate"] + record["flops/rl_old_policy"] + record["flops/rl_reference"] + \
        record["flops/rl_train"]


def arm(run_dir):
    rows = records(run_dir)
    evals = [(rl_flops(r), r["step"], r["eval/accuracy"], r["eval/accuracy_stderr"])
             for r in rows if r["kind"] == "rl_eval"]
    steps = [(r["step"], r.get("curriculum/level", 0), r["accuracy"]) for r in rows if r["kind"] == "rl"]
    changes = [(r["step"], rl_flops(r), r["previous_level"], r["level"], r["pass_rate"])
               for r in rows if r["kind"] == "curriculum"]
    return {"evals": evals, "steps": steps, "changes": changes}


def accuracy_at(evals, flops):
    """The last evaluation at or below `flops` of RL compute."""
    best = evals[0]
    for e in evals:
        if e[0] <= flops * (1 + 1e-9):
            best = e
    return best


def plot(out_dir, arms, seeds, target):
    data = os.path.join(out_dir, "data")
    os.makedirs(data, exist_ok=True)
    for seed in seeds:
        for name in ("curriculum", "fixed"):
            with open(os.path.join(data, f"{name}_seed{seed}_eval.dat"), "w") as f:
                for flops, step, acc, err in arms[seed][name]["evals"]:
                    f.write(f"{max(flops, 1e9)} {acc} {err}\n")
        with open(os.path.join(data, f"curriculum_seed{seed}_steps.dat"), "w") as f:
            for step, level, acc in arms[seed]["curriculum"]["steps"]:
                f.write(f"{step} {level} {acc}\n")
    first = seeds[0]
    script = f"""
set terminal pngcairo size 900,500
set output '{out_dir}/levels.png'
set title 'Curriculum (seed {first}): training level and rolling pass rate by RL step'
set xlabel 'RL step'
set ylabel 'pass rate of the step''s rollouts'
set y2label 'level'
set yrange [0:1]
set y2range [-0.2:{target + 0.2}]
set y2tics 1
set ytics nomirror
set key center right
plot '{data}/curriculum_seed{first}_steps.dat' using 1:3 with lines lc rgb '#999999' title 'pass rate at the current level', \\
     '' using 1:2 axes x1y2 with steps lw 2 lc rgb '#d62728' title 'level'
set output '{out_dir}/accuracy_vs_flops.png'
set title 'Accuracy at the target level against RL compute'
set xlabel 'RL FLOPs'
set ylabel 'greedy eval accuracy at the target level'
unset y2label
unset y2tics
set logscale x
set format x '10^{{%L}}'
set yrange [0:*]
set key top left
plot """ + ", \\\n     ".join(
        f"'{data}/{name}_seed{seed}_eval.dat' using 1:2 with linespoints lc rgb '{color}' "
        f"dt {i + 1} title '{name} seed {seed}'"
        for i, seed in enumerate(seeds)
        for name, color in (("curriculum", "#d62728"), ("fixed", "#1f77b4"))) + "\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    runs, out_dir, reward, sft_steps, target = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    seeds = [int(s) for s in sys.argv[6:]]
    os.makedirs(out_dir, exist_ok=True)
    arms = {s: {name: arm(os.path.join(runs, f"{name}_seed{s}")) for name in ("curriculum", "fixed")}
            for s in seeds}
    rows = []
    for s in seeds:
        c, f = arms[s]["curriculum"], arms[s]["fixed"]
        matched = min(c["evals"][-1][0], f["evals"][-1][0])
        ca, fa = accuracy_at(c["evals"], matched), accuracy_at(f["evals"], matched)
        highest = int(max([0] + [ch[3] for ch in c["changes"]]))
        highest_step = next((ch[0] for ch in c["changes"] if ch[3] == highest), 0)
        rows.append({"seed": s, "matched_rl_flops": matched, "sft_accuracy": c["evals"][0][2],
                     "curriculum": {"accuracy": ca[2], "stderr": ca[3], "step": ca[1]},
                     "fixed": {"accuracy": fa[2], "stderr": fa[3], "step": fa[1]},
                     "curriculum_final": {"accuracy": c["evals"][-1][2], "rl_flops": c["evals"][-1][0]},
                     "fixed_final": {"accuracy": f["evals"][-1][2], "rl_flops": f["evals"][-1][0]},
                     "curriculum_changes": c["changes"], "highest_level": highest,
                     "highest_level_step": highest_step})
    diffs = [r["curriculum"]["accuracy"] - r["fixed"]["accuracy"] for r in rows]
    summary = {
        "curriculum_mean": statistics.mean(r["curriculum"]["accuracy"] for r in rows),
        "fixed_mean": statistics.mean(r["fixed"]["accuracy"] for r in rows),
        "difference_mean": statistics.mean(diffs),
        "difference_sd": statistics.stdev(diffs) if len(diffs) > 1 else 0.0,
        "seeds_curriculum_ahead": sum(d > 0 for d in diffs),
    }
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"seeds": rows, "summary": summary}, f, indent=2)
    plot(out_dir, arms, seeds, target)

    lines = [
        f"# Curriculum against training at the target level: {reward} reward",
        "",
        "Reward: " + ("the grid verifier's partial credit (the fraction of blanks filled right)." if reward == "partial"
                      else "binary (`verifier.binary_reward`): 1 for a solved puzzle, else 0."),
        "",
        f"`scripts/curriculum_experiment.sh` on `configs/curriculum.pbtxt` (Sudoku; the target is level {target},",
        "`rlvr tasks sudoku` lists the blanks of each level). Per seed, one SFT run on level 0",
        f"({sft_steps} steps) is copied into two RL runs evaluated on the target level's eval split:",
        "**curriculum** trains from level 0 and moves up a level when 70% of the last 256 rollouts are right;",
        "**fixed** trains at the target throughout, for the steps the script gives it. Accuracy is greedy, on",
        "the 200 eval tasks of the target level, compared at the largest RL compute both arms reached (the last",
        "evaluation at or below it), +- its standard error.",
        "",
        "| seed | SFT | curriculum | fixed | matched RL FLOPs | curriculum's highest level (first at step) "
        "| final: curriculum (RL FLOPs) | final: fixed (RL FLOPs) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['seed']} | {r['sft_accuracy']:.3f} | {r['curriculum']['accuracy']:.3f} +- "
                     f"{r['curriculum']['stderr']:.3f} | {r['fixed']['accuracy']:.3f} +- {r['fixed']['stderr']:.3f} | "
                     f"{r['matched_rl_flops']:.3g} | {r['highest_level']} ({r['highest_level_step']}) | "
                     f"{r['curriculum_final']['accuracy']:.3f} ({r['curriculum_final']['rl_flops']:.3g}) | "
                     f"{r['fixed_final']['accuracy']:.3f} ({r['fixed_final']['rl_flops']:.3g}) |")
    lines += [
        "",
        f"Mean over seeds: curriculum {summary['curriculum_mean']:.3f}, fixed {summary['fixed_mean']:.3f}; "
        f"difference {summary['difference_mean']:+.3f} (sd over seeds {summary['difference_sd']:.3f}); "
        f"the curriculum is ahead on {summary['seeds_curriculum_ahead']} of {len(rows)} seeds.",
        "",
        "![levels](levels.png)",
        "",
        "![accuracy against FLOPs](accuracy_vs_flops.png)",
        "",
    ]
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
