#!/usr/bin/env python3
"""Reads a run's TensorBoard event files back with the tensorboard package's own
reader and checks them against metrics.jsonl: every scalar, its step and value,
and the FLOPs-as-step tag set. Usage: tensorboard_events_test.py RLVR_BINARY SOURCE_DIR"""
import json
import math
import pathlib
import subprocess
import sys
import tempfile

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main(rlvr, source):
    with tempfile.TemporaryDirectory() as tmp:
        run = pathlib.Path(tmp) / "run"
        subprocess.run([rlvr, "--log-level", "warn", "train", "configs/addition.pbtxt",
                        "--set", "env.arithmetic.digits=1", "--set", "model.d_model=64",
                        "--set", "model.n_layers=2", "--set", "env.eval_size=20",
                        "--set", "env.eval_fraction=0.2", "--set", "sft.steps=30",
                        "--set", "sft.stop_at_train_accuracy=0", "--set", "rl.steps=6",
                        "--set", "rl.sft_control=false", "--set", "rl.prompts_per_step=8",
                        "--set", "output.log_every=5", "--set", "runtime.threads=1",
                        "--set", f"output.run_dir={run}"],
                       cwd=source, check=True, stdout=subprocess.DEVNULL)
        records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
        events = EventAccumulator(str(run / "tensorboard"), size_guidance={"scalars": 0})
        events.Reload()
        tags = set(events.Tags()["scalars"])
        checked = 0
        for record in records:
            for name, value in record.items():
                if name in ("kind", "step") or value is None:
                    continue
                tag = f"{record['kind']}/{name}"
                assert tag in tags, f"missing tag {tag}"
                points = {e.step: e.value for e in events.Scalars(tag)}
                assert record["step"] in points, f"{tag}: no step {record['step']}"
                assert math.isclose(points[record["step"]], value, rel_tol=1e-6, abs_tol=1e-6), \
                    f"{tag} at step {record['step']}: {points[record['step']]} != {value}"
                checked += 1
        rl = [r for r in records if r["kind"] == "rl"]
        by_flops = events.Scalars("rl_by_flops/reward/mean")
        assert [e.step for e in by_flops] == [int(r["flops/total"]) for r in rl], "FLOPs steps differ"
        print(f"{checked} scalars of {len(records)} records match; {len(by_flops)} by-FLOPs points")
        print("1 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
