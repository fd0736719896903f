#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
# Extra arguments go to ctest (e.g. -R Config).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# Reference readers the tests compare rlvr's files against (tests only).
if ! python3 -c 'import tensorboard, tokenizers' 2>/dev/null; then
  echo "test: installing tensorboard and tokenizers (reference readers for rlvr's event files and BPE)"
  python3 -m pip install -q tensorboard tokenizers 2>/dev/null ||
    python3 -m pip install -q --break-system-packages tensorboard tokenizers
fi
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
