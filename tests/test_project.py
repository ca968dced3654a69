"""The repository itself: one source of dependencies, Colab-compatible ranges, Binder, README."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: What Google Colab ships today (its published package list); the course must install there
#: without upgrading any of these.
COLAB = {
    "tensorflow": "2.20.0",
    "keras": "3.13.0",
    "tensorflow-probability": "0.25.0",
    "tf-keras": "2.20.0",
    "numpy": "2.1.0",
    "matplotlib": "3.10.0",
    "ipywidgets": "7.7.1",
    "tqdm": "4.67.1",
    "pillow": "11.3.0",
    "setuptools": "75.2.0",
}
COLAB_PYTHONS = ("3.12", "3.13")


@pytest.fixture(scope="module")
def pyproject(repo_root):
    return tomllib.loads((repo_root / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def requirements(pyproject):
    return {
        Requirement(r).name.lower(): Requirement(r) for r in pyproject["project"]["dependencies"]
    }


def test_core_dependencies_are_declared(requirements):
    needed = {
        "tensorflow",
        "tensorflow-gan",
        "tensorflow-probability",
        "numpy",
        "matplotlib",
        "pillow",
        "ipywidgets",
        "tqdm",
        "mlxtend",
    }
    assert needed <= set(requirements)
    assert requirements["tensorflow"].specifier.contains("2.16.0")
    assert not requirements["tensorflow"].specifier.contains("2.15.0"), "Keras 3 needs TF 2.16+"
    assert requirements["ipywidgets"].specifier.contains("7.7.1")
    assert requirements["ipywidgets"].specifier.contains("8.1.0")


@pytest.mark.parametrize("name", sorted(COLAB))
def test_colab_versions_satisfy_the_ranges(requirements, name):
    if name in requirements:
        assert requirements[name].specifier.contains(COLAB[name]), (
            f"{name}{requirements[name].specifier} would upgrade Colab's {name} {COLAB[name]}"
        )


def test_python_range_covers_colab_and_binder(pyproject, repo_root):
    supported = SpecifierSet(pyproject["project"]["requires-python"])
    for version in (*COLAB_PYTHONS, "3.10", "3.11"):
        assert supported.contains(version)
    binder = yaml.safe_load((repo_root / "binder/environment.yml").read_text())
    pins = [d for d in binder["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert len(pins) == 1
    assert supported.contains(pins[0].split("=")[-1])


def test_extras_hold_the_front_end_and_the_test_tools(pyproject):
    extras = pyproject["project"]["optional-dependencies"]
    lab = {Requirement(r).name for r in extras["lab"]}
    dev = {Requirement(r).name for r in extras["dev"]}
    assert "jupyterlab" in lab
    assert {"pytest", "nbval", "playwright", "jupyter-repo2docker", "ruff"} <= dev


def _pip_entries(env: dict) -> list[str]:
    entries = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            entries += dep.get("pip", [])
    return entries


def test_conda_environment_installs_the_package_from_pyproject(repo_root):
    env = yaml.safe_load((repo_root / "environment.yml").read_text())
    conda = [d.split("=")[0].split(">")[0] for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(conda) == ["pip", "python"], "every other package comes from pyproject.toml"
    assert _pip_entries(env) == ["--editable .[lab]"]


def test_binder_installs_the_same_package(repo_root):
    env = yaml.safe_load((repo_root / "binder/environment.yml").read_text())
    conda = [d.split("=")[0] for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(conda) == ["pip", "python"]
    assert _pip_entries(env) == []
    post = (repo_root / "binder/postBuild").read_text().splitlines()
    commands = [line.strip() for line in post if line.strip() and not line.startswith("#")]
    assert commands[0] == "set -e"
    assert any(re.fullmatch(r"python -m pip install .*\s\.", c) for c in commands)
    assert (repo_root / "binder/postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_repo2docker_builds_from_binder(repo_root, tmp_path):
    exe = shutil.which("repo2docker", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe, "jupyter-repo2docker is a dev dependency"
    # Copy the tracked files so the check sees exactly what Binder would clone.
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        target = tmp_path / "repo" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (repo_root / name).is_file():
            shutil.copy2(repo_root / name, target)
    out = subprocess.run(
        [exe, "--no-build", "--debug", str(tmp_path / "repo")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-3000:]
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "binder/environment.yml"' in log
    assert "RUN ./binder/postBuild" in log
    assert "python=3.11" in log


def test_readme_starts_with_the_two_commands(repo_root):
    readme = (repo_root / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands[:2] == ["make lab", "make test"]
    makefile = (repo_root / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_ci_runs_the_readme_test_command(repo_root):
    ci = (repo_root / ".ci/run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    assert ci.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in ci


def test_make_test_lints_with_ruff(repo_root):
    makefile = (repo_root / "Makefile").read_text()
    assert "ruff check gancourse tests benchmarks scripts" in makefile
    assert "ruff format --check gancourse tests benchmarks scripts" in makefile


def test_make_is_idempotent(repo_root):
    """A second `make` of the installed environment has nothing left to do."""
    out = subprocess.run(
        ["make", "--question", ".venv/.dev-installed"], cwd=repo_root, capture_output=True
    )
    assert out.returncode == 0, "make test would reinstall although pyproject.toml is unchanged"
