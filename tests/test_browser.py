"""The course in a real browser: every notebook run in JupyterLab 4 (ipywidgets 8), widgets driven.

JupyterLab serves a copy of the course's notebooks, with ``GANCOURSE_QUICK=1`` in its
environment (so in every kernel), to headless Chromium at 1280 x 800. Each notebook runs
top to bottom and is checked, driven and saved by ``browser_helpers`` (see there for what
is checked); screenshots and latencies go to artifacts/screenshots/. Then the notebook saved
with its widget state is reopened with a new kernel, and an unsigned copy of it opened,
as someone else's notebook would be: the first shows the widgets as they were left, the
second the picture and the words each widget left in its output.

The classic Notebook 6.5 with ipywidgets 7.7 (Colab's front end) runs the same checks in
tests/colab/test_classic_notebook.py, in the environment of the Colab lane.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator

import pytest
from browser_helpers import FRONT_ENDS, ROOT, CourseSession, course_session

NOTEBOOKS = sorted(path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The notebook whose saved copy is reopened: it has quizzes and a ToyGANLab, and runs fast.
REOPENED = next(name for name in NOTEBOOKS if name.startswith("03_"))
WIDGET_SETTINGS = "/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin"
LAB_SETTINGS_FILE = ROOT / "jupyter-config" / "lab-settings" / "gancourse.json"


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[CourseSession]:
    """JupyterLab with the course's notebooks in quick mode, and a Chromium page on it."""
    work = tmp_path_factory.mktemp("jupyterlab")
    # The settings the course installs into JupyterLab (an editable install cannot, so the
    # test reads them from the repository).
    overrides = work / "app-settings" / "overrides.d"
    overrides.mkdir(parents=True)
    shutil.copy(LAB_SETTINGS_FILE, overrides)
    args = [f"--LabApp.app_settings_dir={overrides.parent}"]
    with course_session(FRONT_ENDS["jupyterlab"], NOTEBOOKS, work, args) as session:
        yield session


def test_the_course_turns_on_saving_widget_state_in_jupyterlab(lab):
    with urllib.request.urlopen(lab.url + WIDGET_SETTINGS, timeout=10) as response:
        settings = json.load(response)
    # JupyterLab applies overrides to the setting's default; the user has set nothing.
    assert settings["schema"]["properties"]["saveState"]["default"] is True
    assert "saveState" not in settings["settings"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_course_notebook_runs_and_its_widgets_work_in_jupyterlab(lab, name):
    lab.run(name)


def test_saved_notebook_shows_its_widgets_as_left_without_the_kernel(lab):
    lab.reopen(REOPENED)


def test_untrusted_copy_shows_each_widgets_picture_and_words(lab):
    lab.open_untrusted_copy(REOPENED)
