"""Tests for gancourse.plots: what each figure draws, checked on its artists."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure
from matplotlib.quiver import Quiver

from gancourse import plots

matplotlib.use("Agg")  # no windows: figures are only inspected and closed

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def constant_images(values, h=3, w=2):
    """Return images (N, h, w) where image i is filled with values[i]."""
    return np.stack([np.full((h, w), v, dtype=np.float32) for v in values])


def labelled_lines(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


# --------------------------------------------------------------------------- tile_images


@pytest.mark.parametrize(
    ("n", "ncols", "pad", "expected"),
    [
        (1, None, 1, (3, 2)),
        (4, None, 1, (7, 5)),  # 2 x 2
        (5, None, 2, (8, 10)),  # ncols = ceil(sqrt(5)) = 3, 2 rows
        (5, 2, 0, (9, 4)),  # 3 rows, no padding
        (3, 10, 1, (3, 8)),  # ncols capped at N
        (7, 1, 1, (27, 2)),  # one column
    ],
)
def test_tile_images_shape(n, ncols, pad, expected):
    grid = plots.tile_images(np.zeros((n, 3, 2)), ncols=ncols, pad=pad)
    assert grid.shape == expected
    assert grid.ndim == 2 and np.issubdtype(grid.dtype, np.floating)


def test_tile_images_literal_small_grid():
    # three 1x1 images valued -1, 0, 0.5 in two columns, 1 pixel of white between them
    grid = plots.tile_images(np.array([-1.0, 0.0, 0.5]).reshape(3, 1, 1, 1), ncols=2, pad=1)
    expected = [[0.0, 1.0, 0.5], [1.0, 1.0, 1.0], [0.75, 1.0, 1.0]]
    np.testing.assert_allclose(grid, expected)


def test_tile_images_places_each_image_in_its_cell():
    values = [-1.0, -0.5, 0.0, 0.5, 0.9]
    h, w, pad, ncols = 3, 2, 2, 3
    grid = plots.tile_images(constant_images(values, h, w), ncols=ncols, pad=pad)
    filled = np.zeros(grid.shape, dtype=bool)
    for i, v in enumerate(values):
        top, left = (i // ncols) * (h + pad), (i % ncols) * (w + pad)
        np.testing.assert_allclose(grid[top : top + h, left : left + w], (v + 1) / 2)
        filled[top : top + h, left : left + w] = True
    np.testing.assert_array_equal(grid[~filled], 1.0)  # padding and the empty cell
    assert grid.min() >= 0.0 and grid.max() <= 1.0


def test_tile_images_maps_extremes_and_accepts_both_layouts():
    images = constant_images([-1.0, 1.0, 0.0], h=4, w=4)
    grid3 = plots.tile_images(images, pad=0)
    grid4 = plots.tile_images(images[..., None], pad=0)
    np.testing.assert_array_equal(grid3, grid4)
    assert grid3[0, 0] == 0.0 and grid3[0, 4] == 1.0 and grid3[4, 0] == 0.5


@pytest.mark.parametrize(
    ("images", "shape_text"),
    [
        (np.zeros((28, 28)), "(28, 28)"),
        (np.zeros((2, 4, 4, 3)), "(2, 4, 4, 3)"),
        (np.zeros((0, 4, 4)), "(0, 4, 4)"),
        (np.zeros((2, 2, 4, 4, 1)), "(2, 2, 4, 4, 1)"),
    ],
)
def test_tile_images_rejects_bad_shapes(images, shape_text):
    with pytest.raises(ValueError, match="images") as info:
        plots.tile_images(images)
    assert shape_text in str(info.value)


def test_tile_images_rejects_bad_values_and_arguments():
    with pytest.raises(ValueError, match="127.5"):
        plots.tile_images(np.full((2, 4, 4), 200.0))
    with pytest.raises(ValueError, match="ncols"):
        plots.tile_images(np.zeros((2, 4, 4)), ncols=0)
    for pad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="pad"):
            plots.tile_images(np.zeros((2, 4, 4)), pad=pad)


# --------------------------------------------------------------------------- image_grid


def test_image_grid_draws_the_tiled_array():
    images = np.linspace(-1, 1, 7 * 28 * 28).reshape(7, 28, 28, 1)
    fig = plots.image_grid(images, ncols=3, title="samples")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert len(ax.images) == 1
    np.testing.assert_allclose(ax.images[0].get_array(), plots.tile_images(images, ncols=3))
    assert ax.get_title() == "samples"
    assert len(ax.get_xticks()) == 0 and len(ax.get_yticks()) == 0
    assert not ax.texts


def test_image_grid_writes_labels_above_their_tiles():
    images = constant_images(np.linspace(-1, 1, 5), h=10, w=8)
    labels = [3, 1, 4, 1, 5]
    fig = plots.image_grid(images, ncols=2, labels=labels)
    ax = fig.axes[0]
    grid = ax.images[0].get_array()
    pad = (grid.shape[1] - 2 * 8) // (2 - 1)
    assert pad >= 1
    np.testing.assert_allclose(grid, plots.tile_images(images, ncols=2, pad=pad))
    assert [t.get_text() for t in ax.texts] == ["3", "1", "4", "1", "5"]
    for i, text in enumerate(ax.texts):
        x, y = text.get_position()
        top, left = (i // 2) * (10 + pad), (i % 2) * (8 + pad)
        assert left <= x <= left + 8  # over its own column
        assert top - pad - 0.5 <= y <= top  # in the gap just above its tile
    with pytest.raises(ValueError, match="labels"):
        plots.image_grid(images, labels=[1, 2])


def test_figures_are_released_from_pyplot():
    plots.image_grid(np.zeros((4, 8, 8)))
    plots.loss_curves({"d_loss": [1.0, 2.0]})
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------- loss_curves

HISTORY = {"d_loss": [1.4, 1.2, 1.3, 0.9, 1.1], "g_loss": [0.5, 0.8, 0.7, 1.0, 0.6]}


class RecordedHistory:
    def __init__(self, steps):
        self.steps = steps


@pytest.mark.parametrize("history", [HISTORY, RecordedHistory(HISTORY)], ids=["dict", "steps"])
def test_loss_curves_one_line_per_series(history):
    fig = plots.loss_curves(history)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["d_loss", "g_loss"]
    for line, key in zip(lines, HISTORY, strict=True):
        np.testing.assert_allclose(line.get_ydata(), HISTORY[key])
        np.testing.assert_array_equal(line.get_xdata(), np.arange(5))
    assert ax.get_legend() is not None


def test_loss_curves_selected_keys_and_own_axes():
    fig, ax = plt.subplots()
    assert plots.loss_curves(HISTORY, ax, keys="g_loss") is fig
    assert [line.get_label() for line in ax.get_lines()] == ["g_loss"]
    fig2 = plots.loss_curves(HISTORY, keys=("g_loss", "d_loss"))
    assert [line.get_label() for line in fig2.axes[0].get_lines()] == ["g_loss", "d_loss"]


def test_loss_curves_smoothing_is_a_trailing_moving_average():
    values = np.array([4.0, 0.0, 2.0, 6.0, 1.0, 3.0])
    fig = plots.loss_curves({"loss": values}, smooth=3)
    ax = fig.axes[0]
    (smoothed,) = labelled_lines(ax)
    expected = [np.mean(values[max(0, i - 2) : i + 1]) for i in range(len(values))]
    np.testing.assert_allclose(smoothed.get_ydata(), expected)
    raw = [line for line in ax.get_lines() if line is not smoothed]
    assert len(raw) == 1
    np.testing.assert_allclose(raw[0].get_ydata(), values)  # raw values stay visible, faint


def test_loss_curves_smoothing_skips_nan_and_handles_empty_series():
    fig = plots.loss_curves({"loss": [1.0, np.nan, 3.0, 5.0], "empty": []}, smooth=2)
    loss, empty = labelled_lines(fig.axes[0])
    np.testing.assert_allclose(loss.get_ydata(), [1.0, 1.0, 3.0, 4.0])
    assert len(empty.get_ydata()) == 0


def test_loss_curves_marker_step():
    fig = plots.loss_curves(HISTORY, marker_step=3)
    markers = [line for line in fig.axes[0].get_lines() if line.get_label().startswith("_")]
    assert len(markers) == 1
    np.testing.assert_array_equal(markers[0].get_xdata(), [3, 3])
    with pytest.raises(ValueError, match="marker_step"):
        plots.loss_curves(HISTORY, marker_step=-1)


def test_loss_curves_errors():
    with pytest.raises(ValueError, match="x_loss") as info:
        plots.loss_curves(HISTORY, keys=("d_loss", "x_loss"))
    assert "Available keys: 'd_loss', 'g_loss'" in str(info.value)
    with pytest.raises(ValueError, match="history"):
        plots.loss_curves([1.0, 2.0])
    with pytest.raises(ValueError, match="1-D"):
        plots.loss_curves({"loss": [[1.0, 2.0]]})
    with pytest.raises(ValueError, match="smooth"):
        plots.loss_curves(HISTORY, smooth=0)


# --------------------------------------------------------------------------- toy_1d


def gaussian(x, mu=0.0, sigma=1.0):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def line_labelled(ax, label):
    (line,) = [line for line in ax.get_lines() if line.get_label() == label]
    return line


def test_toy_1d_histograms_and_density():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(0, 1, 500), rng.normal(3, 0.5, (400, 1))
    fig = plots.toy_1d(real, fake, density=gaussian, bins=20)
    (ax,) = fig.axes  # no D curves, no twin axis
    assert len(ax.patches) == 40
    areas = [p.get_height() * p.get_width() for p in ax.patches]
    np.testing.assert_allclose([sum(areas[:20]), sum(areas[20:])], [1.0, 1.0])
    line = line_labelled(ax, "p_data(x)")
    np.testing.assert_allclose(line.get_ydata(), gaussian(line.get_xdata()))
    lo, hi = ax.get_xlim()
    assert lo < min(real.min(), fake.min()) and hi > max(real.max(), fake.max())


def test_toy_1d_density_written_for_column_input():
    def column_density(x):
        return gaussian(x[:, 0])  # fails on (N,), works on (N, 1)

    fig = plots.toy_1d([0.0, 1.0], density=column_density, bounds=(-2, 2))
    line = line_labelled(fig.axes[0], "p_data(x)")
    np.testing.assert_allclose(line.get_ydata(), gaussian(line.get_xdata()))
    assert fig.axes[0].get_xlim() == (-2.0, 2.0)


def test_toy_1d_d_curves_on_twin_axis():
    xs = np.linspace(-3, 3, 11)
    fig = plots.toy_1d(
        np.zeros(10),
        d_curve=lambda x: 1 / (1 + np.exp(-x)),
        optimal_d=(xs, np.full_like(xs, 0.5)),
        bounds=(-3, 3),
    )
    ax, twin = fig.axes
    assert twin.get_ylim() == (0.0, 1.0)
    d, d_star = line_labelled(twin, "D(x)"), line_labelled(twin, "optimal D*(x)")
    np.testing.assert_allclose(d.get_ydata(), 1 / (1 + np.exp(-d.get_xdata())))
    np.testing.assert_allclose(d_star.get_xdata(), xs)
    for line in (d, d_star):
        assert 0.0 <= line.get_ydata().min() and line.get_ydata().max() <= 1.0
    legend = twin.get_legend()
    assert {t.get_text() for t in legend.get_texts()} >= {"real samples", "D(x)", "optimal D*(x)"}


def test_toy_1d_errors():
    with pytest.raises(ValueError, match="sigmoid"):
        plots.toy_1d(np.zeros(5), d_curve=lambda x: 3 * x, bounds=(-1, 1))  # logits
    with pytest.raises(ValueError, match="density"):
        plots.toy_1d(np.zeros(5), density=lambda x: np.zeros(3))
    with pytest.raises(ValueError, match="bounds"):
        plots.toy_1d(np.zeros(5), bounds=(1, -1))
    with pytest.raises(ValueError, match="real"):
        plots.toy_1d(np.zeros((5, 2)))


# --------------------------------------------------------------------------- toy_2d


def test_toy_2d_points_heatmap_and_arrows():
    rng = np.random.default_rng(1)
    real, fake = rng.normal(1, 0.3, (50, 2)), rng.normal(-1, 0.3, (40, 2))
    xs, ys = np.linspace(-2, 2, 6), np.linspace(-2, 2, 5)
    values = rng.uniform(0, 1, (5, 6))
    vectors = rng.normal(0, 1, (40, 2))
    fig = plots.toy_2d(real, fake, d_grid=(xs, ys, values), arrows=(fake, vectors))
    ax, colorbar = fig.axes
    assert colorbar.get_ylabel() == "D(x)"
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(5, 6), values)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(scatters[0].get_offsets(), real)
    np.testing.assert_allclose(scatters[1].get_offsets(), fake)
    (quiver,) = [c for c in ax.collections if isinstance(c, Quiver)]
    np.testing.assert_allclose(np.column_stack([quiver.U, quiver.V]), vectors)
    assert ax.get_aspect() == 1.0


def test_toy_2d_without_extras_and_with_bounds():
    fig = plots.toy_2d(np.zeros((5, 2)), bounds=((-1, 2), (-3, 4)))
    (ax,) = fig.axes  # no colorbar
    assert not [c for c in ax.collections if isinstance(c, (QuadMesh, Quiver))]
    assert ax.get_xlim() == (-1.0, 2.0) and ax.get_ylim() == (-3.0, 4.0)


def test_toy_2d_errors():
    xs, ys = np.linspace(0, 1, 4), np.linspace(0, 1, 3)
    with pytest.raises(ValueError, match=r"len\(ys\), len\(xs\)"):
        plots.toy_2d(np.zeros((5, 2)), d_grid=(xs, ys, np.zeros((4, 3))))
    with pytest.raises(ValueError, match="probabilities"):
        plots.toy_2d(np.zeros((5, 2)), d_grid=(xs, ys, np.full((3, 4), 2.0)))
    with pytest.raises(ValueError, match="arrows"):
        plots.toy_2d(np.zeros((5, 2)), arrows=(np.zeros((3, 2)), np.zeros((2, 2))))
    with pytest.raises(ValueError, match="fake"):
        plots.toy_2d(np.zeros((5, 2)), np.zeros(5))


# --------------------------------------------------------------------------- no TensorFlow


def test_plots_never_imports_tensorflow():
    source = (ROOT / "gancourse" / "plots.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & {"tensorflow", "keras", "tf_keras", "tensorflow_gan"}

    code = "import sys, gancourse.plots; print(sorted(m for m in sys.modules if 'tensorflow' in m))"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
