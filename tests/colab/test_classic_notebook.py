"""The widget notebooks in the classic Notebook 6.5.7 with ipywidgets 7.7.1, Colab's front end.

Runs in the Colab lane's environment (``.venv-colab``: Colab's pinned packages, the course
installed without ``--editable``), not in the main test run::

    CI=1 .venv-colab/bin/python -m pytest -p no:cacheprovider tests/colab

The classic Notebook serves a copy of the notebooks with widgets, with ``GANCOURSE_QUICK=1``
in its environment, to headless Chromium at 1280 x 800. Each runs top to bottom and is
checked, driven and saved (with "Widgets > Save Notebook Widget State") by
``tests/browser_helpers.py``, as JupyterLab is in tests/test_browser.py; screenshots and
latencies go to artifacts/screenshots/classic/. Then the saved notebook is reopened with a new
kernel (the widgets come back from the saved state) and an unsigned copy of it opened (each
widget's picture and words instead).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import FRONT_ENDS, ROOT, CourseSession, course_session

#: The notebooks with widgets beyond quizzes: ToyGANLab (03), EpochStepper and SampleViewer (05).
#: The Colab lane's nbval leaves them to this test (.ci/lane.py, CLASSIC_NOTEBOOKS).
NUMBERS = ("03", "05")
NOTEBOOKS = [
    next(path.name for path in (ROOT / "notebooks").glob(f"{number}_*.ipynb")) for number in NUMBERS
]


def test_runs_on_colabs_front_end():
    import ipywidgets
    import notebook

    assert (notebook.__version__, ipywidgets.__version__) == ("6.5.7", "7.7.1")


@pytest.fixture(scope="module")
def classic(tmp_path_factory) -> Iterator[CourseSession]:
    """The classic Notebook with the widget notebooks in quick mode, and a Chromium page."""
    work = tmp_path_factory.mktemp("classic")
    with course_session(FRONT_ENDS["classic"], NOTEBOOKS, work) as session:
        yield session


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_widget_notebook_runs_and_its_widgets_work_in_classic_notebook(classic, name):
    classic.run(name)


def test_saved_notebook_shows_its_widgets_as_left_without_the_kernel(classic):
    classic.reopen(NOTEBOOKS[0])


def test_untrusted_copy_shows_each_widgets_picture_and_words(classic):
    classic.open_untrusted_copy(NOTEBOOKS[0])
