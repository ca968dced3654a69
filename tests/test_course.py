"""gancourse.course: the set-up cell, the badges and the set-up report."""

from __future__ import annotations

import gancourse
from gancourse import course, runtime


def test_install_requirement_uses_the_repository_and_branch():
    assert course.install_requirement() == (
        f"gancourse @ git+{runtime.REPO_URL}@{runtime.REPO_BRANCH}"
    )


def test_badges_name_the_notebook_on_colab_and_binder():
    line = course.badges_markdown("01_x.ipynb")
    assert line.count("](https://") == 4  # two badge images, two links
    assert "colab.research.google.com/github/gancourse/gancourse/blob/main/notebooks/01_x" in line
    assert "mybinder.org/v2/gh/gancourse/gancourse/main?urlpath=lab/tree/notebooks/01_x" in line


def test_setup_cell_is_valid_python_that_only_installs_on_colab():
    source = course.setup_cell_source()
    assert source.startswith(course.SETUP_MARKER)
    compile(source, "setup", "exec")
    namespace: dict = {}
    exec(source.replace("gancourse.setup(seed=0)", "ran = True"), namespace)  # not on Colab
    assert namespace["ran"] is True and "requirement" not in namespace


def test_setup_reports_mode_and_seed(capsys, monkeypatch):
    monkeypatch.setattr(runtime, "_QUICK", True)
    line = gancourse.setup(seed=3)
    assert "quick mode ON" in line and "seed 3" in line and gancourse.__version__ in line
    assert capsys.readouterr().out.strip() == line
    monkeypatch.setattr(runtime, "_QUICK", False)
    assert "full mode" in gancourse.setup(seed=0)
