#!/usr/bin/env python3
"""`pip install ./python` works as docs/python.md says, and `import rlvr` loads
neither torch nor rlvr's trainer. Installs into a fresh virtual environment
(with the system's site-packages for scikit-build-core and pybind11, so no
download is needed: --no-build-isolation). Usage: pip_install_test.py SOURCE_DIR"""
import os
import subprocess
import sys
import tempfile

CHECK = """
import sys
import rlvr
from rlvr.integrations import trl, verl
assert "torch" not in sys.modules, "import rlvr loaded torch"
assert rlvr.verify("math", "1/2", "so $\\\\boxed{0.5}$").correct
assert rlvr.__file__.startswith(sys.prefix), rlvr.__file__
print("installed rlvr at", rlvr.__file__)
"""


def main():
    source = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        install = subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "-q",
                                  os.path.join(source, "python")], capture_output=True, text=True)
        if install.returncode != 0:
            print(install.stdout[-3000:], install.stderr[-3000:])
            sys.exit("pip install ./python failed")
        # Outside the source tree, so the installed package is the one imported.
        check = subprocess.run([python, "-c", CHECK], cwd=tmp, capture_output=True, text=True)
        print(check.stdout, check.stderr)
        if check.returncode != 0:
            sys.exit("the installed module does not work")


if __name__ == "__main__":
    main()
