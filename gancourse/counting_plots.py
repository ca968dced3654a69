"""Figures for "GANs cannot count": sample grids with their counts, and the count histogram.

``count_bars`` draws the share of real and of generated images with 0, 1, 2, ... objects
side by side; ``counting_figure`` puts a grid of real images, a grid of generated ones (each
tile with its count above it, in red where it is wrong) and that histogram in one figure.
Matplotlib and NumPy only (no TensorFlow). As in ``gancourse.plots``, each function returns
a figure released from pyplot: a notebook shows it as a cell's last value.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import argchecks
from .counting import count_shares
from .plots import tile_images

__all__ = ["count_bars", "counting_figure"]

#: Colours of the real and the generated data, and of a wrong count on a tile.
REAL_COLOR, FAKE_COLOR, WRONG_COLOR = "tab:blue", "tab:orange", "red"


def _counts(name: str, counts: Any) -> np.ndarray:
    """Return ``counts`` as int64 (N,) with N >= 1, or raise ValueError."""
    arr = argchecks.labels(name, counts)
    if not arr.size:
        raise ValueError(f"{name} is empty: count the objects of at least one image.")
    return arr


def count_bars(
    real_counts: Any,
    fake_counts: Any,
    count: int | None = None,
    max_count: int = 6,
    ax: Axes | None = None,
) -> Figure:
    """Return a bar chart of the share of real and generated images with 0..max_count objects.

    The last bar holds ``max_count`` or more. With ``count`` the bars of that number get a
    thin frame and the title says which share of each has exactly ``count``.
    """
    real, fake = _counts("real_counts", real_counts), _counts("fake_counts", fake_counts)
    max_count = argchecks.positive_int("max_count", max_count)
    if count is not None and not 0 <= argchecks.non_negative_int("count", count) <= max_count:
        raise ValueError(f"count must be in 0..max_count={max_count}, got {count}.")
    real_shares, fake_shares = count_shares(real, max_count), count_shares(fake, max_count)
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.5, 3.2), layout="constrained")
        plt.close(fig)  # the caller owns it: shown once, as a cell's last value
    else:
        fig = ax.figure
    xs = np.arange(max_count + 1)
    width = 0.4
    ax.bar(xs - width / 2, real_shares, width, color=REAL_COLOR, label=f"real ({len(real):,})")
    ax.bar(xs + width / 2, fake_shares, width, color=FAKE_COLOR, label=f"generated ({len(fake):,})")
    ax.set_xticks(xs, [*map(str, xs[:-1]), f"{max_count}+"])
    ax.set_xlabel("objects counted in the image")
    ax.set_ylabel("share of images")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="upper right", fontsize="small")
    if count is not None:
        ax.axvspan(count - 0.5, count + 0.5, color="0.9", zorder=0)
        ax.set_title(
            f"exactly {count}: real {real_shares[count]:.0%}, generated {fake_shares[count]:.0%}",
            fontsize="medium",
        )
    return fig


def _grid(ax: Axes, images: Any, counts: np.ndarray, count: int | None, title: str) -> None:
    """Draw ``images`` as a square grid on ``ax``, each tile's count written above it."""
    arr = np.asarray(images)
    ncols = math.ceil(math.sqrt(len(arr)))
    h, w = arr.shape[1:3]
    pad = max(2, round(0.3 * h))  # room for the counts above the tiles
    grid = tile_images(arr, ncols=ncols, pad=pad)
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_ylim(grid.shape[0] - 0.5, -0.5 - pad)
    for i, n in enumerate(counts):
        row, col = divmod(i, ncols)
        wrong = count is not None and n != count
        ax.text(
            col * (w + pad) + (w - 1) / 2,
            row * (h + pad) - 0.5,
            str(n),
            color=WRONG_COLOR if wrong else "black",
            fontsize=8,
            fontweight="bold" if wrong else "normal",
            ha="center",
            va="bottom",
        )
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize="medium")


def counting_figure(
    real: Any,
    fake: Any,
    real_counts: Any,
    fake_counts: Any,
    count: int | None = 3,
    show: int = 16,
    max_count: int = 6,
) -> Figure:
    """Return one figure: real images, generated images (the count above each), the histogram.

    ``real`` and ``fake`` are images (N, 28, 28[, 1]) in [-1, 1] with one count each in
    ``real_counts`` and ``fake_counts``; the grids show the first ``show`` of each, the
    histogram uses all counts. Counts other than ``count`` are written in red.
    """
    real_counts = _counts("real_counts", real_counts)
    fake_counts = _counts("fake_counts", fake_counts)
    show = argchecks.positive_int("show", show)
    for name, images, counts in (("real", real, real_counts), ("fake", fake, fake_counts)):
        if len(images) != len(counts):
            raise ValueError(
                f"{name} has {len(images)} images but {name}_counts has {len(counts)} counts: "
                "pass one count per image (count_objects(images))."
            )
    fig, axes = plt.subplots(
        1, 3, figsize=(12, 4), layout="constrained", gridspec_kw={"width_ratios": [1, 1, 1.3]}
    )
    _grid(axes[0], np.asarray(real)[:show], real_counts[:show], count, "real images")
    _grid(axes[1], np.asarray(fake)[:show], fake_counts[:show], count, "generated images")
    count_bars(real_counts, fake_counts, count=count, max_count=max_count, ax=axes[2])
    plt.close(fig)  # the caller owns it: shown once, as a cell's last value
    return fig
