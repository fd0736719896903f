#!/usr/bin/env bash
# Installs what rlvr needs and is missing (Debian 12, as root or with sudo), then
# configures and builds it into build/. Idempotent: a no-op install and an
# incremental build when everything is already there. Arguments name the build
# targets (default: everything, tests included).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential cmake ccache git python3 python3-pip python3-venv
  libprotobuf-dev protobuf-compiler libspdlog-dev libfmt-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev
  libseccomp-dev libgmp-dev gnuplot-nox libgloo-dev)
TORCH_VERSION=2.13.0

# Each step reports its time, so that a slow first run shows where it went.
step_start=$SECONDS
step_done() { echo "setup: $1 took $((SECONDS - step_start)) s"; step_start=$SECONDS; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # A cmake already on PATH (pip) serves as well as Debian's; the sandbox runs
  # programs with /usr/bin/python3, so that one must be Debian's.
  case "$p" in
    cmake) command -v cmake >/dev/null && continue ;;
    python3) [ -x /usr/bin/python3 ] && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  # Recommends would add ImageMagick, Ghostscript and fonts (via groff) that
  # nothing here uses.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  step_done "apt-get"
fi

# LibTorch comes from the PyTorch wheel; any installed torch 2.x (a CUDA build
# on a GPU machine, say) is used as it is.
if ! python3 -c 'import torch, sys; sys.exit(0 if torch.__version__.startswith("2.") else 1)' 2>/dev/null; then
  echo "setup: installing torch==${TORCH_VERSION}"
  pip_install() { python3 -m pip install -q "$@"; }
  pip_install "torch==${TORCH_VERSION}" 2>/dev/null ||
    pip_install --break-system-packages "torch==${TORCH_VERSION}"
  step_done "pip install torch"
fi

# pybind11 builds the Python module (python/, `import rlvr`) beside the CLI.
if ! python3 -c 'import pybind11' 2>/dev/null; then
  echo "setup: installing pybind11 (the Python module's bindings)"
  python3 -m pip install -q pybind11 2>/dev/null || python3 -m pip install -q --break-system-packages pybind11
  step_done "pip install pybind11"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
step_done "configure and build"
