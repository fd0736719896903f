#!/usr/bin/env bash
# Installs what is missing, builds, and trains the quickstart experiment.
# Extra arguments go to `rlvr train` (e.g. --set sft.steps=100).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh rlvr
exec ./build/rlvr train configs/quickstart.pbtxt --overwrite "$@"
