"""Figures of mode collapse on MNIST: what share of the samples a classifier files under each digit.

A generator that collapses draws few kinds of digit; a classifier then files most of its
samples under a few classes. :func:`class_histogram` draws those shares, for one or several
sets of samples side by side, with the share every class would get if all ten came out
equally often; :func:`samples_and_classes` puts a grid of samples next to their histogram.
The counts come from ``gancourse.mnist_metrics.class_histogram``.

This module draws from NumPy arrays and never imports TensorFlow. Each function returns its
Figure, released from pyplot (as in ``gancourse.plots``); pass ``ax=`` to draw into your own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import plots
from .mnist_metrics import coverage_of_counts

__all__ = ["class_histogram", "samples_and_classes"]


def _counts(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a 1-D array of non-negative counts with a positive sum, or raise."""
    counts = np.asarray(value, dtype=float)
    if counts.ndim != 1 or len(counts) < 2:
        raise ValueError(
            f"{name} must be a 1-D array of counts, one per class (at least 2), got shape "
            f"{counts.shape}; mnist_metrics.class_histogram(logits) makes one."
        )
    if not np.all(np.isfinite(counts)) or np.any(counts < 0) or counts.sum() <= 0:
        raise ValueError(
            f"{name} must hold non-negative counts with a positive sum, got {value!r}."
        )
    return counts


def _named_sets(histograms: Any) -> dict[str, np.ndarray]:
    """Return {name: counts}: the mapping given, or one unnamed set of counts."""
    if isinstance(histograms, Mapping):
        if not histograms:
            raise ValueError("histograms is empty: give at least one set of counts.")
        sets = {str(k): _counts(f"histograms[{k!r}]", v) for k, v in histograms.items()}
    else:
        sets = {"": _counts("histograms", histograms)}
    sizes = {len(v) for v in sets.values()}
    if len(sizes) != 1:
        raise ValueError(
            f"every set of counts must have as many classes; got sizes {sorted(sizes)}."
        )
    return sets


def class_histogram(histograms: Any, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Return bars of the share of samples filed under each class, with the even share marked.

    ``histograms`` is one array of counts per class, or a mapping name -> counts for several
    sets side by side; each set's legend entry gives its coverage
    (``mnist_metrics.coverage_of_counts``).
    """
    sets = _named_sets(histograms)
    k = len(next(iter(sets.values())))
    fig, ax = plots._new_axes(ax, figsize=(7.0, 3.2))
    width = 0.8 / len(sets)
    for i, (name, counts) in enumerate(sets.items()):
        label = f"coverage {coverage_of_counts(counts):.2f}"
        ax.bar(
            np.arange(k) + (i - (len(sets) - 1) / 2) * width,
            counts / counts.sum(),
            width,
            label=f"{name} ({label})" if name else label,
        )
    ax.axhline(1 / k, color="0.3", linestyle="--", linewidth=1, label="every class equally often")
    ax.set(xticks=range(k), xlabel="class the classifier predicts", ylabel="share of samples")
    # Room above the tallest bar, so that the legend never covers a bar.
    tallest = max(float(np.max(c / c.sum())) for c in sets.values())
    ax.set_ylim(0, tallest * (1.25 + 0.12 * len(sets)))
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small", loc="upper right", ncols=2 if len(sets) > 2 else 1)
    return fig


def samples_and_classes(
    images: Any, counts: Any, title: str | None = None, ncols: int = 8
) -> Figure:
    """Return a figure: sample ``images`` in a grid (left), their class shares (right)."""
    tiles = plots.tile_images(images, ncols=ncols)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10.5, 3.6), layout="constrained", width_ratios=(1.2, 1.4)
    )
    plt.close(fig)
    left.imshow(tiles, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    left.set(xticks=[], yticks=[], title=f"{len(np.asarray(images))} samples")
    class_histogram(counts, ax=right, title="what the classifier sees in them")
    if title:
        fig.suptitle(title)
    return fig
