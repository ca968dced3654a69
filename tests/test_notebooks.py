"""The notebooks as files: stored clean, set-up cell and badges generated, listed in the README.

Running them is the browser test's job (tests/test_browser.py runs each in JupyterLab in quick
mode), or nbval's where Chromium is missing (``make test-nbval``); these tests check what a
reader and the Colab/Binder badges rely on.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gancourse import course

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import course_index  # noqa: E402  (scripts/course_index.py: the course index, course.toml)


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


@pytest.fixture(scope="module")
def index(repo_root):
    return course_index.load(repo_root / "course.toml")


def test_the_index_and_the_folder_name_the_same_notebooks_in_order(repo_root, index):
    files = [path.name for path in _notebooks(repo_root)]
    assert files == [entry.file for entry in index.notebooks], "course.toml and notebooks/ differ"
    numbers = [name[:2] for name in files]
    assert numbers[:5] == ["01", "02", "03", "04", "05"], "the core course is there, in order"
    assert len(numbers) == len(set(numbers)), f"two notebooks share a number: {numbers}"


def test_each_title_is_the_one_in_the_index(notebooks, index):
    for entry in index.notebooks:
        heading = _source(notebooks[entry.file]["cells"][0]).splitlines()[0]
        assert heading.lower() == f"# {entry.number} · {entry.title}".lower(), entry.file


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


def test_title_cell_first_then_the_generated_setup_cell(notebooks):
    for name, nb in notebooks.items():
        assert nb["cells"][0]["cell_type"] == "markdown", f"{name}: the title cell comes first"
        setup = nb["cells"][1]
        assert setup["cell_type"] == "code", name
        assert _source(setup) == course.setup_cell_source(), (
            f"{name}: set-up cell differs; run python scripts/sync_notebooks.py"
        )


def test_setup_cell_installs_from_the_one_repository_address():
    source = course.setup_cell_source()
    assert f"git+{course.REPO_URL}@{course.release_tag()}" in source
    assert '"google.colab" in sys.modules' in source
    assert "gancourse.setup(seed=0)" in source
    compile(source, "setup-cell", "exec")  # plain Python, no magics


def test_title_cell_has_badges_goals_prerequisites_and_measured_run_time(notebooks, index):
    for entry in index.notebooks:
        cell = notebooks[entry.file]["cells"][0]
        text = _source(cell)
        assert text.startswith(f"# {entry.number} "), f"{entry.file}: title '# {entry.number} '"
        assert course.badges_markdown(entry.file) in text.splitlines(), f"{entry.file}: badges"
        for heading in ("Learning goals", "Prerequisites"):
            assert heading in text, f"{entry.file}: the title cell needs '{heading}'"
        assert course_index.run_time_line(entry) in text.splitlines(), f"{entry.file}: run time"


def test_badge_links_point_at_this_notebook(notebooks):
    for name in notebooks:
        line = course.badges_markdown(name)
        assert course.colab_url(name).endswith(f"/notebooks/{name}")
        assert f"urlpath=lab/tree/notebooks/{name}" in course.binder_url(name)
        assert course.REPO_URL.removeprefix("https://github.com/") in line


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
    inner = (repo_root / "notebooks/README.md").read_text(encoding="utf-8")
    assert re.findall(r"\((\d\d_[a-z0-9_]+\.ipynb)\)", inner) == list(notebooks)


def test_pages_show_the_measured_numbers_of_the_index(repo_root, index):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert course_index.readme_table(index) in readme
    assert course_index.times_summary(index) in readme
    inner = (repo_root / "notebooks/README.md").read_text(encoding="utf-8")
    assert course_index.notebooks_table(index) in inner
    slowest = max(index.notebooks, key=lambda e: e.full_seconds or 0)
    assert course_index.duration(slowest.full_seconds) in course_index.times_summary(index)


def test_what_comes_next_links_the_next_notebook(notebooks):
    names = list(notebooks)
    for name, following in zip(names, names[1:]):
        cells = notebooks[name]["cells"]
        nexts = [_source(c) for c in cells if "What comes next" in _source(c)]
        assert nexts, f"{name}: no 'What comes next' cell"
        assert f"({following})" in nexts[-1], f"{name}: 'What comes next' should link {following}"


def _make_test_commands(repo_root, chromium) -> str:
    """Return what `make test` would run (make -n) with Chromium at ``chromium``."""
    # Without the variables of a make that runs this test (as `make test` does).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "test", f"CHROMIUM={chromium}"],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_test_runs_every_notebook_in_quick_mode(repo_root, tmp_path):
    import browser_helpers
    import test_browser

    # With Chromium, the suite's browser test runs every notebook in JupyterLab...
    assert test_browser.NOTEBOOKS == [path.name for path in _notebooks(repo_root)]
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    assert f"CHROMIUM ?= {browser_helpers.CHROMIUM}\n" in makefile
    chromium = tmp_path / "chromium"
    chromium.touch()
    assert "--nbval" not in _make_test_commands(repo_root, chromium)
    # ... without it, nbval does, in quick mode.
    commands = _make_test_commands(repo_root, tmp_path / "no-chromium")
    assert "GANCOURSE_QUICK=1" in commands and "--nbval-lax" in commands
    assert commands.rstrip().endswith("-p nbval_stderr notebooks")


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


def test_one_spelling_for_quick_mode_and_no_quick_thresholds_in_checks(notebooks):
    for name, nb in notebooks.items():
        code = "\n".join(_source(c) for c in nb["cells"][2:] if c["cell_type"] == "code")
        calls = re.findall(r"^.*quick_mode\(\).*$", code, re.M)
        assert all(line == "QUICK = gancourse.quick_mode()" for line in calls), (name, calls)
        assert not re.search(r"\bquick\b(?! mode)", code), f"{name}: spell the flag QUICK"
        for line in code.splitlines():
            if re.match(r"\s*(assert|claims\.)", line):
                assert "QUICK" not in line, f"{name}: a check reads quick mode itself: {line}"


# --------------------------------------------------------------------------- notebook 05

NINE_STEPS = (
    "Import the libraries",
    "Get the dataset",
    "Prepare the data",
    "Define the generator and the discriminator",
    "Generate the first images, from noise",
    "Set the parameters",
    "A function that shows sample images during training",
    "The training process",
    "Evaluate the results",
)


def test_05_reads_as_the_nine_steps_of_a_gan_on_mnist(notebooks):
    nb = notebooks["05_gan_on_mnist.ipynb"]
    headings = [
        line[3:]
        for cell in nb["cells"]
        if cell["cell_type"] == "markdown"
        for line in _source(cell).splitlines()
        if line.startswith("## ")
    ]
    numbered = [h for h in headings if re.match(r"\d · ", h)]
    assert len(numbered) == len(NINE_STEPS), numbered
    for number, (heading, step) in enumerate(zip(numbered, NINE_STEPS, strict=True), start=1):
        assert heading.startswith(f"{number} · {step}"), (heading, step)


def test_05_the_student_writes_both_halves_of_the_training_step(notebooks):
    cells = [_source(c) for c in notebooks["05_gan_on_mnist.ipynb"]["cells"]]
    for half, check in (("discriminator_update", "check_discriminator_update"),
                        ("generator_update", "check_generator_update")):  # fmt: skip
        skeleton = next(s for s in cells if f"def {half}(" in s)
        assert "✏️" in skeleton and "= ..." in skeleton, f"{half} must be left to the student"
        assert "tf.GradientTape()" in skeleton and "apply_gradients" in skeleton
        assert any(f"ex.{check}({half})" in s for s in cells)
    step = next(s for s in cells if "def train_step(" in s)
    assert "@tf.function" in step
    assert "discriminator_update(" in step and "generator_update(" in step
    # GANTrainer's equivalence is shown on the page, from the same weights and noise
    assert any("train_step(real_images, noise=(d_noise, g_noise))" in s for s in cells)
