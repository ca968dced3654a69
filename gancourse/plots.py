"""Matplotlib figures for the notebooks: image grids, loss curves, 1-D and 2-D toy GANs.

Everything here draws from NumPy arrays and plain histories; this module never imports
TensorFlow, so it stays fast and testable on its own.

Each function returns its Figure. A figure made here is released from pyplot at once, so
a notebook shows it exactly once, when it is the value of a cell (or passed to
``display``), and figures do not pile up when a widget redraws. Pass ``ax=`` to draw into
an axes of your own instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import argchecks

#: Colours used for real and generated samples in every figure.
REAL_COLOR = "tab:blue"
FAKE_COLOR = "tab:orange"

#: A curve is a callable ``f(x)`` or a pair of arrays ``(xs, ys)``.
Curve = Callable[[np.ndarray], Any] | tuple[Sequence[float], Sequence[float]]


# --------------------------------------------------------------------------- helpers


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = (6.0, 3.5)) -> tuple[Figure, Axes]:
    """Return (figure, axes): the figure of ``ax``, or a new figure released from pyplot."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    plt.close(fig)  # the caller owns it now: no double display, nothing kept by pyplot
    return fig, ax


def _history_series(history: Any) -> Mapping[str, Sequence[float]]:
    """Return the name -> values mapping of ``history``: itself, or its ``.steps`` attribute."""
    series = history if isinstance(history, Mapping) else getattr(history, "steps", None)
    if not isinstance(series, Mapping):
        raise ValueError(
            "history must be a mapping of name -> values, or an object with a .steps mapping, "
            f"got {type(history).__name__}."
        )
    return series


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Return the trailing mean over ``window`` values (fewer at the start), skipping NaN/inf."""
    if values.size == 0:
        return values
    finite = np.isfinite(values)
    kernel = np.ones(window)
    sums = np.convolve(np.where(finite, values, 0.0), kernel)[: len(values)]
    counts = np.convolve(finite.astype(float), kernel)[: len(values)]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _bounds(name: str, value: Any, *data: np.ndarray) -> tuple[float, float]:
    """Return ``value`` as (lo, hi), or if None the range of ``data`` with a 5% margin."""
    if value is None:
        values = np.concatenate([np.ravel(d) for d in data])
        values = values[np.isfinite(values)]
        lo, hi = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
        margin = 0.05 * (hi - lo) if hi > lo else 1.0
        return lo - margin, hi + margin
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (lo, hi), got {value!r}.") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(
            f"{name} must be a pair (lo, hi) of finite numbers with lo < hi, got {value!r}."
        )
    return lo, hi


def _curve(name: str, curve: Curve, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y) for ``curve``: a callable evaluated at ``xs`` as (N,) or (N, 1), or a pair."""
    if not callable(curve):
        try:
            x, y = (np.asarray(a, dtype=float).ravel() for a in curve)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a callable f(x) or a pair (xs, ys).") from None
        if x.shape != y.shape:
            raise ValueError(
                f"{name}: xs and ys must have the same length, got {len(x)} and {len(y)}."
            )
        return x, y
    error: Exception | None = None
    for arg in (xs, xs[:, None]):
        try:
            y = np.asarray(curve(arg), dtype=float).ravel()
        except Exception as exc:  # written for the other shape, it may raise anything
            error = error or exc
            continue
        if y.size == xs.size:
            return xs, y
    raise ValueError(
        f"{name} must accept x of shape (N,) or (N, 1) and return N values; "
        f"calling it with {xs.size} points failed for both shapes."
    ) from error


def _probabilities(name: str, y: np.ndarray) -> None:
    """Raise ValueError if ``y`` has values outside [0, 1] (with a hint about logits)."""
    finite = y[np.isfinite(y)]
    if finite.size and (finite.min() < -1e-6 or finite.max() > 1 + 1e-6):
        raise ValueError(
            f"{name} must give probabilities in [0, 1], got values in "
            f"[{finite.min():.3g}, {finite.max():.3g}]. If D returns logits, apply a sigmoid."
        )


def _legend(*axes: Axes) -> None:
    """Draw one legend on the last of ``axes`` (the topmost) for the labelled artists of all."""
    handles, labels = [], []
    for a in axes:
        h, lab = a.get_legend_handles_labels()
        handles += h
        labels += lab
    if handles:
        axes[-1].legend(handles, labels, loc="best", fontsize="small")


# --------------------------------------------------------------------------- images


def _unit_images(images: Any) -> np.ndarray:
    """Return images (N, H, W[, 1]) in [-1, 1] as a float32 array (N, H, W) in [0, 1]."""
    arr = np.asarray(images)
    if arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim != 3 or arr.size == 0:
        raise ValueError(
            "images must have shape (N, H, W) or (N, H, W, 1) with N, H, W >= 1, "
            f"got {tuple(np.shape(images))}."
        )
    return np.clip((argchecks.images("images", arr, shape=(None, None, None)) + 1) / 2, 0, 1)


def _columns(n: int, ncols: int | None) -> int:
    """Return the number of grid columns for ``n`` images: ceil(sqrt(n)) or ``ncols``, at most n."""
    if ncols is None:
        return math.ceil(math.sqrt(n))
    return min(argchecks.positive_int("ncols", ncols), n)


def _tile(unit: np.ndarray, ncols: int, pad: int) -> np.ndarray:
    """Return the images of ``unit`` (N, H, W) tiled row by row on a white (1.0) background."""
    n, h, w = unit.shape
    nrows = math.ceil(n / ncols)
    grid = np.ones((nrows * h + (nrows - 1) * pad, ncols * w + (ncols - 1) * pad), np.float32)
    for i, image in enumerate(unit):
        top, left = (i // ncols) * (h + pad), (i % ncols) * (w + pad)
        grid[top : top + h, left : left + w] = image
    return grid


def tile_images(images: Any, ncols: int | None = None, pad: int = 1) -> np.ndarray:
    """Return images (N, H, W[, 1]) in [-1, 1] tiled into one 2-D float32 array in [0, 1].

    ``ncols`` defaults to ceil(sqrt(N)) and is capped at N; ``pad`` pixels of white
    background (1.0) separate the tiles and fill the empty cells of the last row.
    """
    unit = _unit_images(images)
    return _tile(unit, _columns(len(unit), ncols), argchecks.non_negative_int("pad", pad))


def image_grid(
    images: Any,
    ncols: int | None = None,
    title: str | None = None,
    labels: Sequence[Any] | None = None,
) -> Figure:
    """Return a figure of the images in a greyscale grid, with an optional title and labels.

    ``labels`` (one per image, for example predicted classes) are written small above
    each tile; the tiles are then spaced further apart to make room for them.
    """
    unit = _unit_images(images)
    n, h, w = unit.shape
    ncols = _columns(n, ncols)
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels must have one entry per image ({n} images), got {len(labels)}.")
    pad = 1 if labels is None else max(2, round(0.4 * h))
    grid = _tile(unit, ncols, pad)
    inches = min(0.8, 10.0 / ncols)  # per tile, so that the grid is at most 10 inches wide
    top = pad if labels is not None else 0  # room for the labels of the first row
    height = inches * (grid.shape[0] + top) / (w + pad) + (0.4 if title else 0.0)
    fig, ax = _new_axes(None, figsize=(inches * ncols + 0.2, height + 0.2))
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_ylim(grid.shape[0] - 0.5, -0.5 - top)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    for i, label in enumerate(labels if labels is not None else ()):
        row, col = divmod(i, ncols)
        x, y = col * (w + pad) + (w - 1) / 2, row * (h + pad) - 0.5
        ax.text(x, y, str(label), ha="center", va="bottom", fontsize=8)
    return fig


# --------------------------------------------------------------------------- histories


def loss_curves(
    history: Any,
    ax: Axes | None = None,
    smooth: int = 1,
    marker_step: int | None = None,
    *,
    keys: str | Sequence[str] | None = None,
    title: str | None = None,
    ylabel: str | None = "loss",
) -> Figure:
    """Return a figure of each series in ``history`` (all, or ``keys``) against the step.

    ``history`` maps names to 1-D sequences, e.g. ``{"d_loss": [...], "g_loss": [...]}``,
    or has such a mapping as ``history.steps``. ``smooth`` > 1 draws the trailing moving
    average over that many steps over the faint raw values; ``marker_step`` draws a
    vertical line at that step. Any series can be plotted this way, not only losses.
    """
    series = _history_series(history)
    keys = list(series) if keys is None else [keys] if isinstance(keys, str) else list(keys)
    missing = [k for k in keys if k not in series]
    if missing:
        available = ", ".join(repr(k) for k in series) or "none"
        raise ValueError(
            f"history has no {', '.join(map(repr, missing))}. Available keys: {available}."
        )
    smooth = argchecks.positive_int("smooth", smooth)
    if marker_step is not None:
        marker_step = argchecks.non_negative_int("marker_step", marker_step)
    arrays = {key: np.asarray(series[key], dtype=float) for key in keys}
    for key, values in arrays.items():
        if values.ndim != 1:
            raise ValueError(f"history[{key!r}] must be 1-D, got shape {values.shape}.")
    fig, ax = _new_axes(ax)
    for key, values in arrays.items():
        steps = np.arange(len(values))
        if smooth > 1:
            (raw,) = ax.plot(steps, values, alpha=0.25, linewidth=1)
            ax.plot(steps, _moving_average(values, smooth), color=raw.get_color(), label=key)
        else:
            ax.plot(steps, values, label=key)
    if marker_step is not None:
        ax.axvline(marker_step, color="0.4", linestyle="--")
    ax.set_xlabel("step")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    _legend(ax)
    return fig


# --------------------------------------------------------------------------- toy problems


def toy_1d(
    real: Any,
    fake: Any = None,
    *,
    density: Curve | None = None,
    bounds: tuple[float, float] | None = None,
    d_curve: Curve | None = None,
    optimal_d: Curve | None = None,
    ax: Axes | None = None,
    bins: int = 50,
) -> Figure:
    """Return a figure of a 1-D toy GAN: sample histograms, true density, D(x) and D*(x).

    ``real`` and ``fake`` are samples of shape (N,) or (N, 1), drawn as density-normalised
    histograms; ``density`` is the true p_data(x) as a callable. ``d_curve`` (the
    discriminator) and ``optimal_d`` (the optimal D*) are callables or (xs, ys) pairs drawn
    on a second y-axis from 0 to 1. ``bounds`` (lo, hi) defaults to the range of the data.
    """
    real = argchecks.points("real", real, 1).ravel()
    fake = None if fake is None else argchecks.points("fake", fake, 1).ravel()
    lo, hi = _bounds("bounds", bounds, real, *([] if fake is None else [fake]))
    edges = np.linspace(lo, hi, argchecks.positive_int("bins", bins) + 1)
    xs = np.linspace(lo, hi, 400)
    fig, ax = _new_axes(ax)
    ax.hist(real, bins=edges, density=True, alpha=0.45, color=REAL_COLOR, label="real samples")
    if fake is not None:
        ax.hist(fake, bins=edges, density=True, alpha=0.45, color=FAKE_COLOR, label="generated")
    if density is not None:
        ax.plot(*_curve("density", density, xs), color="navy", label="p_data(x)")
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    axes = [ax]
    curves = [("d_curve", d_curve, "D(x)", "-"), ("optimal_d", optimal_d, "optimal D*(x)", "--")]
    curves = [c for c in curves if c[1] is not None]
    if curves:
        twin = ax.twinx()
        for name, curve, label, style in curves:
            x, y = _curve(name, curve, xs)
            _probabilities(name, y)
            twin.plot(x, y, color="black", linestyle=style, label=label)
        twin.set_ylim(0.0, 1.0)
        twin.set_ylabel("D(x)")
        axes.append(twin)
    _legend(*axes)
    return fig


def toy_2d(
    real: Any,
    fake: Any = None,
    *,
    d_grid: tuple[Any, Any, Any] | None = None,
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None,
    arrows: tuple[Any, Any] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Return a figure of a 2-D toy GAN: real and fake points, D's heatmap, G's gradients.

    ``real`` and ``fake`` have shape (N, 2). ``d_grid = (xs, ys, values)`` with values of
    shape (len(ys), len(xs)) in [0, 1] is drawn as a heatmap with a colorbar "D(x)";
    ``arrows = (points, vectors)``, both (N, 2), as arrows (the generator's gradients).
    ``bounds`` is ((xlo, xhi), (ylo, yhi)) and defaults to the range of everything drawn.
    """
    real = argchecks.points("real", real, 2)
    clouds = [real] if fake is None else [real, argchecks.points("fake", fake, 2)]
    if d_grid is not None:
        gx, gy, values = _d_grid(d_grid)
        clouds.append(np.array([[gx.min(), gy.min()], [gx.max(), gy.max()]]))
    if arrows is not None:
        points = argchecks.points("arrows points", arrows[0], 2)
        vectors = argchecks.points("arrows vectors", arrows[1], 2)
        if len(points) != len(vectors):
            raise ValueError(
                f"arrows need one vector per point, got {len(points)} points and {len(vectors)}."
            )
    if bounds is None:
        (xlo, xhi), (ylo, yhi) = (
            _bounds("bounds", None, *(c[:, i] for c in clouds)) for i in (0, 1)
        )
    else:
        try:
            xb, yb = bounds
        except (TypeError, ValueError):
            raise ValueError(f"bounds must be ((xlo, xhi), (ylo, yhi)), got {bounds!r}.") from None
        (xlo, xhi), (ylo, yhi) = _bounds("bounds[0]", xb), _bounds("bounds[1]", yb)
    fig, ax = _new_axes(ax, figsize=(5.5, 4.5))
    if d_grid is not None:
        mesh = ax.pcolormesh(
            gx, gy, values, cmap="Greys", vmin=0.0, vmax=1.0, shading="auto", alpha=0.6
        )
        fig.colorbar(mesh, ax=ax, label="D(x)")
    style = {"s": 12, "alpha": 0.8, "edgecolors": "white", "linewidths": 0.3}
    ax.scatter(real[:, 0], real[:, 1], color=REAL_COLOR, label="real", **style)
    if fake is not None:
        ax.scatter(clouds[1][:, 0], clouds[1][:, 1], color=FAKE_COLOR, label="generated", **style)
    if arrows is not None:
        ax.quiver(
            points[:, 0], points[:, 1], vectors[:, 0], vectors[:, 1], angles="xy", width=0.004
        )
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    ax.set_aspect("equal")
    _legend(ax)
    return fig


def _d_grid(d_grid: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (xs, ys, values) checked: 1-D axes and values (len(ys), len(xs)) in [0, 1]."""
    try:
        xs, ys, values = (np.asarray(a, dtype=float) for a in d_grid)
    except (TypeError, ValueError):
        raise ValueError("d_grid must be a triple (xs, ys, values) of arrays.") from None
    if xs.ndim != 1 or ys.ndim != 1 or values.shape != (len(ys), len(xs)):
        raise ValueError(
            "d_grid must be (xs, ys, values) with 1-D xs and ys and values of shape "
            f"(len(ys), len(xs)) = ({len(ys)}, {len(xs)}); got xs {xs.shape}, ys {ys.shape}, "
            f"values {values.shape}."
        )
    _probabilities("d_grid values", values)
    return xs, ys, values


# --------------------------------------------------------------------------- two-class data

#: Colours of class 0 and class 1 in two-class figures: the two ends of the "PRGn" map.
CLASS_COLORS = ("tab:purple", "tab:green")
_BOUNDARY_STYLES = ("--", ":", "-.")


def _probability_grid(name: str, grid: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (xs, ys, p) checked: 1-D axes and p (len(ys), len(xs)) in [0, 1]."""
    try:
        xs, ys, p = (np.asarray(a, dtype=float) for a in grid)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a triple (xs, ys, p) of arrays.") from None
    if xs.ndim != 1 or ys.ndim != 1 or p.shape != (len(ys), len(xs)):
        raise ValueError(
            f"{name} must be (xs, ys, p) with 1-D xs and ys and p of shape (len(ys), len(xs)); "
            f"got xs {xs.shape}, ys {ys.shape}, p {p.shape}."
        )
    _probabilities(name, p)
    return xs, ys, p


def _labelled_points(name: str, value: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return (points (N, 2), labels (N,) of 0 and 1) checked, or raise ValueError."""
    try:
        points, labels = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (points, labels).") from None
    points = argchecks.points(f"{name} points", points, 2)
    labels = np.asarray(labels)
    if labels.shape != (len(points),) or not np.all(np.isin(labels, (0, 1))):
        raise ValueError(
            f"{name} labels must be one 0 or 1 per point ({len(points)}), got shape {labels.shape}."
        )
    return points, labels.astype(int)


def class_panels(
    panels: Mapping[str, tuple[Any, Any]],
    *,
    maps: Mapping[str, tuple[Any, Any, Any]] | None = None,
    boundaries: Mapping[str, tuple[Any, Any, Any]] | None = None,
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None,
    class_names: Sequence[str] = ("class 0", "class 1"),
) -> Figure:
    """Return a row of scatter plots of labelled 2-D points, one panel per entry of ``panels``.

    ``panels`` maps a title to (points (N, 2), labels (N,) of 0 or 1). ``maps`` maps a
    panel's title to a grid (xs, ys, p) of p(y=1 | x), drawn as a purple-to-green heatmap
    with its decision boundary p = 1/2 as a solid black line. ``boundaries`` maps a legend
    label to such a grid whose boundary is drawn dashed in every panel. All panels share
    ``bounds`` ((xlo, xhi), (ylo, yhi)), by default the range of all points.
    """
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("panels must be a non-empty mapping {title: (points, labels)}.")
    data = {title: _labelled_points(f"panels[{title!r}]", v) for title, v in panels.items()}
    maps = dict(maps or {})
    unknown = set(maps) - set(data)
    if unknown:
        raise ValueError(f"maps name panels that do not exist: {sorted(unknown)}.")
    grids = {t: _probability_grid(f"maps[{t!r}]", g) for t, g in maps.items()}
    lines = {
        label: _probability_grid(f"boundaries[{label!r}]", g)
        for label, g in (boundaries or {}).items()
    }
    if len(lines) > len(_BOUNDARY_STYLES):
        raise ValueError(f"at most {len(_BOUNDARY_STYLES)} boundaries, got {len(lines)}.")
    if len(class_names) != 2:
        raise ValueError(f"class_names must name the two classes, got {class_names!r}.")
    everything = np.concatenate([p for p, _ in data.values()])
    if bounds is None:
        xb, yb = (_bounds("bounds", None, everything[:, i]) for i in (0, 1))
    else:
        try:
            xb, yb = (_bounds(f"bounds[{i}]", b) for i, b in enumerate(bounds))
        except (TypeError, ValueError) as error:
            raise ValueError(f"bounds must be ((xlo, xhi), (ylo, yhi)): {error}") from None
    fig, axes = plt.subplots(
        1,
        len(data),
        figsize=(4.6 * len(data) + (1.0 if grids else 0.0), 4.4),
        layout="constrained",
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    plt.close(fig)
    style = {"s": 14, "alpha": 0.85, "edgecolors": "white", "linewidths": 0.3}
    mesh = None
    for ax, (title, (points, labels)) in zip(axes[0], data.items()):
        if title in grids:
            xs, ys, p = grids[title]
            mesh = ax.pcolormesh(xs, ys, p, cmap="PRGn", vmin=0, vmax=1, shading="auto", alpha=0.5)
            ax.contour(xs, ys, p, levels=[0.5], colors="black", linewidths=1.5)
            ax.plot([], [], color="black", label="decision boundary")
        for (label, (xs, ys, p)), dash in zip(lines.items(), _BOUNDARY_STYLES):
            ax.contour(xs, ys, p, levels=[0.5], colors="black", linestyles=dash, linewidths=1.2)
            ax.plot([], [], color="black", linestyle=dash, label=label)
        for k in (0, 1):
            chosen = points[labels == k]
            ax.scatter(
                chosen[:, 0], chosen[:, 1], color=CLASS_COLORS[k], label=class_names[k], **style
            )
        ax.set_xlim(*xb)
        ax.set_ylim(*yb)
        ax.set_aspect("equal")
        ax.set_title(title)
        ax.set_xlabel("$x_1$")
        _legend(ax)
    axes[0, 0].set_ylabel("$x_2$")
    if mesh is not None:
        fig.colorbar(mesh, ax=list(axes[0]), label="p(y=1 | x)", shrink=0.8)
    return fig


# --------------------------------------------------------------------------- the GAN, drawn

#: What ``gan_diagram`` can highlight: nothing, a discriminator step or a generator step.
GAN_DIAGRAM_STEPS = ("none", "discriminator", "generator")


def _box(ax: Axes, xy: tuple[float, float], text: str, color: str, bold: bool = False) -> None:
    """Draw a rounded box of width 1.7 and height 0.9 with ``text``, lower-left at ``xy``."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            xy, 1.7, 0.9, boxstyle="round,pad=0.05", facecolor=color, edgecolor="0.3",
            linewidth=2.0 if bold else 1.0,
        )
    )  # fmt: skip
    ax.text(xy[0] + 0.85, xy[1] + 0.45, text, ha="center", va="center", fontsize=9,
            fontweight="bold" if bold else "normal")  # fmt: skip


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **style: Any) -> None:
    """Draw an arrow from ``start`` to ``end``."""
    props = {"arrowstyle": "-|>", "color": "0.25", "lw": 1.3, **style}
    ax.annotate("", xy=end, xytext=start, arrowprops=props)


def gan_diagram(step: str = "none", ax: Axes | None = None) -> Figure:
    """Return a figure of a GAN's data flow, optionally highlighting one training step.

    Noise goes through G to fake samples; real and fake samples go through D to its
    verdict. ``step="discriminator"`` marks D as the one that learns and G as frozen, with
    the backward pass (red, dashed) reaching D only; ``step="generator"`` draws the
    backward pass through D into G, with D frozen and only G learning.
    """
    step = argchecks.choice("step", step, GAN_DIAGRAM_STEPS)
    fig, ax = _new_axes(ax, figsize=(8.0, 3.2))
    learns, frozen, plain = "#c8e6c9", "#e0e0e0", "#fff3cd"
    g_color = {"none": plain, "discriminator": frozen, "generator": learns}[step]
    d_color = {"none": plain, "discriminator": learns, "generator": frozen}[step]
    g_note = {"none": "counterfeiter", "discriminator": "frozen", "generator": "learns"}[step]
    d_note = {"none": "police", "discriminator": "learns", "generator": "frozen"}[step]
    data = "#dbe9f6"
    _box(ax, (0.1, 2.4), "noise z", data)
    _box(ax, (2.4, 2.4), f"Generator G\n({g_note})", g_color, bold=step == "generator")
    fake_note = "G wants D → 1" if step == "generator" else "label 0 (fake)"
    real_note = "not used" if step == "generator" else "label 1 (real)"
    _box(ax, (4.7, 2.4), f"fake G(z)\n{fake_note}", "#fde0c5")
    _box(ax, (4.7, 0.5), f"real x\n{real_note}", "#f5f5f5" if step == "generator" else data)
    _box(ax, (7.0, 1.45), f"Discriminator D\n({d_note})", d_color, bold=step == "discriminator")
    _box(ax, (9.3, 1.45), "D(·): P(real)\n→ loss", "#f5f5f5")
    _arrow(ax, (1.85, 2.85), (2.35, 2.85))
    _arrow(ax, (4.15, 2.85), (4.65, 2.85))
    _arrow(ax, (6.45, 2.85), (6.95, 2.1))
    _arrow(ax, (6.45, 0.95), (6.95, 1.65))
    _arrow(ax, (8.75, 1.9), (9.25, 1.9))
    back = {"color": "tab:red", "linestyle": "--", "lw": 1.8}
    if step in ("discriminator", "generator"):
        _arrow(ax, (10.15, 2.45), (7.85, 2.45), connectionstyle="arc3,rad=0.35", **back)
    if step == "generator":
        _arrow(ax, (7.85, 2.45), (5.55, 3.4), connectionstyle="arc3,rad=0.3", **back)
        _arrow(ax, (5.55, 3.4), (3.25, 3.4), connectionstyle="arc3,rad=0.3", **back)
    if step != "none":
        where = "D only" if step == "discriminator" else "through D into G; only G is updated"
        ax.text(5.6, 4.15, f"backward pass (red): {where}", ha="center", color="tab:red",
                fontsize=9)  # fmt: skip
    ax.set_xlim(0, 11.1)
    ax.set_ylim(0.3, 4.4)
    ax.set_axis_off()
    titles = {
        "none": "A GAN: G makes fakes from noise, D judges real and fake samples",
        "discriminator": "A discriminator step",
        "generator": "A generator step",
    }
    ax.set_title(titles[step], fontsize=10)
    return fig
