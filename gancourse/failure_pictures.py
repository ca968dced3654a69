"""Illustrations of how a GAN run looks when it fails: loss curves and samples on a ring.

Four kinds of run on the 8-mode ring (radius 2) of the toy notebooks, each drawn from
made-up numbers shaped after what real runs show, not from training:

* ``"healthy"``: the losses settle near their equilibrium values (2 log 2 for D's
  cross-entropy, log 2 for G's non-saturating loss) and the samples spread over all 8 modes;
* ``"vanishing_gradients"``: D wins, its loss falls to 0 and G's climbs; G, with almost no
  gradient, stays where it started;
* ``"mode_collapse"``: the losses look ordinary, but the samples gather on 2 of the 8 modes;
* ``"non_convergence"``: the losses swing with no trend, and the samples keep circling
  around the data instead of settling on it.

:func:`draw` shows one kind: the losses, then the samples at three moments. For quizzes,
:func:`mystery` draws the run behind a letter (``MYSTERIES``) without naming the kind.
NumPy and matplotlib only; every figure is the same at every call, and says that it is an
illustration. Each function returns its Figure, released from pyplot (as ``gancourse.plots``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import argchecks, plots

__all__ = ["KINDS", "MYSTERIES", "Illustration", "draw", "illustration", "mystery"]

#: The kinds of run :func:`illustration` makes.
KINDS = ("healthy", "vanishing_gradients", "mode_collapse", "non_convergence")
#: The letters of the "which failure is it?" quizzes, and the run each one shows.
MYSTERIES = {
    "A": "vanishing_gradients",
    "B": "mode_collapse",
    "C": "non_convergence",
    "D": "healthy",
}
#: The caption every figure carries.
CAPTION = "An illustration drawn from made-up numbers, not a training run."

_STEPS = 6000
_MODES, _RADIUS, _STD = 8, 2.0, 0.05
_SAMPLES = 400
#: A swing of the non-converging run takes this many steps; snapshots fall at 3/4-turn steps.
_PERIOD = 2000


@dataclass(frozen=True)
class Illustration:
    """An illustrative run: losses per step, and generated samples at a few steps."""

    kind: str
    steps: np.ndarray  # (T,)
    d_loss: np.ndarray  # (T,)
    g_loss: np.ndarray  # (T,)
    snapshot_steps: tuple[int, ...]
    snapshots: tuple[np.ndarray, ...]  # each (N, 2)
    real: np.ndarray  # (N, 2)
    means: np.ndarray  # (8, 2), the ring's modes


def _ring_means() -> np.ndarray:
    angles = 2 * math.pi * np.arange(_MODES) / _MODES
    return _RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _around(rng: np.random.Generator, means: np.ndarray, std: float, n: int) -> np.ndarray:
    """Return ``n`` points, each near a mode drawn uniformly from ``means``."""
    picks = rng.integers(0, len(means), n)
    return means[picks] + rng.normal(0, std, (n, 2))


def _losses(kind: str, t: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return made-up (d_loss, g_loss) per step ``t`` for ``kind``."""
    noise = rng.normal(0, 1, (2, len(t)))
    early = np.exp(-t / 600)
    if kind == "healthy":
        d = 2 * math.log(2) - 0.35 * early * np.sin(t / 250) + 0.05 * noise[0]
        g = math.log(2) + 0.45 * early + 0.05 * noise[1]
    elif kind == "vanishing_gradients":
        d = 1.4 * np.exp(-t / 250) + 0.004 * np.abs(noise[0])
        g = 0.7 + 8.5 * (1 - np.exp(-t / 500)) + (0.1 + 0.3 * (1 - early)) * noise[1]
    elif kind == "mode_collapse":
        d = 1.25 + 0.1 * early + 0.06 * noise[0]
        g = 0.85 + 0.3 * early + 0.07 * noise[1]
    else:  # non_convergence
        phase = 2 * math.pi * t / _PERIOD
        d = 1.15 + 0.35 * np.sin(phase) + 0.05 * noise[0]
        g = 1.0 - 0.55 * np.sin(phase + 0.6) + 0.06 * noise[1]
    return np.maximum(d, 0.0), np.maximum(g, 0.0)


def _samples(kind: str, k: int, rng: np.random.Generator, means: np.ndarray) -> np.ndarray:
    """Return the made-up samples of ``kind`` at snapshot ``k`` (0, 1, 2)."""
    if kind == "healthy":
        return _around(rng, means, (0.45, 0.15, 0.06)[k], _SAMPLES)
    if kind == "vanishing_gradients":
        return rng.normal(0, 0.25, (_SAMPLES, 2)) + np.array([0.3, -0.2])
    if kind == "mode_collapse":
        if k == 0:
            return rng.normal(0, 0.7, (_SAMPLES, 2)) + means[1] * 0.4
        two = means[[1, 2]]
        picks = (rng.random(_SAMPLES) < 0.25).astype(int)
        return two[picks] + rng.normal(0, 0.07, (_SAMPLES, 2))
    angle = 2 * math.pi * _snapshot_steps()[k] / _PERIOD
    centre = 1.4 * np.array([math.cos(angle), math.sin(angle)])
    return 0.7 * _around(rng, means, 0.25, _SAMPLES) + centre


def _snapshot_steps() -> tuple[int, ...]:
    return (_STEPS // 4, _STEPS // 2 + _STEPS // 4, _STEPS)


def illustration(kind: str) -> Illustration:
    """Return the illustrative run of ``kind`` (one of ``KINDS``), the same at every call."""
    kind = argchecks.choice("kind", kind, KINDS)
    rng = np.random.default_rng(KINDS.index(kind) + 10)
    steps = np.arange(0, _STEPS + 1, 20)
    d_loss, g_loss = _losses(kind, steps, rng)
    means = _ring_means()
    snapshots = tuple(_samples(kind, k, rng, means) for k in range(3))
    real = _around(rng, means, _STD, _SAMPLES)
    return Illustration(kind, steps, d_loss, g_loss, _snapshot_steps(), snapshots, real, means)


def draw(kind: str, title: str | None = None) -> Figure:
    """Return a figure of the run ``kind``: losses (left), samples at three steps (right).

    ``title`` replaces the kind's name in the figure's title; the caption always says that
    the figure is an illustration, not a training run.
    """
    run = illustration(kind)
    fig, axes = plt.subplots(
        1, 4, figsize=(13.0, 3.3), layout="constrained", width_ratios=(1.6, 1, 1, 1)
    )
    plt.close(fig)  # the caller owns it now (as in gancourse.plots)
    losses = axes[0]
    losses.plot(run.steps, run.d_loss, label="D's loss", color="tab:red", linewidth=1)
    losses.plot(run.steps, run.g_loss, label="G's loss", color="tab:green", linewidth=1)
    for step in run.snapshot_steps:
        losses.axvline(step, color="0.6", linestyle=":", linewidth=1)
    losses.set(xlabel="training step", ylabel="loss", title="losses")
    losses.legend(fontsize="small")
    limit = _RADIUS + 1.2
    for ax, step, fake in zip(axes[1:], run.snapshot_steps, run.snapshots, strict=True):
        ax.scatter(*run.real.T, s=4, color=plots.REAL_COLOR, alpha=0.35)
        ax.scatter(*fake.T, s=4, color=plots.FAKE_COLOR, alpha=0.6)
        ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal", xticks=[], yticks=[])
        ax.set_title(f"samples at step {step:,}")
    heading = title if title is not None else kind.replace("_", " ").capitalize()
    fig.suptitle(f"{heading}. Blue: real points; orange: generated. {CAPTION}", fontsize="medium")
    return fig


def mystery(letter: str) -> Figure:
    """Return the figure of quiz run ``letter`` (see ``MYSTERIES``), titled "Run <letter>"."""
    letter = argchecks.choice("letter", str(letter).upper(), tuple(MYSTERIES))
    return draw(MYSTERIES[letter], title=f"Run {letter}")
