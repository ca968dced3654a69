"""The TensorFlow-free widget tests, run again on ipywidgets 7.7.1, the version Colab ships.

A small virtual environment in .venv-ipyw7/ (git-ignored) holds ipywidgets 7.7.1 with
only what its Python side needs, NumPy, matplotlib, Pillow and pytest, and the course
package installed without its dependencies, so without TensorFlow. It is built on the
first run (from PyPI) and reused while its requirements stay the same.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = ROOT / ".venv-ipyw7"
IPYWIDGETS = "7.7.1"
# ipywidgets 7's own dependencies would pull in the classic notebook server and a JupyterLab;
# its Python side needs only these.
REQUIREMENTS = [
    f"ipywidgets=={IPYWIDGETS}",
    "ipykernel>=6,<7",
    "ipython",
    "ipython_genutils",
    "traitlets",
    "numpy",
    "matplotlib",
    "pillow",
    "pytest",
]


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, failing with its output if it fails."""
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout}{result.stderr}"
    )
    return result


def ipywidgets7_python() -> Path:
    """Return the Python of the ipywidgets 7 environment, building it if needed."""
    python = ENV / "bin" / "python"
    stamp = ENV / f".ready-{hashlib.sha256(' '.join(REQUIREMENTS).encode()).hexdigest()[:12]}"
    if not (python.exists() and stamp.exists()):
        run(sys.executable, "-m", "venv", "--clear", ENV)
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run(*pip, "--no-deps", REQUIREMENTS[0])
        run(*pip, *REQUIREMENTS[1:])
        run(*pip, "--no-deps", "--editable", ROOT)
        stamp.touch()
    return python


def test_widget_tests_pass_on_ipywidgets_7():
    python = ipywidgets7_python()
    version = run(python, "-c", "import ipywidgets; print(ipywidgets.__version__)")
    assert version.stdout.strip() == IPYWIDGETS
    no_tf = run(python, "-c", "import importlib.util as u; print(u.find_spec('tensorflow'))")
    assert no_tf.stdout.strip() == "None"  # the widgets really run without TensorFlow
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_widgets.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
