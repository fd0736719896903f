#!/usr/bin/env python3
"""Safetensors parity: writes files with the reference `safetensors` package (one
file, and a sharded directory with a hand-made index) and checks that rlvr's
reader (through the safetensors_dump driver) sees the same names, dtypes, shapes,
bytes and metadata; then has rlvr rewrite the checkpoint in small shards and
loads every file back with `safetensors`, checking bit-exact equality and the
index. Usage: safetensors_parity_test.py SAFETENSORS_DUMP_BINARY"""
import json
import pathlib
import subprocess
import sys
import tempfile

try:
    import torch
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file
except ImportError as e:
    sys.exit(f"safetensors_parity_test: needs the `safetensors` and `torch` packages ({e}); "
             "run: python3 -m pip install safetensors torch")

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.int16: "I16",
          torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}
SHAPES = [(3, 5, 7), (1,), (), (0, 3), (17,), (2, 1, 3, 1), (64, 33), (4, 0)]
METADATA = {"format": "pt", "note": "parity ✓"}
SHARD_BYTES = 300  # some tensors are larger: they get a shard of their own


def make_tensors():
    gen = torch.Generator().manual_seed(0)
    tensors = {}
    for i, (dtype, name) in enumerate(DTYPES.items()):
        for j, shape in enumerate(SHAPES[i % 3:i % 3 + 4]):
            if dtype.is_floating_point:
                t = torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype) * 100
            elif dtype == torch.bool:
                t = torch.randint(0, 2, shape, generator=gen).bool()
            else:
                info = torch.iinfo(dtype)
                t = torch.randint(info.min, info.max, shape, generator=gen, dtype=torch.int64).to(dtype)
            tensors[f"model.layers.{i}.{name.lower()}_{j}"] = t
    tensors["lm_head.weight"] = torch.tensor([float("nan"), float("inf"), -0.0], dtype=torch.bfloat16)
    return tensors


def raw_bytes(t):
    return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def dump(binary, *args):
    out = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"safetensors_parity_test: safetensors_dump {' '.join(map(str, args))} failed: "
                 f"{out.stderr.strip()}")
    return json.loads(out.stdout) if out.stdout else None


def check_read(label, tensors, seen, metadata=None):
    """Compares safetensors_dump read output with the tensors; returns mismatches."""
    problems = []
    if metadata is not None and seen.pop("__metadata__", None) != metadata:
        problems.append("__metadata__ differs")
    if sorted(seen) != sorted(tensors):
        problems.append(f"names differ: {sorted(set(seen) ^ set(tensors))}")
    for name, t in tensors.items():
        got = seen.get(name)
        want = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "fnv1a64": fnv1a64(raw_bytes(t))}
        if got is not None and got != want:
            problems.append(f"{name}: ours {got} theirs {want}")
    print(f"{label}: {len(tensors)} tensors, {len(problems)} mismatches")
    for p in problems[:10]:
        print(f"  {p}")
    return len(problems)


def write_sharded(directory, tensors, shards):
    names = list(tensors)
    weight_map = {}
    for k in range(shards):
        file = f"model-{k + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[k::shards]}
        save_file(part, str(directory / file), metadata={"format": "pt"})
        weight_map.update({n: file for n in part})
    total = sum(len(raw_bytes(t)) for t in tensors.values())
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (directory / "model.safetensors.index.json").write_text(json.dumps(index, indent=2))


def check_copy(label, directory, tensors, limit):
    """Checks a checkpoint rlvr wrote with `limit`-byte shards against `tensors`."""
    problems = []
    total = sum(len(raw_bytes(t)) for t in tensors.values())
    index_path = directory / "model.safetensors.index.json"
    if index_path.exists() != (total > limit):
        problems.append(f"{total} bytes with {limit}-byte shards, yet index present: {index_path.exists()}")
    if index_path.exists():
        index = json.loads(index_path.read_text())
        weight_map = index["weight_map"]
        if sorted(weight_map) != sorted(tensors):
            problems.append("index weight_map names differ")
        if index["metadata"]["total_size"] != total:
            problems.append(f"total_size {index['metadata']['total_size']} is wrong")
        files = sorted(set(weight_map.values()))
        for number, file in enumerate(files, 1):
            if file != f"model-{number:05d}-of-{len(files):05d}.safetensors":
                problems.append(f"unexpected shard name {file}")
    else:
        weight_map = {name: "model.safetensors" for name in tensors}
        files = ["model.safetensors"]
    loaded = {}
    for file in files:
        path = directory / file
        shard = load_file(str(path))
        with safe_open(str(path), framework="pt") as f:
            if f.metadata() != {"format": "pt"}:
                problems.append(f"{file}: metadata {f.metadata()}")
        if sorted(shard) != sorted(n for n, f in weight_map.items() if f == file):
            problems.append(f"{file}: tensors differ from the index weight_map")
        size = sum(len(raw_bytes(t)) for t in shard.values())
        if len(files) > 1 and size > limit and len(shard) > 1:
            problems.append(f"{file}: {size} bytes in {len(shard)} tensors exceeds {limit}")
        loaded.update(shard)
    for name, t in tensors.items():
        got = loaded.get(name)
        if got is None or got.dtype != t.dtype or got.shape != t.shape or raw_bytes(got) != raw_bytes(t):
            problems.append(f"{name}: not bit-exact after the copy")
    print(f"{label}: {len(files)} files, {len(problems)} mismatches")
    for p in problems[:10]:
        print(f"  {p}")
    return len(problems)


def main(binary):
    tensors = make_tensors()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        single = tmp / "single" / "model.safetensors"
        single.parent.mkdir()
        save_file(tensors, str(single), metadata=METADATA)
        failures += check_read("read file", tensors, dump(binary, "read", single), METADATA)
        failures += check_read("read single dir", tensors, dump(binary, "read", single.parent))

        sharded = tmp / "sharded"
        sharded.mkdir()
        write_sharded(sharded, tensors, shards=3)
        failures += check_read("read sharded dir", tensors, dump(binary, "read", sharded))

        copied = tmp / "copied"
        dump(binary, "copy", sharded, copied, SHARD_BYTES)
        failures += check_copy(f"copy, {SHARD_BYTES}-byte shards", copied, tensors, SHARD_BYTES)
        failures += check_read("read the copy", tensors, dump(binary, "read", copied))
        # Rewriting in place as one file must leave no stale shards behind.
        dump(binary, "copy", sharded, copied, 10**9)
        if sorted(p.name for p in copied.iterdir()) != ["model.safetensors"]:
            print(f"copy to one file: stale files {sorted(p.name for p in copied.iterdir())}")
            failures += 1
        failures += check_copy("copy, one file", copied, tensors, 10**9)
    if failures:
        sys.exit(f"safetensors_parity_test: {failures} mismatches")
    print("safetensors_parity_test: all match")


if __name__ == "__main__":
    main(sys.argv[1])
