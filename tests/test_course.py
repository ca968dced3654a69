"""gancourse.course: the set-up cell, the badges and the set-up report."""

from __future__ import annotations

import re
import sys

import pytest

import gancourse
from gancourse import course

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_release_tag_is_made_from_the_package_version():
    assert course.release_tag() == f"v{gancourse.__version__}"
    assert re.fullmatch(r"v\d+\.\d+\.\d+", course.release_tag())


def test_install_requirement_installs_this_release_not_main():
    assert course.install_requirement() == (
        f"gancourse @ git+{course.REPO_URL}@v{gancourse.__version__}"
    )
    assert "@main" not in course.install_requirement()


def test_badges_open_this_release_of_the_notebook_on_colab_and_binder():
    line = course.badges_markdown("01_x.ipynb")
    tag = course.release_tag()
    assert line.count("](https://") == 4  # two badge images, two links
    assert f"colab.research.google.com/github/gancourse/gancourse/blob/{tag}/notebooks/01_x" in line
    assert f"mybinder.org/v2/gh/gancourse/gancourse/{tag}?urlpath=lab/tree/notebooks/01_x" in line


def test_pyproject_reads_the_version_from_the_package(repo_root):
    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"], "the version is written in one place"
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "gancourse.__version__"
    }


def test_setup_cell_is_valid_python_that_only_installs_on_colab():
    source = course.setup_cell_source()
    assert source.startswith(course.SETUP_MARKER)
    compile(source, "setup", "exec")
    namespace: dict = {}
    exec(source.replace("gancourse.setup(seed=0)", "ran = True"), namespace)  # not on Colab
    assert namespace["ran"] is True and "requirement" not in namespace


def test_setup_prints_mode_and_seed_once(capsys, monkeypatch):
    monkeypatch.setattr(course, "_QUICK", True)
    assert gancourse.setup(seed=3) is None  # the set-up cell shows no Out[1] repeating the line
    line = capsys.readouterr().out.strip()
    assert "quick mode ON" in line and "seed 3" in line and gancourse.__version__ in line
    assert "\n" not in line
    monkeypatch.setattr(course, "_QUICK", False)
    gancourse.setup(seed=0)
    assert "full mode" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("yes", True), ("0", False), ("", False), ("off", False)],
)
def test_quick_mode_reads_the_variable(monkeypatch, raw, expected):
    monkeypatch.setattr(course, "_QUICK", None)
    monkeypatch.setenv("GANCOURSE_QUICK", raw)
    assert course.quick_mode() is expected


def test_quick_mode_is_read_once(monkeypatch):
    monkeypatch.setattr(course, "_QUICK", None)
    monkeypatch.setenv("GANCOURSE_QUICK", "1")
    assert course.quick_mode() is True
    monkeypatch.setenv("GANCOURSE_QUICK", "0")
    assert course.quick_mode() is True
