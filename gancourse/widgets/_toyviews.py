"""The ToyGANLab's pictures, kept alive between steps so that redrawing them is cheap.

Each view is a matplotlib figure made once (by ``gancourse.plots`` where it can be) and
laid out once; after a training step only the data of its moving parts is replaced (G's
samples, D's output, the arrows, the curves) and the figure is drawn again into PNG bytes.
That skips building the figure and computing its layout, most of the cost of a redraw.
When a redraw finds a text outside the figure (a tick label grew from "1.0" to "1000", or
the last tick label of the update axis, centred on the axes' right edge, grew wider), the
layout is computed again, so that no label is ever cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure
from matplotlib.quiver import Quiver
from matplotlib.text import Text

from .. import plots
from . import _images

ARROW_COLOR = "tab:red"
HIST_BINS = 50
#: Figure sizes in inches: the data view (1-D, 2-D) and the charts. Side by side they
#: stay within 840 CSS px, the width of a notebook's output at 1280 px with a side bar open.
FIGSIZES = {1: (5.4, 3.5), 2: (5.6, 4.4), "charts": (4.5, 4.4)}


def css_size(kind: int | str) -> tuple[int, int]:
    """Return (width, height) in CSS px of the figure ``kind`` (1 or 2: the view; "charts")."""
    width, height = FIGSIZES[kind]
    return round(width * _images.CSS_DPI), round(height * _images.CSS_DPI)


class LiveFigure:
    """A figure laid out once, then redrawn into PNG bytes after its artists change."""

    def __init__(self, fig: Figure, size: tuple[float, float]) -> None:
        self.fig = fig
        fig.set_size_inches(*size)
        fig.set_dpi(_images.FIGURE_DPI)
        self.canvas = FigureCanvasAgg(fig)
        self._engine = fig.get_layout_engine()
        self.layouts = 0
        self._lay_out()

    def _lay_out(self) -> None:
        """Run the layout engine on what the figure shows now, then keep its positions."""
        self.fig.set_layout_engine(self._engine)
        self.canvas.draw()
        self.fig.set_layout_engine("none")
        self.layouts += 1

    def fits(self) -> bool:
        """Return True if every text that can change (as last drawn) lies inside the figure.

        Those are the titles, axis labels and the tick labels drawn; legends and the rest
        stay where the layout put them. Text extents are cached by matplotlib, so after a
        draw this costs a few ms, far less than the tight boxes of whole axes.
        """
        renderer = self.canvas.get_renderer()
        box = self.fig.bbox
        for text in _changing_texts(self.fig):
            if text.get_visible() and text.get_text():
                extent = text.get_window_extent(renderer)
                if (
                    extent.x0 < box.x0
                    or extent.y0 < box.y0
                    or extent.x1 > box.x1
                    or extent.y1 > box.y1
                ):
                    return False
        return True

    def png(self) -> bytes:
        """Return the figure drawn now as PNG bytes (laid out again if a label stuck out)."""
        self.canvas.draw()
        if not self.fits():
            self._lay_out()
        return _images.array_png(np.asarray(self.canvas.buffer_rgba())[..., :3])


def _changing_texts(fig: Figure) -> Iterator[Text]:
    """Yield the texts of ``fig`` that a redraw may change: titles, axis and tick labels.

    Only the ticks inside the view are drawn; their labels hold what the last draw showed.
    """
    for ax in fig.axes:
        yield ax.title
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible():
                continue
            yield axis.label
            yield axis.get_offset_text()
            lo, hi = sorted(axis.get_view_interval())
            slack = 1e-9 * (hi - lo)
            locations = axis.get_majorticklocs()
            for location, tick in zip(locations, axis.get_major_ticks(len(locations))):
                if lo - slack <= location <= hi + slack:
                    yield tick.label1
                    yield tick.label2


class View1D(LiveFigure):
    """The 1-D view: histograms of real and generated samples, p_data, D(x), D*(x), arrows.

    A frame's ``"arrows"`` is None for a view without G's arrows (given at the start).
    """

    def __init__(
        self, distribution: Any, real: np.ndarray, xs: np.ndarray, frame: dict, bounds: Any
    ) -> None:
        self.bounds = bounds
        self.edges = np.linspace(*self.bounds, HIST_BINS + 1)
        self.xs = xs
        self.density_top = float(np.max(distribution.density(xs[:, None]))) if (
            distribution.has_density
        ) else 0.0  # fmt: skip
        self.real_top = float(self._histogram(real).max())
        with np.errstate(invalid="ignore", divide="ignore"):  # G's samples may all be outside
            fig = plots.toy_1d(
                real,
                frame["fake"],
                density=distribution.density if distribution.has_density else None,
                bounds=self.bounds,
                bins=HIST_BINS,
                d_curve=(xs, frame["d_values"]),
                optimal_d=None if frame["optimal"] is None else (xs, frame["optimal"]),
            )
        self.ax, twin = fig.axes[0], fig.axes[1]
        self.fake_bars = self.ax.containers[1]
        self.d_line, *optimal_line = twin.lines
        self.optimal_line = optimal_line[0] if optimal_line else None
        self.quiver = None
        if frame["arrows"] is not None:
            points, arrows = frame["arrows"]
            self.quiver = self.ax.quiver(
                points[:, 0], np.zeros(len(points)), arrows[:, 0], np.zeros(len(points)),
                angles="xy", scale_units="xy", scale=1, color=ARROW_COLOR, width=0.004,
            )  # fmt: skip
        self.title = self.ax.set_title(frame["title"], fontsize="medium")
        self._update(frame)
        super().__init__(fig, FIGSIZES[1])

    def _histogram(self, samples: np.ndarray) -> np.ndarray:
        """Return the density histogram of ``samples`` (counting those outside the view too)."""
        counts = np.histogram(samples, self.edges)[0]
        return counts / (len(samples) * np.diff(self.edges))

    def _update(self, frame: dict) -> None:
        """Put ``frame``'s samples, D, D* and arrows into the figure's artists."""
        heights = self._histogram(frame["fake"])
        for bar, height in zip(self.fake_bars, heights, strict=True):
            bar.set_height(height)
        top = 1.08 * max(self.real_top, self.density_top, float(heights.max(initial=0)))
        self.ax.set_ylim(0, top)
        self.d_line.set_ydata(frame["d_values"])
        if self.optimal_line is not None and frame["optimal"] is not None:
            self.optimal_line.set_ydata(frame["optimal"])
        if self.quiver is not None:
            points, arrows = frame["arrows"]
            # Arrows on G's samples, stacked low in the plot so that they do not overlap.
            heights = top * np.linspace(0.02, 0.15, len(points))
            self.quiver.set_offsets(np.column_stack([points[:, 0], heights]))
            self.quiver.set_UVC(arrows[:, 0], np.zeros(len(points)))
        self.title.set_text(frame["title"])

    def draw(self, frame: dict) -> bytes:
        """Return PNG bytes of the view showing ``frame``."""
        self._update(frame)
        return self.png()


class View2D(LiveFigure):
    """The 2-D view: D's heatmap, real and generated points, G's gradient arrows (or none)."""

    def __init__(
        self, distribution: Any, real: np.ndarray, axes: list, frame: dict, bounds: Any
    ) -> None:
        fig = plots.toy_2d(
            real,
            frame["fake"],
            d_grid=(axes[0], axes[1], frame["d_values"]),
            bounds=bounds,
            arrows=frame["arrows"],
        )
        ax = fig.axes[0]
        self.mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
        self.quiver = next((c for c in ax.collections if isinstance(c, Quiver)), None)
        scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
        self.fake_points = next(c for c in scatters if c.get_label() == "generated")
        self.title = ax.set_title(frame["title"], fontsize="medium")
        super().__init__(fig, FIGSIZES[2])

    def draw(self, frame: dict) -> bytes:
        """Return PNG bytes of the view showing ``frame``."""
        self.mesh.set_array(np.asarray(frame["d_values"]).ravel())
        self.fake_points.set_offsets(frame["fake"])
        if self.quiver is not None:
            points, arrows = frame["arrows"]
            self.quiver.set_offsets(points)
            self.quiver.set_UVC(arrows[:, 0], arrows[:, 1])
        self.title.set_text(frame["title"])
        return self.png()


class Charts(LiveFigure):
    """The losses of D and G and the JS divergence, against the number of updates.

    With ``generator=False`` (D trained alone): D's loss only, no G loss and no JS.
    """

    def __init__(self, generator: bool = True) -> None:
        fig = Figure(layout="constrained")
        self.g_line = self.js_line = None
        if generator:
            self.loss_ax, self.js_ax = fig.subplots(2, 1, sharex=True)
        else:
            self.loss_ax = self.js_ax = fig.subplots()
        (self.d_line,) = self.loss_ax.plot([], [], color="tab:green", label="D loss")
        self.loss_ax.set_ylim(0, 2)  # until there are losses: round numbers, not ±0.04
        if generator:
            (self.g_line,) = self.loss_ax.plot([], [], color="tab:purple", label="G loss")
            self.loss_ax.set_ylabel("loss")
            self.loss_ax.legend(loc="upper right", fontsize="small")
            (self.js_line,) = self.js_ax.plot([], [], color="black", marker=".")
            self.js_ax.set_ylim(0, 1.02)
            self.js_ax.set_ylabel("JS divergence (bits)")
            self.js_ax.set_xlabel("updates (D and G)")
        else:
            self.loss_ax.set_ylabel("D loss $J_D$")
            self.loss_ax.set_xlabel("D updates")
        super().__init__(fig, FIGSIZES["charts"])

    def draw(self, records: dict[str, list[float]], updates: int) -> bytes:
        """Return PNG bytes of the charts for ``records`` after ``updates`` updates."""
        self.d_line.set_data(records["d_at"], records["d_loss"])
        losses = records["d_loss"]
        if self.g_line is not None:
            self.g_line.set_data(records["g_at"], records["g_loss"])
            self.js_line.set_data(records["js_at"], records["js"])
            self.js_line.set_marker("." if len(records["js"]) < 30 else "")
            losses = losses + records["g_loss"]
        losses = np.asarray(losses, dtype=float)
        losses = losses[np.isfinite(losses)]
        if losses.size:
            lo, hi = float(losses.min()), float(losses.max())
            pad = 0.05 * (hi - lo) or 0.5
            self.loss_ax.set_ylim(lo - pad, hi + pad)
        self.js_ax.set_xlim(0, max(updates, 1))
        return self.png()
