"""gancourse.collapse_plots: class shares of generated digits, alone and next to their samples."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from gancourse import collapse_plots, mnist_metrics, plots

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bar_heights(ax):
    return np.array([patch.get_height() for patch in ax.patches])


def test_one_set_draws_shares_and_the_even_line():
    counts = np.array([600, 300, 100, 0, 0, 0, 0, 0, 0, 0])
    fig = collapse_plots.class_histogram(counts, title="collapsed")
    assert isinstance(fig, Figure) and plt.get_fignums() == []  # released from pyplot
    (ax,) = fig.axes
    np.testing.assert_allclose(_bar_heights(ax), counts / counts.sum())
    assert [line.get_ydata()[0] for line in ax.lines] == [pytest.approx(0.1)]
    assert ax.get_title() == "collapsed"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"coverage {mnist_metrics.coverage_of_counts(counts):.2f}" in legend


def test_several_sets_sit_side_by_side_with_their_names():
    sets = {"collapsed": [90, 10, 0, 0], "cured": [25, 25, 25, 25]}
    fig = collapse_plots.class_histogram(sets)
    (ax,) = fig.axes
    assert len(ax.patches) == 8
    xs = sorted(p.get_x() for p in ax.patches)
    assert xs[0] < xs[1] < xs[2]  # two bars per class, not on top of each other
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"collapsed (coverage 0.23)", "cured (coverage 1.00)"} < set(legend)


def test_draws_into_given_axes():
    fig, ax = plt.subplots()
    assert collapse_plots.class_histogram([1, 2, 3], ax=ax) is fig
    assert len(ax.patches) == 3


def test_samples_and_classes_has_the_grid_and_the_histogram():
    images = np.linspace(-1, 1, 16 * 28 * 28).reshape(16, 28, 28, 1)
    fig = collapse_plots.samples_and_classes(images, [4, 0, 12], title="a run")
    grid, bars = fig.axes
    np.testing.assert_array_equal(grid.images[0].get_array(), plots.tile_images(images, ncols=8))
    assert len(bars.patches) == 3
    assert fig._suptitle.get_text() == "a run"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([[1, 2], [3, 4]], "1-D array"),
        ([5], "at least 2"),
        ([1, -1, 3], "non-negative"),
        ([0, 0, 0], "positive sum"),
        ({}, "empty"),
        ({"a": [1, 2], "b": [1, 2, 3]}, "as many classes"),
    ],
)
def test_bad_counts_say_what_is_wrong(value, message):
    with pytest.raises(ValueError, match=message):
        collapse_plots.class_histogram(value)
