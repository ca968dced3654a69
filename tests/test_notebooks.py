"""The notebooks as files: stored clean, set-up cell and badges generated, listed in the README.

Running them is nbval's job (``make test`` runs ``pytest --nbval-lax`` over ``notebooks/`` in
quick mode); these tests check what a reader and the Colab/Binder badges rely on.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from gancourse import course, runtime

EXPECTED = ["01", "02", "03", "04", "05"]


def _notebooks(repo_root):
    return sorted((repo_root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell):
    return "".join(cell["source"])


@pytest.fixture(scope="module")
def notebooks(repo_root):
    paths = _notebooks(repo_root)
    assert paths, "no notebooks/NN_*.ipynb found"
    return {path.name: _load(path) for path in paths}


def test_the_core_course_is_there_in_order(repo_root):
    numbers = [path.name[:2] for path in _notebooks(repo_root)]
    assert numbers[: len(EXPECTED)] == EXPECTED
    assert len(numbers) == len(set(numbers)), f"two notebooks share a number: {numbers}"


def test_names_are_numbered_snake_case(notebooks):
    for name in notebooks:
        assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", name), name


def test_stored_without_outputs(notebooks):
    for name, nb in notebooks.items():
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], f"{name} cell {index} has outputs"
                assert cell["execution_count"] is None, f"{name} cell {index} has a count"
            assert "attachments" not in cell or not cell["attachments"], f"{name} cell {index}"


def test_python3_kernel(notebooks):
    for name, nb in notebooks.items():
        assert nb["metadata"]["kernelspec"]["name"] == "python3", name
        assert nb["nbformat"] == 4, name


def test_first_cell_is_the_generated_setup_cell(notebooks):
    for name, nb in notebooks.items():
        first = nb["cells"][0]
        assert first["cell_type"] == "code", name
        assert _source(first) == course.setup_cell_source(), (
            f"{name}: set-up cell differs; run python scripts/sync_notebooks.py"
        )


def test_setup_cell_installs_from_the_one_repository_address():
    source = course.setup_cell_source()
    assert f"git+{runtime.REPO_URL}@{course.release_tag()}" in source
    assert '"google.colab" in sys.modules' in source
    assert "gancourse.setup(seed=0)" in source
    compile(source, "setup-cell", "exec")  # plain Python, no magics


def test_second_cell_has_title_badges_goals_prerequisites_and_run_time(notebooks):
    for name, nb in notebooks.items():
        cell = nb["cells"][1]
        text = _source(cell)
        assert cell["cell_type"] == "markdown", name
        assert text.startswith(f"# {name[:2]} "), f"{name}: title should start '# {name[:2]} '"
        assert course.badges_markdown(name) in text.splitlines(), f"{name}: badges"
        for heading in ("Learning goals", "Prerequisites", "Run time"):
            assert heading in text, f"{name}: the title cell needs '{heading}'"
        assert re.search(r"\d+ min", text), f"{name}: state the measured run time in minutes"


def test_badge_links_point_at_this_notebook(notebooks):
    for name in notebooks:
        line = course.badges_markdown(name)
        assert course.colab_url(name).endswith(f"/notebooks/{name}")
        assert f"urlpath=lab/tree/notebooks/{name}" in course.binder_url(name)
        assert runtime.REPO_URL.removeprefix("https://github.com/") in line


def test_notebooks_are_in_sync_with_the_generator(repo_root):
    result = subprocess.run(
        [sys.executable, "scripts/sync_notebooks.py", "--check"],
        cwd=repo_root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_notebook_ends_with_summary_next_and_reading(notebooks):
    for name, nb in notebooks.items():
        tail = "\n".join(_source(c) for c in nb["cells"][-4:] if c["cell_type"] == "markdown")
        for heading in ("Summary", "What comes next", "Further reading"):
            assert heading in tail, f"{name}: the last cells need '{heading}'"


def test_every_notebook_has_exercises_and_concept_questions(notebooks):
    for name, nb in notebooks.items():
        code = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
        assert re.search(r"\.check_\w+\(", code), f"{name}: no exercise check"
        assert "Quiz(" in code, f"{name}: no concept question"
        # quick mode is read through the one helper, never from the environment directly
        assert "GANCOURSE_QUICK" not in code, f"{name}: use gancourse.quick_mode()"


def test_readme_course_index_lists_every_notebook_in_order(repo_root, notebooks):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\(notebooks/(\d\d_[a-z0-9_]+\.ipynb)\)", readme)
    assert linked == list(notebooks), f"README links {linked}, notebooks are {list(notebooks)}"


def test_make_test_runs_every_notebook_in_quick_mode(repo_root):
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "GANCOURSE_QUICK=1" in recipe and "--nbval-lax" in recipe and "notebooks" in recipe


def _notebook_with(tmp_path, name, source):
    """Write a one-cell notebook and return its path."""
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": source}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    path = tmp_path / name
    path.write_text(json.dumps(nb))
    return path


def test_notebook_runs_fail_on_red_text(repo_root, tmp_path):
    red = _notebook_with(tmp_path, "red.ipynb", "import sys\nsys.stderr.write('careful\\n')")
    clean = _notebook_with(tmp_path, "clean.ipynb", "print('fine')")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p",
         "no:cacheprovider", "-p", "nbval_stderr", "-q", str(red), str(clean)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(repo_root / "tests")},
    )  # fmt: skip
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-3000:]
    assert "red.ipynb::Cell 0 wrote to stderr" in result.stdout
    assert "careful" in result.stdout


def test_make_test_and_the_lanes_load_the_red_text_check(repo_root):
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    assert "-p nbval_stderr" in makefile and "PYTHONPATH=tests" in makefile
    assert '"nbval_stderr"' in (repo_root / ".ci/lane.py").read_text(encoding="utf-8")
