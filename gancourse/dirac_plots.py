"""Figures for notebook 06's first two sections: gaps between distributions, the Dirac-GAN.

* :func:`plot_optimal_discriminator`: the data, the fakes and D*(x) for a few gaps.
* :func:`plot_gap_divergences`: JS divergence and Wasserstein distance against the gap, and
  the slope of G's loss that a perfect D leaves the generator.
* :func:`plot_dirac_paths`: the Dirac-GAN's vector field with labelled paths of gradient steps.
* :func:`plot_radii`: each path's distance from the equilibrium, step by step.

Like :mod:`gancourse.plots`, every function returns its Figure released from pyplot (shown
once, as the value of a cell) or draws into ``ax=``; nothing here imports TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import argchecks
from . import dirac_gan as dg
from . import gap_divergences as gd
from .plots import FAKE_COLOR, REAL_COLOR, _new_axes

__all__ = [
    "plot_dirac_paths",
    "plot_gap_divergences",
    "plot_optimal_discriminator",
    "plot_radii",
]

#: The curves of :func:`plot_gap_divergences`' right panel: loss -> (label, colour, style).
GRADIENT_CURVES = {
    "minimax": ("minimax log(1 - D*)", "tab:red", "-"),
    "non_saturating": ("non-saturating -log D*", "0.55", "--"),
    "critic": ("critic f(x) = -x (Wasserstein)", "tab:green", "-"),
}


def _figure(ncols: int, figsize: tuple[float, float]) -> tuple[Figure, np.ndarray]:
    """Return a new figure (not kept by pyplot) with ``ncols`` axes side by side."""
    fig, axes = plt.subplots(1, ncols, figsize=figsize, layout="constrained")
    plt.close(fig)  # the caller owns it now: no double display, nothing kept by pyplot
    return fig, np.atleast_1d(axes)


def plot_optimal_discriminator(gaps: Any = (0.2, 1.0), width: float = 0.1) -> Figure:
    """Return one panel per gap: the data's density, the fakes' density and D*(x)."""
    gaps = gd._gaps(gaps)
    width = argchecks.positive_float("width", width)
    fig, axes = _figure(len(gaps), (3.4 * len(gaps), 2.9))
    for ax, gap in zip(axes, gaps):
        x = np.linspace(min(0, gap) - 5 * width, max(0, gap) + 5 * width, 600)
        density = np.exp(-0.5 * (x / width) ** 2) / (width * math.sqrt(2 * math.pi))
        fake = np.exp(-0.5 * ((x - gap) / width) ** 2) / (width * math.sqrt(2 * math.pi))
        ax.fill_between(x, density, color=REAL_COLOR, alpha=0.3, label="p_data")
        ax.fill_between(x, fake, color=FAKE_COLOR, alpha=0.3, label="p_g")
        on_fakes = gd.optimal_discriminator(gap, gap, width)
        ax.set(xlabel="x", ylabel="density")
        ax.set_title(f"gap {gap:g}: D* at the fakes' centre {on_fakes:.2g}", fontsize=10)
        right = ax.twinx()
        right.plot(x, gd.optimal_discriminator(x, gap, width), color="black", label="D*(x)")
        right.plot([gap], [on_fakes], "o", color=FAKE_COLOR, markeredgecolor="black")
        right.set_ylim(-0.03, 1.03)
        right.set_ylabel("D*(x)")
        handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="upper right", fontsize=7)
    return fig


def plot_gap_divergences(gaps: Any = None, width: float = 0.1) -> Figure:
    """Return two panels against the gap: JS and W1 (left); |slope of G's loss| (right, log).

    ``gaps`` defaults to 201 gaps from 0 to 20 widths. The slopes are those of
    :func:`gancourse.gap_divergences.generator_gradient_by_gap`, D frozen at its optimum.
    """
    width = argchecks.positive_float("width", width)
    gaps = np.linspace(0, 20 * width, 201) if gaps is None else gd._gaps(gaps)
    fig, (left, right) = _figure(2, (9.0, 3.4))
    left.plot(gaps, gd.js_by_gap(gaps, width), color="tab:purple", label="JS divergence (nats)")
    left.plot(gaps, gd.wasserstein_by_gap(gaps, width), color="tab:green", label="Wasserstein-1")
    left.axhline(math.log(2), color="0.5", linestyle=":", label="log 2 = 0.693 nats (1 bit)")
    left.set(xlabel="gap between the distributions", ylabel="distance", ylim=(0, None))
    left.set_title("how far apart: JS saturates, W1 does not", fontsize=10)
    left.legend(fontsize=8, loc="upper left")
    for loss, (label, color, style) in GRADIENT_CURVES.items():
        slope = np.abs(gd.generator_gradient_by_gap(gaps, width, loss))
        shown = np.where(slope > 0, slope, np.nan)  # log axis: leave out gap 0
        right.plot(gaps, shown, color=color, linestyle=style, label=label)
    _plain_log_scale(right)
    right.set(xlabel="gap between the distributions", ylabel="|d loss / d θ|")
    right.set_title("the slope G receives from the best D", fontsize=10)
    right.legend(fontsize=8, loc="lower left")
    return fig


def _plain_log_scale(ax: Axes) -> None:
    """Give ``ax`` a log y-axis labelled 0.01, 1, 1e-06 (plain text: drawn far faster)."""
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def _limit(paths: Mapping[str, np.ndarray], lim: float | None) -> float:
    """Return the half-width of the square shown: ``lim``, or one that holds every path."""
    if lim is not None:
        return argchecks.positive_float("lim", lim)
    reach = max((np.max(np.abs(p)) for p in paths.values()), default=1.0)
    return max(1.5, 1.1 * float(reach))


def _paths(paths: Any) -> dict[str, np.ndarray]:
    """Return ``paths`` as {label: points (N, 2)}, checked."""
    if not isinstance(paths, Mapping) or not paths:
        raise ValueError(
            "paths must be a non-empty mapping {label: points (N, 2)}, e.g. "
            "{'simultaneous': dirac_gan.path(1, 1, lr=0.1, steps=300)}."
        )
    checked = {}
    for label, points in paths.items():
        points = argchecks.matrix(f"paths[{label!r}]", points)
        if points.shape[1] != 2:
            raise ValueError(f"paths[{label!r}] must have shape (N, 2), got {points.shape}.")
        checked[str(label)] = points
    return checked


def plot_dirac_paths(
    paths: Any,
    *,
    loss: str = "minimax",
    r1: float = 0.0,
    noise: float = 0.0,
    lim: float | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Return the Dirac-GAN's vector field (grey arrows) with each path of ``paths`` on it.

    ``paths`` maps a label to points (N, 2) of (theta, psi), e.g. from
    :func:`gancourse.dirac_gan.path`; each is drawn from a black dot (start) to a cross (end).
    The arrows show the direction of the field for ``loss``, ``r1`` and ``noise``, all of the
    same length; the star is the equilibrium (0, 0).
    """
    paths = _paths(paths)
    half = _limit(paths, lim)
    fig, ax = _new_axes(ax, (4.2, 4.0))
    grid = np.linspace(-half, half, 15)
    theta, psi = np.meshgrid(grid, grid)
    g_move, d_move = dg.vector_field(theta, psi, loss=loss, r1=r1, noise=noise)
    length = np.hypot(g_move, d_move)
    length[length == 0] = 1.0
    ax.quiver(
        theta, psi, g_move / length, d_move / length, color="0.75", angles="xy", pivot="mid",
        scale=22, width=0.004,
    )  # fmt: skip
    for label, points in paths.items():
        (line,) = ax.plot(points[:, 0], points[:, 1], linewidth=1.2, label=label)
        ax.plot(*points[0], "o", color="black", markersize=4)
        ax.plot(*points[-1], "X", color=line.get_color(), markeredgecolor="black", markersize=7)
    ax.plot(0, 0, "*", color="gold", markeredgecolor="black", markersize=13, label="equilibrium")
    ax.set(xlim=(-half, half), ylim=(-half, half), aspect="equal")
    ax.set(xlabel="θ (generator: where it puts its point)", ylabel="ψ (discriminator's slope)")
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper right", framealpha=0.9)
    return fig


def plot_radii(paths: Any, ax: Axes | None = None) -> Figure:
    """Return each path's distance from the equilibrium against the step.

    The scale is logarithmic where the distances span more than a factor of 10, otherwise
    linear from 0.
    """
    paths = _paths(paths)
    fig, ax = _new_axes(ax, (4.5, 3.2))
    radii = {label: dg.radius(points) for label, points in paths.items()}
    for label, radius in radii.items():
        ax.plot(np.arange(len(radius)), radius, label=label)
    positive = np.concatenate([r[r > 0] for r in radii.values()])
    if positive.size and positive.max() > 10 * positive.min():  # log only over a decade or more
        _plain_log_scale(ax)
    else:
        top = max(float(np.max(r)) for r in radii.values())
        ax.set_ylim(0, 1.1 * top if top > 0 else 1.0)  # a circle is a flat line, not a wobble
    ax.set(xlabel="step", ylabel="distance from (0, 0)")
    ax.legend(fontsize=7)
    return fig
