"""Figures and tables of toy-GAN sweeps (``gancourse.toy_sweep``), for notebook 06.

Every function takes :class:`~gancourse.toy_sweep.SweepResult`-like objects (anything with
``name``, ``steps``, ``modes``, ``good``, ``samples``, ``total_modes`` and ``seconds``), so
this module imports neither TensorFlow nor the sweep itself.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_final_samples", "plot_stabilisers", "plot_sweep_curves", "sweep_table"]


def _results(results: Any) -> list[Any]:
    """Return ``results`` (a dict by name or a sequence) as a non-empty list."""
    items = list(results.values()) if isinstance(results, dict) else list(results)
    if not items:
        raise ValueError("results is empty: pass the results of at least one recipe.")
    return items


def sweep_table(results: Any) -> str:
    """Return a text table: per recipe, modes covered and good share at the end, over seeds."""
    rows = [
        f"{'recipe':<24}{'modes covered (each seed)':<28}{'good samples (mean)':<22}{'seconds':>8}"
    ]
    for r in _results(results):
        modes, good = r.modes[:, -1], r.good[:, -1]
        each = " ".join(str(int(m)) for m in modes)
        covered = f"{modes.mean():.1f} of {r.total_modes}  ({each})"
        share = f"{good.mean():.0%}  ({good.min():.0%}-{good.max():.0%})"
        rows.append(f"{r.name:<24}{covered:<28}{share:<22}{r.seconds:>8.1f}")
    return "\n".join(rows)


def plot_sweep_curves(results: Any, title: str = "") -> Figure:
    """Return modes covered and good share against G's steps: mean line, band of all seeds."""
    items = _results(results)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    colours = plt.get_cmap("tab10")
    for i, r in enumerate(items):
        for ax, values in zip(axes, (r.modes, 100 * r.good), strict=True):
            ax.plot(r.steps, values.mean(axis=0), color=colours(i), label=r.name, lw=2)
            ax.fill_between(
                r.steps, values.min(axis=0), values.max(axis=0), color=colours(i), alpha=0.15
            )
    axes[0].set_ylabel(f"modes covered (of {items[0].total_modes})")
    axes[0].set_ylim(-0.3, items[0].total_modes + 0.5)
    axes[1].set_ylabel("good samples (%)")
    axes[1].set_ylim(0, 100)
    for ax in axes:
        ax.set_xlabel("G's steps")
        ax.grid(alpha=0.3)
    seeds = len(items[0].seeds)
    axes[1].legend(loc="upper left", fontsize=8, title=f"line: mean; band: {seeds} seeds")
    if title:
        fig.suptitle(title)
    plt.close(fig)
    return fig


def plot_final_samples(
    results: Any, means: Any, seed_index: int = 0, limit: float | None = None
) -> Figure:
    """Return one panel per recipe: G's samples at the end (one seed) over the modes' centres."""
    items = _results(results)
    means = np.asarray(means, dtype=float)
    limit = limit or float(np.abs(means).max() * 1.5)
    cols = min(len(items), 6)
    rows = int(np.ceil(len(items) / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(2.2 * cols, 2.3 * rows), squeeze=False, layout="constrained"
    )
    for ax, r in zip(axes.ravel(), items, strict=False):
        pts = np.asarray(r.samples[seed_index])
        ax.scatter(pts[:, 0], pts[:, 1], s=2, alpha=0.4, color="tab:orange")
        ax.scatter(means[:, 0], means[:, 1], s=12, marker="x", color="tab:blue")
        seed = r.seeds[seed_index]
        ax.set_title(f"{r.name}\nseed {seed}: {int(r.modes[seed_index, -1])} modes", fontsize=9)
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect("equal")
    for ax in axes.ravel()[len(items) :]:
        ax.axis("off")
    plt.close(fig)
    return fig


def plot_stabilisers(results: Any, baseline: str | None = None, title: str = "") -> Figure:
    """Return modes covered and good share at the end per recipe: each seed a dot, mean a bar."""
    items = _results(results)
    names = [r.name for r in items]
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
    for ax, key, label in zip(
        axes,
        ("modes", "good"),
        (f"modes covered (of {items[0].total_modes})", "good samples (%)"),
        strict=True,
    ):
        finals = [getattr(r, key)[:, -1] * (100 if key == "good" else 1) for r in items]
        colours = ["tab:grey" if n == baseline else "tab:blue" for n in names]
        ax.bar(range(len(items)), [f.mean() for f in finals], color=colours, alpha=0.45)
        for i, f in enumerate(finals):
            jitter = np.linspace(-0.15, 0.15, len(f)) if len(f) > 1 else [0.0]
            ax.scatter(i + np.asarray(jitter), f, color="black", s=14, zorder=3)
        ax.set_xticks(range(len(items)), names, rotation=25, ha="right", fontsize=8)
        ax.set_ylabel(label)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylim(0, items[0].total_modes + 0.5)
    axes[1].set_ylim(0, 100)
    if title:
        fig.suptitle(title)
    plt.close(fig)
    return fig
