"""scripts/new_notebook.py (`make notebook`): a new notebook starts green and is registered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import course_index  # noqa: E402


def _scratch_copy(repo_root, target):
    """Copy the repository's files (tracked and new, not ignored) into ``target``."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=repo_root, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for name in files:
        source = repo_root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def test_a_scaffolded_notebook_passes_the_checks_unchanged(repo_root, tmp_path):
    scratch = tmp_path / "repo"
    _scratch_copy(repo_root, scratch)
    python, env = sys.executable, {**os.environ, "PYTHONPATH": f"{scratch}:{scratch}/tests"}
    made = subprocess.run(
        [python, "scripts/new_notebook.py", "--number", "99", "--name", "scaffold_check",
         "--title", "checking the scaffold", "--learn", "that a new notebook starts green"],
        cwd=scratch, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    for path in ("notebooks/99_scaffold_check.ipynb", "gancourse/exercises/scaffold_check.py",
                 "tests/test_exercises_scaffold_check.py"):  # fmt: skip
        assert (scratch / path).is_file(), path
    index = course_index.load(scratch / "course.toml")
    assert index.notebooks[-1].file == "99_scaffold_check.ipynb"
    readme = (scratch / "README.md").read_text(encoding="utf-8")
    assert "(notebooks/99_scaffold_check.ipynb)" in readme
    steps = [
        [python, "scripts/sync_notebooks.py", "--check"],
        [python, "-m", "ruff", "check", "gancourse", "tests", "scripts", "notebooks"],
        [python, "-m", "ruff", "format", "--check", "gancourse", "tests", "scripts", "notebooks"],
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_notebooks.py",
         "tests/test_exercises_scaffold_check.py"],
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "-p", "nbval_stderr", "notebooks/99_scaffold_check.ipynb"],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(
            step, cwd=scratch, capture_output=True, text=True, env={**env, "GANCOURSE_QUICK": "1"}
        )
        assert done.returncode == 0, f"{' '.join(step[1:4])}:\n{done.stdout[-3000:]}{done.stderr}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--number", "6", "--name", "x", "--title", "t", "--learn", "l"], "two digits"),
        (["--number", "99", "--name", "Bad-Name", "--title", "t", "--learn", "l"], "snake_case"),
        (["--number", "01", "--name", "x", "--title", "t", "--learn", "l"], "would not come last"),
        (["--number", "99", "--name", "x", "--title", " ", "--learn", "l"], "TITLE and LEARN"),
    ],
)
def test_the_scaffold_refuses_bad_arguments_in_one_line(repo_root, args, message):
    done = subprocess.run(
        [sys.executable, "scripts/new_notebook.py", *args],
        cwd=repo_root, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
