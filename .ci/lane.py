#!/usr/bin/env python3
"""CI lanes beyond `make test`: the course on Colab's packages, and on the oldest it claims.

    python3 .ci/lane.py colab            # build (or reuse) .venv-colab, then test
    python3 .ci/lane.py oldest           # build (or reuse) .venv-oldest, then test
    python3 .ci/lane.py colab --build    # only build (or reuse) the environment

colab:  Python 3.13 with Google Colab's packages at Colab's versions
        (.ci/colab-constraints.txt, a copy of Colab's pip freeze). Checks that installing
        the course adds nothing but the course and TF-GAN, installs it as the notebooks'
        set-up cell does (a regular, not an editable, install), runs the notebooks in quick
        mode, each alone in an empty folder with nbval (but those with big widgets, which
        tests/colab/ runs in the classic Notebook in a browser instead), and runs the widget,
        classifier and TF-GAN tests and tests/colab/ against the installed package.
oldest: Python 3.10 with the lowest version of every dependency that pyproject.toml
        claims (.ci/oldest-constraints.txt; tests/test_project.py checks that the two
        agree); the unit tests and nbval in quick mode.

Each environment is reused while a stamp of what made it (the Python version, the
constraints, the requirement lists, pyproject.toml) is unchanged; pip's cache is reused
too. A lane that cannot find its Python fails loudly: it never skips.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / ".ci"
#: Test tools a lane adds; Colab has none of them but pytest.
TEST_TOOLS = ("pytest", "nbval", "ipykernel", "pyyaml", "packaging", "scipy")


@dataclass(frozen=True)
class Lane:
    """One CI lane: its Python, its environment and what goes into it."""

    name: str
    python: str  # major.minor
    constraints: str  # file name in .ci/
    packages: tuple[str, ...]  # installed at the constrained versions before the course
    tools: tuple[str, ...]  # test tools, installed after the check of what the course adds

    @property
    def venv(self) -> Path:
        return ROOT / f".venv-{self.name}"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


LANES = {
    "colab": Lane(
        name="colab",
        python="3.13",
        constraints="colab-constraints.txt",
        # What Colab has preinstalled that the course, TF-GAN or Jupyter touch.
        packages=(
            "tensorflow",
            "keras",
            "tf-keras",
            "tensorflow-probability",
            "tensorflow-hub",
            "numpy",
            "matplotlib",
            "pillow",
            "ipywidgets",
            "widgetsnbextension",
            "notebook",
            "jupyter_server",
            "ipykernel",
            "ipython",
            "tqdm",
            "mlxtend",
            "setuptools",
            "scipy",
            "pyyaml",
            "packaging",
            "pytest",
        ),
        tools=(*TEST_TOOLS, "playwright"),
    ),
    "oldest": Lane(
        name="oldest",
        python="3.10",
        constraints="oldest-constraints.txt",
        packages=(),  # the course's own dependencies, at their floors
        tools=(*TEST_TOOLS, "tomli"),
    ),
}

#: Test files the oldest lane leaves to the main lane: they test the development set-up
#: (JupyterLab and Chromium, `make lab`, repo2docker, the main .venv, and the benchmarks,
#: which run there), not the course.
MAIN_LANE_ONLY = (
    "test_browser.py",
    "test_make_lab.py",
    "test_new_notebook.py",
    "test_project.py",
    "test_benchmark_*.py",
)
#: The notebooks that tests/colab/test_classic_notebook.py runs top to bottom in the classic
#: Notebook, in the Colab lane's environment, failing on an error or red stderr as nbval does
#: (and on broken widgets): the lane's nbval leaves them to it rather than run them twice.
#: tests/test_project.py checks that the two lists agree.
CLASSIC_NOTEBOOKS = ("03", "05")
#: The unit tests the Colab lane runs against the installed package.
COLAB_UNIT_TESTS = (
    "test_widgets.py",
    "test_widgets_codes.py",
    "test_widgets_dirac.py",
    "test_mnist_metrics.py",
    "test_tfgan.py",
    "test_conditional_gans.py",
)


def say(message: str) -> None:
    """Print one progress line of the lane."""
    print(f"lane: {message}", flush=True)


@contextlib.contextmanager
def timed(what: str) -> Iterator[None]:
    """Say what starts, and how many seconds it took once it passed."""
    say(f"{what}")
    start = time.perf_counter()
    yield
    say(f"{what}: passed in {time.perf_counter() - start:.0f} s")


def run(*args: object, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, streaming its output; exit with its status if it fails."""
    command = [str(a) for a in args]
    result = subprocess.run(command, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"lane: failed ({result.returncode}): {' '.join(command)}")
    return result


def find_python(version: str) -> Path:
    """Return a Python interpreter of ``version`` (pyenv's, or on PATH), or exit loudly."""
    candidates = []
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    if shutil.which("pyenv"):
        found = subprocess.run(["pyenv", "root"], capture_output=True, text=True)
        pyenv_root = found.stdout.strip() or pyenv_root
    for path in sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python3"), reverse=True):
        candidates.append(Path(path))
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    raise SystemExit(
        f"lane: Python {version} NOT FOUND (looked in {pyenv_root}/versions/{version}.* and "
        f"for python{version} on PATH). This lane cannot run without it and CI fails. "
        f"Install it, e.g. `pyenv install {version}`."
    )


def stamp(lane: Lane, python: Path) -> str:
    """Return a hash of everything the lane's environment is made from."""
    digest = hashlib.sha256()
    version = subprocess.run([python, "--version"], capture_output=True, text=True).stdout
    parts = [lane.name, version, *lane.packages, "|", *lane.tools]
    digest.update("\n".join(parts).encode())
    digest.update((CI / lane.constraints).read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:16]


def pip(lane: Lane, *args: object, **kwargs) -> subprocess.CompletedProcess:
    """Run the lane's pip quietly with its constraints file."""
    constraints = CI / lane.constraints
    return run(
        lane.bin / "python", "-m", "pip", *args, "--quiet", "--disable-pip-version-check",
        "-c", constraints, **kwargs,
    )  # fmt: skip


def would_install(lane: Lane) -> list[str]:
    """Return the names pip would install for the course into the lane's environment."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        run(
            lane.bin / "python", "-m", "pip", "install", "--quiet", "--dry-run",
            "--disable-pip-version-check", "--report", report, ROOT,
        )  # fmt: skip
        entries = json.loads(report.read_text())["install"]
    return sorted(entry["metadata"]["name"].lower() for entry in entries)


def build(lane: Lane) -> None:
    """Create or reuse the lane's virtual environment."""
    python = find_python(lane.python)
    marker = lane.venv / ".lane-stamp"
    wanted = stamp(lane, python)
    if marker.exists() and marker.read_text().strip() == wanted:
        say(f"{lane.name}: reusing {lane.venv.name} (stamp {wanted})")
        return
    say(f"{lane.name}: building {lane.venv.name} with {python}")
    start = time.perf_counter()
    run(python, "-m", "venv", "--clear", lane.venv)
    run(lane.bin / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if lane.packages:
        pip(lane, "install", *lane.packages)
    if lane.name == "colab":
        added = would_install(lane)
        say(f"colab: installing the course on Colab's packages would add: {', '.join(added)}")
        if added != ["gancourse", "tensorflow-gan"]:
            raise SystemExit(
                "lane: on Colab, installing the course must add only gancourse and "
                f"tensorflow-gan, but pip would add {added}: a requirement in "
                "pyproject.toml asks for more than Colab has. Lower it, or change Colab's list."
            )
    else:
        pip(lane, "install", "--editable", ROOT)
    pip(lane, "install", *lane.tools)
    marker.write_text(wanted + "\n")
    say(f"{lane.name}: built in {time.perf_counter() - start:.0f} s")


def install_course_like_colab(lane: Lane) -> None:
    """Install the course as the set-up cell does on Colab: a regular install, with deps."""
    pip(lane, "install", "--force-reinstall", "--no-deps", ROOT)
    pip(lane, "install", ROOT)  # the dependencies: TF-GAN, the rest is there already


def versions(lane: Lane) -> str:
    """Return one line with the versions that matter in the lane's environment."""
    code = (
        "import sys, importlib.metadata as m; names = ['tensorflow', 'keras', 'numpy', "
        "'ipywidgets', 'notebook', 'ipython', 'gancourse'];"
        "print('Python %d.%d.%d' % sys.version_info[:3], *[f'{n} {m.version(n)}' "
        "for n in names if any(d.metadata['Name'].lower() == n for d in m.distributions())])"
    )
    out = subprocess.run([lane.bin / "python", "-c", code], capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip()


@contextlib.contextmanager
def beside(what: str, command: list[str], cwd: str, env: dict[str, str]) -> Iterator[None]:
    """Run ``command`` in the background while the block runs; fail if either fails."""
    say(f"{what} (in the background)")
    log = Path(cwd) / "background.log"
    start = time.perf_counter()
    with open(log, "w") as out:
        job = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        ended: list[float] = []
        watch = threading.Thread(target=lambda: (job.wait(), ended.append(time.perf_counter())))
        watch.start()
        try:
            yield
        except BaseException:
            job.kill()
            raise
        finally:
            status = job.wait()
            watch.join()
    print(log.read_text(), end="", flush=True)
    if status != 0:
        raise SystemExit(f"lane: failed ({status}): {' '.join(command)}")
    seconds = ended[0] - start
    say(f"{what}: passed in {seconds:.0f} s")


def nbval_command(lane: Lane, notebooks: list[Path]) -> list[str]:
    """Return the command that runs the notebooks top to bottom in quick mode with nbval."""
    return [
        str(lane.bin / "python"), "-m", "pytest", "--nbval-lax", "--nbval-current-env",
        "--nbval-cell-timeout=900", "-p", "no:cacheprovider", "-p", "nbval_stderr", "-q",
        *map(str, notebooks),
    ]  # fmt: skip


def nbval_env() -> dict[str, str]:
    """Return the environment of an nbval run: quick mode, and the nbval_stderr plugin."""
    return {**os.environ, "GANCOURSE_QUICK": "1", "PYTHONPATH": str(ROOT / "tests")}


def nbval(lane: Lane, notebooks: list[Path], cwd: Path) -> None:
    """Run the notebooks top to bottom in quick mode with nbval; fail on errors and stderr."""
    run(*nbval_command(lane, notebooks), cwd=cwd, env=nbval_env())


def course_notebooks() -> list[Path]:
    """Return the course notebooks in order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_colab(lane: Lane) -> None:
    """Notebooks alone in empty folders, then unit and browser tests, on the installed course."""
    install_course_like_colab(lane)
    with tempfile.TemporaryDirectory(prefix="gancourse-colab-") as tmp:
        copies = []
        for notebook in course_notebooks():
            if notebook.name[:2] in CLASSIC_NOTEBOOKS:
                continue  # run by the classic Notebook's test below, in this environment
            folder = Path(tmp) / notebook.stem
            folder.mkdir()
            shutil.copy(notebook, folder / notebook.name)
            copies.append(folder / notebook.name)
        # From outside the repository, so that `import gancourse` is the installed package.
        tests = [ROOT / "tests" / name for name in COLAB_UNIT_TESTS]
        if (ROOT / "tests" / "colab").is_dir():
            tests.append(ROOT / "tests" / "colab")
        env = {**os.environ, "MPLBACKEND": "Agg", "CI": os.environ.get("CI", "true")}
        unit = "unit tests (widgets on ipywidgets 7.7.1, classifier, TF-GAN, TF Probability) and "
        unit += "the classic Notebook in a browser, on the installed package"
        # This lane runs after the others, alone on the machine's two cores: its two halves
        # run side by side, nbval's output kept in a file and shown when it ends.
        with beside(f"colab: nbval on {len(copies)} notebooks, each alone in an empty folder",
                    nbval_command(lane, copies), cwd=tmp, env=nbval_env()):  # fmt: skip
            with timed(f"colab: {unit}"):
                run(lane.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests,
                    cwd=tmp, env=env)  # fmt: skip


def test_oldest(lane: Lane) -> None:
    """The unit tests and nbval in quick mode, on the lowest versions."""
    ignore = [f"--ignore-glob=tests/{name}" for name in MAIN_LANE_ONLY]
    with timed("oldest: unit tests"):
        run(lane.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *ignore, "tests",
            cwd=ROOT)  # fmt: skip
    # In a folder of their own: the main lane may be running the same notebooks meanwhile,
    # and notebook 05 resumes the run folder it finds next to it.
    with tempfile.TemporaryDirectory(prefix="gancourse-oldest-") as tmp:
        copies = [Path(shutil.copy(notebook, tmp)) for notebook in course_notebooks()]
        with timed("oldest: nbval on the notebooks"):
            nbval(lane, copies, cwd=Path(tmp))


def main(argv: list[str] | None = None) -> int:
    """Build and run one lane; return 0 when it passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lane", choices=sorted(LANES))
    parser.add_argument("--build", action="store_true", help="only build the environment")
    args = parser.parse_args(argv)
    lane = LANES[args.lane]
    start = time.perf_counter()
    build(lane)
    if args.build:
        return 0
    say(f"{lane.name}: {versions(lane)}")
    (test_colab if lane.name == "colab" else test_oldest)(lane)
    say(f"{lane.name}: passed in {time.perf_counter() - start:.0f} s ({versions(lane)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
