"""The classic machine-learning examples of notebook 01: weather, flowers and slot machines.

* :func:`weather_days`: synthetic weather for regression ("what temperature tomorrow?") and
  classification ("hot or cold tomorrow?");
* :func:`flower_groups`: unlabelled 2-D measurements that fall into three groups, for k-means;
* :class:`SlotMachines`: a multi-armed bandit that pays rewards and penalties, for a tiny
  reinforcement-learning agent;
* figures for them, each returned as a closed matplotlib Figure (show it as a cell's value).

NumPy and matplotlib only: no TensorFlow here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import argchecks

#: The usual temperature (°C) for this time of year at the made-up weather station.
SEASON_MEAN = 20.0
#: How the weather is made: tomorrow = mean + 0.6 (today - mean) + 0.8 pressure change + noise.
PERSISTENCE, PRESSURE_EFFECT = 0.6, 0.8
TODAY_SPREAD, PRESSURE_SPREAD, NOISE = 5.0, 2.5, 1.5
#: Binary classes: "hot" is 20 °C or warmer.
HOT = 20.0
BINARY_NAMES = ("cold", "hot")
#: Three classes: cold below 17 °C, hot from 23 °C, mild in between.
CLASS_EDGES = (17.0, 23.0)
CLASS_NAMES = ("cold", "mild", "hot")

#: Centres (petal length, petal width in cm) and spreads of the three flower groups.
FLOWER_CENTRES = np.array([[1.5, 0.3], [4.2, 1.3], [5.8, 2.1]])
FLOWER_SPREADS = np.array([[0.25, 0.12], [0.4, 0.2], [0.45, 0.22]])

#: Win probabilities of the five slot machines: pulling an arm pays +1 or costs 1.
WIN_PROBABILITIES = (0.55, 0.4, 0.65, 0.8, 0.5)

CLASS_COLOURS = ("tab:blue", "tab:green", "tab:red", "tab:purple", "tab:orange", "tab:brown")
#: Colours of named classes, so that "hot" is red in every figure.
NAMED_COLOURS = {"cold": "tab:blue", "mild": "tab:green", "hot": "tab:red"}


def _closed_figure(ncols: int = 1, width: float = 5.0, height: float = 3.6) -> tuple[Figure, Any]:
    """Return (figure, axes) for ``ncols`` panels, released from pyplot (shown once)."""
    fig, axes = plt.subplots(1, ncols, figsize=(width * ncols, height), layout="constrained")
    plt.close(fig)
    return fig, axes


# --------------------------------------------------------------------------- weather


@dataclass(frozen=True)
class Weather:
    """Days of weather: today's temperature (°C), today's pressure change (hPa), tomorrow's."""

    today: np.ndarray
    pressure_change: np.ndarray
    tomorrow: np.ndarray

    def __len__(self) -> int:
        return len(self.today)

    def features(self) -> np.ndarray:
        """Return the inputs of a forecast, float32 (n, 2): today's temperature, pressure change."""
        return np.stack([self.today, self.pressure_change], axis=1).astype(np.float32)

    def hot_tomorrow(self) -> np.ndarray:
        """Return the binary labels, int (n,): 1 if tomorrow is hot (20 °C or more), else 0."""
        return (self.tomorrow >= HOT).astype(int)

    def kind_tomorrow(self) -> np.ndarray:
        """Return the three-class labels, int (n,): 0 cold, 1 mild, 2 hot (see CLASS_NAMES)."""
        return np.digitize(self.tomorrow, CLASS_EDGES).astype(int)


def weather_days(n: int, seed: int = 0) -> Weather:
    """Return ``n`` synthetic days of weather; the same seed gives the same days.

    Tomorrow drifts back towards the seasonal mean (20 °C), rising pressure makes it
    warmer, and the rest is chance: tomorrow = 20 + 0.6 (today - 20) + 0.8 pressure + noise.
    """
    n = argchecks.positive_int("n", n)
    rng = np.random.default_rng(seed)
    today = SEASON_MEAN + TODAY_SPREAD * rng.standard_normal(n)
    pressure = PRESSURE_SPREAD * rng.standard_normal(n)
    noise = NOISE * rng.standard_normal(n)
    tomorrow = SEASON_MEAN + PERSISTENCE * (today - SEASON_MEAN) + PRESSURE_EFFECT * pressure
    as32 = lambda a: np.round(a, 1).astype(np.float32)  # noqa: E731 - one decimal, like a station
    return Weather(as32(today), as32(pressure), as32(tomorrow + noise))


def plot_temperatures(
    days: Weather, forecasts: Mapping[str, Callable[[np.ndarray], Any]] | None = None
) -> Figure:
    """Return a figure of tomorrow's against today's temperature, with one line per forecast.

    ``forecasts`` maps a name to a function from today's temperatures (a float array) to
    the predicted temperatures tomorrow.
    """
    if not isinstance(days, Weather):
        raise ValueError(f"days must be a Weather (from weather_days), got {type(days).__name__}.")
    fig, ax = _closed_figure(width=6.0, height=4.0)
    ax.scatter(days.today, days.tomorrow, s=10, alpha=0.4, color="0.35", label="days")
    xs = np.linspace(days.today.min(), days.today.max(), 50).astype(np.float32)
    for name, forecast in (forecasts or {}).items():
        if not callable(forecast):
            raise ValueError(f"forecast {name!r} must be a function of today's temperature.")
        ys = np.broadcast_to(np.asarray(forecast(xs), dtype=float).reshape(-1), xs.shape)
        ax.plot(xs, ys, linewidth=2.5, label=name)
    ax.set(xlabel="temperature today (°C)", ylabel="temperature tomorrow (°C)")
    ax.legend(loc="upper left", fontsize="small")
    return fig


# --------------------------------------------------------------------------- regression


def line_loss(w: Any, b: Any, x: Any, y: Any) -> np.ndarray:
    """Return the mean squared error of the line y = w x + b on (x, y), for arrays of w and b."""
    x, y = np.ravel(x).astype(float), np.ravel(y).astype(float)
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    errors = w[..., None] * x + b[..., None] - y
    return np.mean(errors**2, axis=-1)


def plot_descent(x: Any, y: Any, paths: Mapping[str, Any]) -> Figure:
    """Return a figure of gradient-descent paths over the loss surface, and their losses.

    ``paths`` maps a name (e.g. the learning rate) to an array (steps, 2) of the (w, b)
    visited. Left: contours of the mean squared error of y = w x + b on (x, y) with each
    path; right: the loss at each step (log scale).
    """
    x, y = np.ravel(x), np.ravel(y)
    if x.shape != y.shape or x.size == 0:
        raise ValueError(f"x and y must hold the same number of values, got {x.size} and {y.size}.")
    walks = {
        name: argchecks.points(f"paths[{name!r}]", path, 2, min_rows=1, finite=True)
        for name, path in paths.items()
    }
    slope, intercept = np.polyfit(x, y, 1)
    fig, (surface, curve) = _closed_figure(2, width=5.2, height=4.0)
    ws = np.linspace(slope - 5.0, slope + 5.0, 121)
    bs = np.linspace(intercept - 5.0, intercept + 5.0, 121)
    grid_w, grid_b = np.meshgrid(ws, bs)
    surface.contour(grid_w, grid_b, line_loss(grid_w, grid_b, x, y), levels=15, cmap="Greys")
    surface.plot(slope, intercept, "k*", markersize=16, zorder=5, label="lowest loss")
    for name, walk in walks.items():
        (line,) = surface.plot(walk[:, 0], walk[:, 1], "o-", markersize=3, label=name)
        losses = line_loss(walk[:, 0], walk[:, 1], x, y)
        curve.plot(np.arange(len(walk)), losses, color=line.get_color(), label=name)
    surface.set(xlim=(ws[0], ws[-1]), ylim=(bs[0], bs[-1]), xlabel="slope w", ylabel="intercept b")
    surface.set_title("the path of (w, b) over the loss surface")
    surface.legend(loc="lower left", fontsize="small")
    curve.set(xlabel="step", ylabel="mean squared error", yscale="log", title="loss per step")
    curve.legend(fontsize="small")
    return fig


# --------------------------------------------------------------------------- classification


def plot_decision_regions(
    predict: Callable[[np.ndarray], Any],
    points: Any,
    labels: Any,
    class_names: Sequence[str],
    *,
    title: str | None = None,
    axis_labels: tuple[str, str] = ("temperature today (°C)", "pressure change (hPa)"),
) -> Figure:
    """Return a figure of the classes ``predict`` gives over the plane, with labelled points.

    ``predict`` maps float32 points (m, 2) to class indices (m,); the background shows its
    answer everywhere, the points their true class.
    """
    points = argchecks.points("points", points, 2, min_rows=1, finite=True)
    labels = argchecks.labels("labels", labels, len(points))
    if not callable(predict):
        raise ValueError("predict must be a function from points (m, 2) to class indices (m,).")
    if labels.max() >= len(class_names):
        raise ValueError(f"labels go up to {labels.max()}, but there are {len(class_names)} names.")
    colours = [
        NAMED_COLOURS.get(name, CLASS_COLOURS[i % len(CLASS_COLOURS)])
        for i, name in enumerate(class_names)
    ]
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.05 * (high - low)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], 200)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], 200)
    grid_x, grid_y = np.meshgrid(xs, ys)
    grid = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1).astype(np.float32)
    regions = argchecks.labels("predict(points)", np.ravel(predict(grid)), len(grid)).reshape(
        grid_x.shape
    )
    fig, ax = _closed_figure(width=6.0, height=4.2)
    cmap = plt.matplotlib.colors.ListedColormap(colours)
    ax.pcolormesh(xs, ys, regions, cmap=cmap, vmin=-0.5, vmax=len(colours) - 0.5, alpha=0.25)
    for index, (name, colour) in enumerate(zip(class_names, colours)):
        chosen = labels == index
        ax.scatter(*points[chosen].T, s=10, color=colour, label=f"{name} (true)")
    ax.set(xlabel=axis_labels[0], ylabel=axis_labels[1])
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
    return fig


# --------------------------------------------------------------------------- clustering


def flower_groups(n_per_group: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return (points, species): petal length and width (cm) of three kinds of flower.

    ``points`` is float32 (3 n, 2); ``species`` (int 0, 1, 2) is the answer that a
    clustering method never sees, kept only to check it afterwards.
    """
    n = argchecks.positive_int("n_per_group", n_per_group)
    rng = np.random.default_rng(seed)
    species = np.repeat(np.arange(len(FLOWER_CENTRES)), n)
    noise = rng.standard_normal((len(species), 2))
    points = FLOWER_CENTRES[species] + FLOWER_SPREADS[species] * noise
    order = rng.permutation(len(species))  # the data comes unsorted, as it would
    return np.clip(points[order], 0.05, None).astype(np.float32), species[order]


def cluster_agreement(clusters: Any, groups: Any) -> float:
    """Return the fraction of points whose cluster's most common group is their own group.

    1.0 means every cluster holds one group only; the names (numbers) of the clusters do
    not matter, since clustering cannot know them.
    """
    groups = argchecks.labels("groups", groups)
    clusters = argchecks.labels("clusters", clusters, len(groups))
    agree = sum(np.bincount(groups[clusters == c]).max() for c in np.unique(clusters))
    return float(agree / len(groups))


def plot_clusters(
    points: Any,
    steps: Sequence[tuple[Any, Any, str]],
    axis_labels: tuple[str, str] = ("petal length (cm)", "petal width (cm)"),
) -> Figure:
    """Return a row of panels, one per ``(clusters, centroids, title)`` in ``steps``.

    Each panel colours the points by their cluster (``None``: grey, not assigned yet) and
    marks the centroids (``None``: none) with crosses in their cluster's colour.
    """
    points = argchecks.points("points", points, 2, min_rows=1, finite=True)
    if not steps:
        raise ValueError("steps must hold at least one (clusters, centroids, title).")
    fig, axes = _closed_figure(len(steps), width=3.6, height=3.3)
    for ax, (clusters, centroids, title) in zip(np.atleast_1d(axes), steps):
        if clusters is None:
            ax.scatter(*points.T, s=8, color="0.6")
        else:
            clusters = argchecks.labels("clusters", clusters, len(points))
            colours = np.array(CLASS_COLOURS)[clusters % len(CLASS_COLOURS)]
            ax.scatter(*points.T, s=8, c=colours, alpha=0.7)
        if centroids is not None:
            centroids = argchecks.points("centroids", centroids, 2, min_rows=1, finite=True)
            marks = [CLASS_COLOURS[j % len(CLASS_COLOURS)] for j in range(len(centroids))]
            ax.scatter(*centroids.T, s=160, marker="X", c=marks, edgecolors="black", linewidths=1.5)
        ax.set(title=title, xlabel=axis_labels[0], ylabel=axis_labels[1])
    return fig


# --------------------------------------------------------------------------- reinforcement


class SlotMachines:
    """A multi-armed bandit: pulling arm i wins +1 with probability p_i, else costs -1.

    The agent does not know the probabilities; it only sees the reward of each pull.
    """

    def __init__(self, win_probabilities: Sequence[float] = WIN_PROBABILITIES, seed: int = 0):
        probabilities = np.asarray(win_probabilities, dtype=float)
        if probabilities.ndim != 1 or len(probabilities) < 2:
            raise ValueError(
                f"win_probabilities must list at least two arms, got {win_probabilities!r}."
            )
        for p in probabilities:
            argchecks.in_range("a win probability", float(p), 0.0, 1.0)
        self.win_probabilities = probabilities
        self._rng = np.random.default_rng(seed)

    @property
    def n_arms(self) -> int:
        """Return the number of arms."""
        return len(self.win_probabilities)

    @property
    def expected_rewards(self) -> np.ndarray:
        """Return each arm's mean reward, 2 p - 1 (what the agent tries to find out)."""
        return 2 * self.win_probabilities - 1

    @property
    def best_arm(self) -> int:
        """Return the index of the arm with the highest mean reward."""
        return int(np.argmax(self.win_probabilities))

    def pull(self, arm: Any) -> float:
        """Return the reward of pulling ``arm``: +1.0 (a win) or -1.0 (a penalty)."""
        if isinstance(arm, bool) or not isinstance(arm, (int, np.integer)):
            raise ValueError(
                f"arm must be an integer index 0 to {self.n_arms - 1}, got {arm!r} "
                f"({type(arm).__name__})."
            )
        if not 0 <= arm < self.n_arms:
            raise ValueError(f"arm must be 0 to {self.n_arms - 1}, got {arm}.")
        return 1.0 if self._rng.random() < self.win_probabilities[arm] else -1.0
