"""gancourse.plots.class_panels: labelled 2-D points, p(y=1 | x) maps and decision boundaries."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

from gancourse import plots

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


POINTS = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5], [3.0, 2.0]])
LABELS = np.array([0, 0, 1, 1])


def _grid(threshold=1.5):
    xs, ys = np.linspace(-1, 4, 30), np.linspace(-1, 3, 20)
    return xs, ys, np.tile((xs > threshold).astype(float), (len(ys), 1))


def _panel_axes(fig):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def test_one_panel_draws_each_class_in_its_colour():
    fig = plots.class_panels({"data": (POINTS, LABELS)}, class_names=("cats", "dogs"))
    assert isinstance(fig, Figure) and plt.get_fignums() == []  # released from pyplot
    (ax,) = fig.axes
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(s.get_offsets()) for s in scatters] == [2, 2]
    assert [s.get_label() for s in scatters] == ["cats", "dogs"]
    assert np.allclose(scatters[1].get_offsets(), POINTS[2:])
    assert ax.get_title() == "data"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cats", "dogs"]


def test_maps_draw_a_heatmap_a_boundary_and_one_colorbar():
    grids = {"A": _grid(1.0), "B": _grid(2.0)}
    fig = plots.class_panels({"A": (POINTS, LABELS), "B": (POINTS, LABELS)}, maps=grids)
    panels = _panel_axes(fig)
    assert [ax.get_title() for ax in panels] == ["A", "B"]
    assert len(fig.axes) == 3  # two panels and the colorbar
    for ax in panels:
        assert any(isinstance(c, QuadMesh) for c in ax.collections)
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[0] == "decision boundary"
    assert panels[0].get_xlim() == panels[1].get_xlim()  # shared axes


def test_boundaries_are_labelled_lines_in_every_panel():
    fig = plots.class_panels(
        {"real": (POINTS, LABELS), "sampled": (POINTS[::-1], LABELS)},
        boundaries={"logistic": _grid(1.0), "Gaussians": _grid(2.0)},
        bounds=((-1, 4), (-1, 3)),
    )
    for ax in fig.axes:
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[:2] == ["logistic", "Gaussians"]
        assert ax.get_xlim() == (-1, 4) and ax.get_ylim() == (-1, 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"panels": {}}, "non-empty mapping"),
        ({"panels": {"a": POINTS}}, r"pair \(points, labels\)"),
        ({"panels": {"a": (POINTS, [0, 1])}}, "one 0 or 1 per point"),
        ({"panels": {"a": (POINTS, [0, 1, 2, 1])}}, "one 0 or 1 per point"),
        ({"panels": {"a": (POINTS[:, :1], LABELS)}}, r"shape \(N, 2\)"),
        ({"panels": {"a": (POINTS, LABELS)}, "maps": {"b": _grid()}}, "do not exist"),
        (
            {"panels": {"a": (POINTS, LABELS)}, "maps": {"a": (np.arange(3), np.arange(2), [1])}},
            "p of shape",
        ),
        (
            {"panels": {"a": (POINTS, LABELS)}, "maps": {"a": (*_grid()[:2], 2 * _grid()[2])}},
            r"probabilities in \[0, 1\]",
        ),
        (
            {"panels": {"a": (POINTS, LABELS)}, "boundaries": dict.fromkeys("wxyz", _grid())},
            "at most",
        ),
        ({"panels": {"a": (POINTS, LABELS)}, "class_names": ("one",)}, "two classes"),
        ({"panels": {"a": (POINTS, LABELS)}, "bounds": ((1, 0), (0, 1))}, "lo < hi"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, match):
    panels = kwargs.pop("panels")
    with pytest.raises(ValueError, match=match):
        plots.class_panels(panels, **kwargs)
