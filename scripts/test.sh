#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
# Extra arguments go to ctest (e.g. -R Config).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# Reference implementations the tests compare rlvr against (tests only):
# TensorBoard's event reader, tokenizers, safetensors, transformers, TRL (its
# GRPO loss, and its trainer calling the Python module) and pytest.
if ! python3 -c 'import tensorboard, tokenizers, safetensors, transformers, trl, pytest' 2>/dev/null; then
  echo "test: installing tensorboard, tokenizers, safetensors, transformers, trl and pytest (test references)"
  packages="tensorboard tokenizers safetensors transformers trl pytest"
  python3 -m pip install -q $packages 2>/dev/null ||
    python3 -m pip install -q --break-system-packages $packages
fi
# The run's temporary files go in a directory of its own, removed at the end:
# tests name their scratch directories after themselves and their process
# (tests/scratch_dir.h), and what a killed test or a sandboxed program leaves
# behind goes with the directory instead of piling up in /tmp.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/rlvr-test.XXXXXX")"
trap 'rm -rf "$scratch" || true' EXIT
export TMPDIR="$scratch"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
