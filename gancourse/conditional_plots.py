"""Figures for notebook 07: conditional GANs, ACGAN, InfoGAN codes and generated training data.

* :func:`digit_style_grid`: a CGAN's digit x style grid, digits the classifier reads
  differently framed in red.
* :func:`per_digit_bars`: conditioning accuracy per digit, for one or several models.
* :func:`code_sweep`: any labelled grid of images, e.g. an InfoGAN's categorical code (rows)
  against one continuous code (columns).
* :func:`code_matching`: how often each code value's samples were filed under each digit.
* :func:`augmentation_chart`: a classifier's accuracy per training set, one dot per seed.
* :func:`code_effects`: the continuous codes against the slant and the ink they cause.
* :func:`conditioning_diagram`: what G and D each get in a CGAN, an ACGAN, an InfoGAN and a
  text-to-image GAN, the condition's path drawn in :data:`CONDITION_COLOR`.

Matplotlib and NumPy only (no TensorFlow). Images are (N, H, W[, 1]) in [-1, 1], drawn as in
``gancourse.plots`` (white digits on black). Each function returns a figure released from
pyplot: a notebook shows it as a cell's last value.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from . import argchecks, plots

__all__ = [
    "augmentation_chart",
    "code_effects",
    "code_matching",
    "code_sweep",
    "conditioning_diagram",
    "digit_style_grid",
    "per_digit_bars",
]

#: Colour of a cell drawn as the wrong digit, and of the best matching's cells.
WRONG_COLOR, MATCH_COLOR = "red", "tab:orange"

#: Colour of the condition (label, code, sentence), its arrows and what D guesses of it.
CONDITION_COLOR = "#6a3d9a"  # dark purple: readable as text on its light fill


def _figure(figsize: tuple[float, float], rows: int = 1, columns: int = 1) -> tuple[Figure, Any]:
    fig, axes = plt.subplots(rows, columns, figsize=figsize, layout="constrained", squeeze=False)
    plt.close(fig)  # the caller owns it: shown once, as a cell's last value
    return fig, axes


def _grid(
    images: Any,
    row_labels: Sequence[Any],
    column_labels: Sequence[Any],
    title: str,
    row_title: str,
    column_title: str,
) -> tuple[Figure, Axes, int, int, int]:
    """Draw images row-major in a labelled grid; return figure, axes, tile height, width, pad."""
    unit = plots._unit_images(images)
    rows, columns = len(row_labels), len(column_labels)
    if rows < 1 or columns < 1 or len(unit) != rows * columns:
        raise ValueError(
            f"images must hold rows x columns = {rows} x {columns} = {rows * columns} images "
            f"(row-major, one row per row label), got {len(unit)}."
        )
    h, w = unit.shape[1:]
    pad = max(1, round(0.08 * h))
    inches = min(0.6, 8.0 / columns, 8.0 / rows)  # per tile: the grid fits a notebook page
    height = inches * rows + 1.2 + 0.25 * title.count("\n")
    fig, ((ax,),) = _figure((inches * columns + 1.3, height))
    ax.imshow(plots._tile(unit, columns, pad), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks(np.arange(columns) * (w + pad) + (w - 1) / 2, [str(c) for c in column_labels])
    ax.set_yticks(np.arange(rows) * (h + pad) + (h - 1) / 2, [str(r) for r in row_labels])
    ax.tick_params(length=0, labelsize="small")
    ax.set(xlabel=column_title, ylabel=row_title)
    ax.set_title(title, fontsize="medium")
    for side in ax.spines.values():
        side.set_visible(False)
    return fig, ax, h, w, pad


def code_sweep(
    images: Any,
    rows: int,
    columns: int,
    row_labels: Sequence[Any],
    column_labels: Sequence[Any],
    title: str = "",
    row_title: str = "categorical code",
    column_title: str = "continuous code",
) -> Figure:
    """Return ``rows`` x ``columns`` images (row-major) in a grid labelled on both axes."""
    rows, columns = argchecks.positive_int("rows", rows), argchecks.positive_int("columns", columns)
    for name, labels, n in (("row", row_labels, rows), ("column", column_labels, columns)):
        if len(labels) != n:
            raise ValueError(
                f"{name}_labels must have {n} entries, one per {name}, got {len(labels)}."
            )
    return _grid(images, row_labels, column_labels, title, row_title, column_title)[0]


def digit_style_grid(
    images: Any,
    rows: int = 10,
    columns: int = 8,
    title: str = "each row asks for one digit; each column keeps one noise vector",
    predicted: Any = None,
    digits: Sequence[int] | None = None,
) -> Figure:
    """Return a CGAN's digit x style grid: row r asks for ``digits[r]`` (default r).

    With ``predicted`` (one classifier label per image), a cell filed under another digit
    than its row's gets a red frame and that digit in its corner; the title counts them.
    """
    rows, columns = argchecks.positive_int("rows", rows), argchecks.positive_int("columns", columns)
    digits = list(range(rows)) if digits is None else list(digits)
    asked = argchecks.labels("digits", digits, n=rows, classes=10)
    wrong = np.zeros(rows * columns, dtype=bool)
    if predicted is not None:
        predicted = argchecks.labels("predicted", predicted, n=rows * columns, classes=10)
        wrong = predicted != np.repeat(asked, columns)
        title = f"{title}\n{wrong.sum()} of {wrong.size} read as another digit (red)"
    fig, ax, h, w, pad = _grid(
        images, digits, range(1, columns + 1), title, "digit asked for", "style (noise vector)"
    )
    for i in np.flatnonzero(wrong):
        top, left = (i // columns) * (h + pad) - 0.5, (i % columns) * (w + pad) - 0.5
        ax.add_patch(Rectangle((left, top), w, h, fill=False, ec=WRONG_COLOR, lw=1.2))
        ax.text(left + w - 1.5, top + 1.5, str(predicted[i]), color=WRONG_COLOR, fontsize=7,
                fontweight="bold", ha="right", va="top",
                bbox={"fc": "white", "ec": "none", "pad": 0.6})  # fmt: skip
    return fig


def _accuracies(name: str, value: Any, size: int | None, per: str = "digit") -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 1 or arr.size == 0 or (size is not None and arr.size != size):
        want = f"one value per {per}" if size is None else f"{size} values, as the first"
        raise ValueError(f"{name} must be a 1-D array ({want}), got shape {arr.shape}.")
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"{name} must hold accuracies in [0, 1] (NaN: never asked), got {arr}.")
    return arr


def per_digit_bars(
    per_digit: Mapping[str, Any], title: str = "", target: float | None = None
) -> Figure:
    """Return grouped bars of conditioning accuracy per digit, one colour per model.

    ``per_digit`` maps a model's name to its accuracy per digit (NaN: that digit was never
    asked for, drawn as no bar). ``target`` adds a dashed line at that accuracy.
    """
    if not isinstance(per_digit, Mapping) or not per_digit:
        raise ValueError("per_digit must be a non-empty dict {model name: accuracy per digit}.")
    sets, size = {}, None
    for name, value in per_digit.items():
        sets[str(name)] = _accuracies(f"per_digit[{name!r}]", value, size)
        size = len(sets[str(name)])
    fig, ((ax,),) = _figure((7.0, 3.6))
    width = 0.8 / len(sets)
    for i, (name, acc) in enumerate(sets.items()):
        xs = np.arange(size) + (i - (len(sets) - 1) / 2) * width
        shown = np.isfinite(acc)
        mean = f"mean {np.mean(acc[shown]):.2f}" if shown.any() else "never asked"
        ax.bar(xs[shown], acc[shown], width, label=f"{name} ({mean})")
        for x in xs[~shown]:
            ax.text(x, 0.02, "not asked", rotation=90, ha="center", va="bottom", fontsize=7)
    if target is not None:
        target = argchecks.in_range("target", target, 0.0, 1.0)
        ax.axhline(target, color="0.2", ls="--", lw=1, label=f"target {target:g}")
    ax.set(xticks=range(size), ylim=(0, 1), xlabel="digit asked for")
    ax.set_ylabel("share drawn as asked")
    if title:
        ax.set_title(title, fontsize="medium")
    # Under the axes, so that the legend never covers a bar.
    entries = len(sets) + (target is not None)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18),
              ncols=entries if entries <= 3 else 2, fontsize="small", frameon=False)  # fmt: skip
    return fig


def code_matching(counts: Any, pairing: Any, title: str = "") -> Figure:
    """Return a heatmap: the share of each code value's samples filed under each digit.

    ``counts[i, j]`` counts samples of code value i read as digit j; the ``pairing`` (code
    value -> digit, e.g. from ``conditional_metrics.best_matching``) is outlined and each
    row's purity (share of its most common digit) is written at the right.
    """
    counts = argchecks.matrix("counts", counts)
    if np.any(counts < 0) or np.any(counts != np.round(counts)) or counts.sum() <= 0:
        raise ValueError("counts must hold whole, non-negative counts with a positive sum.")
    k, classes = counts.shape
    pairing = argchecks.labels("pairing", pairing, n=k, classes=classes)
    totals = counts.sum(axis=1)
    shares = counts / np.maximum(totals, 1)[:, None]
    explained = counts[np.arange(k), pairing].sum() / counts.sum()
    fig, ((ax,),) = _figure((0.5 * classes + 2.0, 0.45 * k + 1.8))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(k):
        cell = Rectangle((pairing[i] - 0.5, i - 0.5), 1, 1, fill=False, ec=MATCH_COLOR, lw=2)
        ax.add_patch(cell).set_clip_on(False)
        for j in np.flatnonzero(counts[i]):
            ax.text(j, i, f"{counts[i, j]:.0f}", ha="center", va="center", fontsize=7,
                    color="white" if shares[i, j] > 0.6 else "black")  # fmt: skip
        purity = f"{shares[i].max():.2f}" if totals[i] else "–"
        ax.text(classes - 0.2, i, purity, ha="left", va="center", fontsize="small")
    ax.text(classes - 0.2, -0.8, "purity", ha="left", va="bottom", fontsize="small")
    ax.set_xticks(range(classes))
    ax.set_yticks(range(k))
    ax.tick_params(length=0)
    ax.set(xlabel="digit the classifier reads", ylabel="code value")
    head = f"{title}\n" if title else ""
    ax.set_title(f"{head}outlined: best matching, {explained:.0%} of samples", fontsize="medium")
    return fig


def augmentation_chart(
    results: Mapping[str, Sequence[float]],
    title: str = "",
    ylabel: str = "accuracy on the reference digits",
) -> Figure:
    """Return a classifier's accuracy per training set: one dot per seed, a line at the mean."""
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict {training set: [accuracy per seed]}.")
    sets = {str(k): _accuracies(f"results[{k!r}]", v, None, "seed") for k, v in results.items()}
    if any(np.isnan(v).any() for v in sets.values()):
        raise ValueError("results must not contain NaN: give one accuracy per seed.")
    fig, ((ax,),) = _figure((1.7 * len(sets) + 1.6, 3.6))
    low = min(float(v.min()) for v in sets.values())
    for i, acc in enumerate(sets.values()):
        xs = i + np.linspace(-0.15, 0.15, len(acc)) if len(acc) > 1 else np.full(1, float(i))
        ax.scatter(xs, acc, s=22, color=f"C{i}", alpha=0.8, zorder=3)
        mean = float(acc.mean())
        ax.hlines(mean, i - 0.3, i + 0.3, color=f"C{i}", lw=2.5)
        ax.text(i + 0.32, mean, f"{mean:.3f}", va="center", ha="left", fontsize="small")
    names = [textwrap.fill(name, 16) for name in sets]
    ax.set_xticks(range(len(sets)), names, fontsize="small")
    ax.set(xlim=(-0.6, len(sets) - 0.2), ylim=(max(0.0, low - 0.05), 1.0), ylabel=ylabel)
    seeds = sorted({len(v) for v in sets.values()})
    count = "/".join(map(str, seeds)) + (" seed" if seeds == [1] else " seeds")
    ax.set_xlabel(f"training set (dots: {count}; line: their mean)")
    ax.grid(axis="y", alpha=0.3)
    if title:
        ax.set_title(title, fontsize="medium")
    return fig


def code_effects(values: Any, slant: Any, ink: Any, title: str = "") -> Figure:
    """Return a 2 x 2 grid: each continuous code (rows) against the slant and the ink (columns)."""
    values = argchecks.matrix("values", values, min_rows=2)
    if values.shape[1] != 2:
        raise ValueError(f"values must have shape (N, 2): codes c1 and c2, got {values.shape}.")
    measures = {}
    for name, value in (("slant", slant), ("ink", ink)):
        arr = np.asarray(value, dtype=float)
        if arr.shape != (len(values),) or not np.all(np.isfinite(arr)):
            raise ValueError(
                f"{name} must have shape ({len(values)},), one finite value per row of values, "
                f"got shape {arr.shape}."
            )
        measures[name] = arr
    fig, axes = _figure((7.5, 5.6), 2, 2)
    for row in range(2):
        for col, (name, measure) in enumerate(measures.items()):
            ax, x, y = axes[row, col], values[:, row], measure
            ax.scatter(x, y, s=8, alpha=0.5, color=f"C{row}")
            r = f"{np.corrcoef(x, y)[0, 1]:+.2f}" if np.std(x) > 0 and np.std(y) > 0 else "n/a"
            ax.set_title(f"c{row + 1} vs {name}: r = {r}", fontsize="medium")
            ax.set(xlabel=f"code c{row + 1}", ylabel=name)
    if title:
        fig.suptitle(title)
    return fig


_FACES = {"data": "#dbe9f6", "cond": "#efe3f7", "player": "#fff3cd", "out": "#f5f5f5"}
_FACES["guess"] = _FACES["out"]  # an output guessing the condition: drawn as a condition
# Per panel: title, boxes (key, centre x, centre y, text, kind), arrows "from>to" (in
# CONDITION_COLOR when either end is a "cond" or a "guess").
_BASE = (("z", 1.2, 4.9, "noise z", "data"), ("x", 1.2, 1.7, "image x\n(real or fake)", "data"),
         ("G", 5.4, 4.9, "G", "player"), ("f", 8.6, 4.9, "fake x", "out"))  # fmt: skip
_DIAGRAMS = (
    ("CGAN: G and D both get the label y",
     (*_BASE, ("y", 1.2, 3.3, "label y", "cond"), ("D", 5.4, 1.7, "D", "player"),
      ("r", 8.6, 1.7, "real?", "out")), "z>G y>G G>f x>D y>D D>r"),
    ("ACGAN: only G gets y; D must also name the class",
     (*_BASE, ("y", 1.2, 3.3, "label y", "cond"), ("D", 5.4, 1.7, "D", "player"),
      ("r", 8.6, 2.3, "real?", "out"), ("k", 8.6, 1.0, "class?", "guess")),
     "z>G y>G G>f x>D D>r D>k"),
    ("InfoGAN: no labels; Q, on D's layers, guesses G's code c",
     (*_BASE, ("c", 1.2, 3.3, "code c", "cond"), ("D", 5.4, 2.0, "D", "player"),
      ("Q", 5.4, 0.8, "Q", "player"), ("r", 8.6, 2.0, "real?", "out"),
      ("k", 8.6, 0.8, "guessed c", "guess")), "z>G c>G G>f x>D x>Q D>r Q>k"),
    ("Text to image: G and D both get the sentence's vector",
     (("z", 1.2, 4.9, "noise z", "data"), ("s", 1.2, 3.3, '"a sentence"', "cond"),
      ("e", 3.6, 3.3, "text\nencoder", "cond"), ("v", 5.6, 3.3, "vector", "cond"),
      ("x", 1.2, 1.7, "image\n(real or fake)", "data"), ("G", 7.2, 4.9, "G", "player"),
      ("D", 7.2, 1.7, "D", "player"), ("f", 9.0, 4.9, "fake\nimage", "out"),
      ("r", 9.0, 1.7, "real and\nmatching?", "out")), "z>G s>e e>v v>G v>D G>f x>D D>r"),
)  # fmt: skip


def _diagram_box(ax: Axes, x: float, y: float, text: str, kind: str) -> tuple:
    """Draw a rounded box centred at (x, y) sized to ``text``; return (x, y, half w, half h)."""
    lines, cond, player = text.split("\n"), kind in ("cond", "guess"), kind == "player"
    w, h = max(0.5, 0.062 * max(map(len, lines)) + 0.2), 0.22 * len(lines) + 0.18
    ax.add_patch(FancyBboxPatch((x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0.05",
                                fc=_FACES[kind], ec=CONDITION_COLOR if cond else "0.3",
                                lw=1.5 if cond else 1.0))  # fmt: skip
    ax.text(x, y, text, ha="center", va="center", fontsize=12 if player else 9,
            color=CONDITION_COLOR if cond else "black",
            fontweight="bold" if player else "normal")  # fmt: skip
    return x, y, w + 0.08, h + 0.08


def conditioning_diagram() -> Figure:
    """Return a 2 x 2 figure of what G and D each get in four conditional GANs.

    CGAN, ACGAN, InfoGAN and a text-to-image GAN; the condition (label y, code c, sentence),
    its arrows and D's (or Q's) guesses of it are drawn in :data:`CONDITION_COLOR`.
    """
    fig, axes = _figure((11.0, 6.2), 2, 2)
    for ax, (title, boxes, arrows) in zip(axes.flat, _DIAGRAMS, strict=True):
        drawn = {key: _diagram_box(ax, x, y, text, kind) for key, x, y, text, kind in boxes}
        conditions = {key for key, *_, kind in boxes if kind in ("cond", "guess")}
        for a, b in (arrow.split(">") for arrow in arrows.split()):
            (ax0, ay, aw, ah), (bx, by, bw, bh) = drawn[a], drawn[b]
            start = (ax0 + aw, ay + np.clip(by - ay, -ah / 2, ah / 2))
            end = (bx - bw, by + np.clip(ay - by, -bh / 2, bh / 2))
            color, lw = (CONDITION_COLOR, 1.6) if {a, b} & conditions else ("0.25", 1.3)
            plots._arrow(ax, start, end, color=color, lw=lw)
        ax.set(xlim=(0, 10), ylim=(0.2, 5.6))
        ax.set_axis_off()
        ax.set_title(title, fontsize=10)
    fig.suptitle("What G and D each get: the condition and its path in purple", fontsize=11)
    return fig
