"""The repository itself: one source of dependencies, Colab-compatible ranges, Binder, README."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

COLAB_PYTHONS = ("3.12", "3.13")


def _pins(path) -> dict[str, str]:
    """Return {normalized name: version} from a file of ``name==version`` lines."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


@pytest.fixture(scope="module")
def colab(repo_root):
    """What Google Colab has installed (its pip freeze, kept in .ci/ for the Colab lane)."""
    return _pins(repo_root / ".ci/colab-constraints.txt")


@pytest.fixture(scope="module")
def lane_script(repo_root):
    """The module .ci/lane.py, which builds and runs the Colab and oldest lanes."""
    spec = importlib.util.spec_from_file_location("lane", repo_root / ".ci/lane.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["lane"] = module  # dataclasses look their module up while they are made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def lanes(lane_script):
    """The CI lanes of .ci/lane.py."""
    return lane_script.LANES


@pytest.fixture(scope="module")
def pyproject(repo_root):
    return tomllib.loads((repo_root / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def requirements(pyproject):
    return {
        canonicalize_name(Requirement(r).name): Requirement(r)
        for r in pyproject["project"]["dependencies"]
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
    assert requirements["tensorflow"].specifier.contains("2.18.0")
    assert not requirements["tensorflow"].specifier.contains("2.17.1"), "NumPy 2 needs TF 2.18+"
    assert requirements["ipywidgets"].specifier.contains("7.7.1")
    assert requirements["ipywidgets"].specifier.contains("8.1.0")


def test_colab_has_every_dependency_at_a_version_in_range(requirements, colab):
    # tensorflow-gan is the one package Colab does not have: pip adds it (and the course).
    for name, requirement in requirements.items():
        if name == "tensorflow-gan":
            assert name not in colab
            continue
        assert name in colab, f"Colab does not ship {name}: installing the course would add it"
        assert requirement.specifier.contains(colab[name]), (
            f"{requirement} would upgrade Colab's {name} {colab[name]}"
        )


def test_oldest_lane_pins_every_floor_of_pyproject(requirements, repo_root):
    pins = _pins(repo_root / ".ci/oldest-constraints.txt")
    assert set(pins) == set(requirements), "one pin per dependency, no more"
    for name, requirement in requirements.items():
        floors = [s.version for s in requirement.specifier if s.operator == ">="]
        assert len(floors) == 1, f"{requirement} needs one >= floor"
        assert Version(pins[name]) == Version(floors[0]), (
            f"{name}: the oldest lane tests {pins[name]}, pyproject.toml claims {floors[0]}"
        )
        assert requirement.specifier.contains(pins[name])


def test_lanes_use_colabs_python_and_the_oldest_python_claimed(pyproject, lanes):
    assert lanes["colab"].python == COLAB_PYTHONS[-1]
    floor = [s.version for s in SpecifierSet(pyproject["project"]["requires-python"])]
    assert lanes["oldest"].python == floor[0]


def test_colab_lane_leaves_to_the_classic_notebook_test_exactly_the_notebooks_it_runs(
    lane_script, repo_root
):
    tree = ast.parse((repo_root / "tests/colab/test_classic_notebook.py").read_text())
    numbers = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "NUMBERS"
    )
    assert lane_script.CLASSIC_NOTEBOOKS == numbers


def test_ci_stops_at_once_with_a_clear_message_when_the_disk_is_nearly_full(repo_root, tmp_path):
    # A stand-in df that reports 3 GB free: .ci/run must stop before it installs anything.
    df = tmp_path / "df"
    df.write_text(
        "#!/bin/sh\necho 'Filesystem 1024-blocks Used Available Capacity Mounted on'\n"
        "echo '/dev/x 100000000 96854272 3145728 97% /work'\n"
    )
    df.chmod(0o755)
    for tool in ("make", "python3", "apt-get"):  # were the check missing, CI would end here
        (tmp_path / tool).write_text("#!/bin/sh\nexit 97\n")
        (tmp_path / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(repo_root / ".ci/run")], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "CI: only 3 GB free on /work" in result.stderr and "Free some space" in result.stderr
    assert "installing" not in result.stdout + result.stderr


def test_a_lane_without_its_python_fails_loudly(lane_script):
    with pytest.raises(SystemExit, match=r"Python 3\.99 NOT FOUND .* CI fails"):
        lane_script.find_python("3.99")


def test_keras_floor_excludes_the_known_unsafe_loaders(requirements):
    keras = requirements["keras"].specifier
    for unsafe in ("3.8.0", "3.10.0", "3.11.3", "3.12.0", "3.13.0", "3.13.1"):
        assert not keras.contains(unsafe), f"Keras {unsafe} has a published model-loading flaw"
    for fixed in ("3.12.1", "3.13.2", "3.15.1"):
        assert keras.contains(fixed)


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
    assert re.search(r"^make test( |$)", ci, re.M)
    assert ci.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in ci


def test_make_test_lints_with_ruff(repo_root):
    makefile = (repo_root / "Makefile").read_text()
    targets = "gancourse tests benchmarks scripts notebooks .ci/lane.py"
    assert f"ruff check {targets}" in makefile
    assert f"ruff format --check {targets}" in makefile


def test_make_is_idempotent(repo_root):
    """A second `make` of the installed environment has nothing left to do."""
    out = subprocess.run(
        ["make", "--question", ".venv/.dev-installed"], cwd=repo_root, capture_output=True
    )
    assert out.returncode == 0, "make test would reinstall although pyproject.toml is unchanged"


def test_the_numpy_and_plotting_modules_of_notebooks_06_and_07_never_import_tensorflow():
    names = (
        "gap_divergences dirac_gan counting sweep_plots collapse_plots counting_plots "
        "failure_pictures conditional_metrics conditional_plots widgets.codes augmentation"
    )
    imports = ", ".join(f"gancourse.{name}" for name in names.split())
    code = (
        f"import sys, {imports}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_lane_runs_a_job_beside_its_tests_and_fails_when_either_fails(lane_script, tmp_path):
    ran = []
    with lane_script.beside("sleeping", [sys.executable, "-c", "print('done')"], str(tmp_path),
                            dict(os.environ)):  # fmt: skip
        ran.append("block")
    assert ran == ["block"]
    failing = [sys.executable, "-c", "import sys; sys.exit(3)"]
    with pytest.raises(SystemExit, match=r"failed \(3\)"):
        with lane_script.beside("failing", failing, str(tmp_path), dict(os.environ)):
            pass
    slow = [sys.executable, "-c", "import time; time.sleep(60)"]
    start = time.perf_counter()
    with pytest.raises(SystemExit, match="tests failed"):
        with lane_script.beside("slow", slow, str(tmp_path), dict(os.environ)):
            raise SystemExit("tests failed")
    assert time.perf_counter() - start < 30  # the background job was stopped, not awaited
