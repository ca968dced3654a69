"""DiracGANView: the two-number GAN's gradient steps, redrawn as you change the settings."""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import argchecks, dirac_plots
from .. import dirac_gan as dg
from . import _images
from ._base import CourseWidget, PngImage, html_text
from ._controls import row, sized, value_slider

#: What the sliders offer.
STEP_SIZES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
R1_WEIGHTS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
NOISE_STDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
STEPS = (10, 20, 50, 100, 200, 300, 500, 1000)
#: Width of each slider and of its description (CSS px): two to a row, lined up.
SLIDER_WIDTH, LABEL_WIDTH = 400, 110
#: A final distance within this factor of the start counts as "circling".
CIRCLE_TOLERANCE = 0.05
#: Sliders redraw when released, not at every value passed while dragging.
ON_RELEASE = {"continuous_update": False}
#: Size of the figure (inches; shown at 80 CSS px per inch).
FIGSIZE = (8.4, 3.6)


def _panels(fig: Figure) -> tuple[Axes, Axes]:
    """Add the field's axes and the distance's axes to ``fig`` with fixed margins; return them.

    Fixed margins instead of a layout engine: laying out costs more than drawing.
    """
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.97, wspace=0.22)
    field_ax, radius_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
    return field_ax, radius_ax


class DiracGANView(CourseWidget):
    """The Dirac-GAN (real point 0, G's point theta, D's slope psi): paths of gradient steps.

    Sliders set the step size, the R1 weight gamma, the instance-noise standard deviation
    and the number of steps; toggles choose the order (simultaneous or alternating) and G's
    loss (minimax or non-saturating). Every change recomputes the path exactly from
    ``start`` and redraws: the vector field with the path (left) and its distance from the
    equilibrium per step (right). The readout under the plot gives the final distance.

    State: :attr:`points` (the path, (steps + 1, 2)), :attr:`radii`, :attr:`final_radius`,
    :attr:`readout`, :attr:`image` (PNG bytes), :attr:`redraw_ms` (time of the last redraw).
    """

    def __init__(
        self,
        *,
        lr: float = 0.1,
        r1: float = 0.0,
        noise: float = 0.0,
        steps: int = 500,
        order: str = "simultaneous",
        loss: str = "minimax",
        start: tuple[float, float] = (1.0, 1.0),
    ) -> None:
        order = argchecks.choice("order", order, dg.ORDERS)
        loss = argchecks.choice("loss", loss, dg.LOSSES)
        dg.vector_field(*start, loss=loss, r1=r1, noise=noise)  # checks the numbers early
        argchecks.positive_float("lr", lr)
        argchecks.positive_int("steps", steps)
        self.start = (float(start[0]), float(start[1]))
        self.points = np.array([self.start])
        self.redraw_ms = 0.0
        self._figure = Figure(figsize=FIGSIZE)  # reused: each redraw only redraws the axes
        _panels(self._figure)
        self._readout = ""
        self.lr_slider = value_slider(
            "step size", STEP_SIZES, lr, SLIDER_WIDTH, LABEL_WIDTH, **ON_RELEASE
        )
        self.steps_slider = value_slider(
            "steps", STEPS, steps, SLIDER_WIDTH, LABEL_WIDTH, **ON_RELEASE
        )
        self.r1_slider = value_slider(
            "R1 weight γ", R1_WEIGHTS, r1, SLIDER_WIDTH, LABEL_WIDTH, **ON_RELEASE
        )
        self.noise_slider = value_slider(
            "instance noise", NOISE_STDS, noise, SLIDER_WIDTH, LABEL_WIDTH, **ON_RELEASE
        )
        self.order_buttons = sized(
            widgets.ToggleButtons(options=list(dg.ORDERS), value=order, description="order"),
            SLIDER_WIDTH + 80,
            LABEL_WIDTH,
        )
        self.loss_buttons = sized(
            widgets.ToggleButtons(options=list(dg.LOSSES), value=loss, description="G's loss"),
            SLIDER_WIDTH + 80,
            LABEL_WIDTH,
        )
        self.image_widget = PngImage("gancourse-dirac-plot")
        self.readout_label = widgets.HTML()
        self.readout_label.add_class("gancourse-dirac-readout")
        for control in self.controls:
            control.observe(lambda _: self.redraw(), names="value")
        controls = [
            row([self.lr_slider, self.steps_slider]),
            row([self.r1_slider, self.noise_slider]),
            row([self.order_buttons]),
            row([self.loss_buttons]),
        ]
        super().__init__([*controls, self.image_widget, self.readout_label])
        self.redraw()

    @property
    def controls(self) -> tuple[widgets.Widget, ...]:
        """Return the controls, each of which redraws the view when it changes."""
        return (
            self.lr_slider,
            self.steps_slider,
            self.r1_slider,
            self.noise_slider,
            self.order_buttons,
            self.loss_buttons,
        )

    @property
    def settings(self) -> dict:
        """Return the settings of :func:`gancourse.dirac_gan.path` that the controls choose."""
        return {
            "lr": self.lr_slider.value,
            "steps": self.steps_slider.value,
            "order": self.order_buttons.value,
            "loss": self.loss_buttons.value,
            "r1": self.r1_slider.value,
            "noise": self.noise_slider.value,
        }

    @property
    def radii(self) -> np.ndarray:
        """Return the path's distance from the equilibrium at each step."""
        return dg.radius(self.points)

    @property
    def final_radius(self) -> float:
        """Return the distance from the equilibrium after the last step."""
        return float(self.radii[-1])

    @property
    def image(self) -> bytes:
        """Return the PNG bytes on display."""
        return self.image_widget.value

    @property
    def readout(self) -> str:
        """Return the text under the plot: final distance from the equilibrium, and a verdict."""
        return self._readout

    def redraw(self) -> float:
        """Recompute the path with the controls' settings and redraw; return the milliseconds."""
        begin = time.perf_counter()
        try:
            self.points = dg.path(*self.start, **self.settings)
        except FloatingPointError:
            self.points = np.array([self.start])
            self._set_readout(
                "The steps ran away to infinity: this step size is far too large. "
                "Take a smaller one."
            )
        else:
            self._set_readout(self._verdict())
        self._draw(self._figure, *self._figure.axes)
        self.image_widget.value = _images.figure_png(self._figure)
        self.redraw_ms = 1000 * (time.perf_counter() - begin)
        return self.redraw_ms

    def _verdict(self) -> str:
        """Return the readout for the current path."""
        radii = self.radii
        ratio = radii[-1] / radii[0]
        if ratio > 1 + CIRCLE_TOLERANCE:
            verdict = "spiralling out: the players move away from the equilibrium"
        elif ratio >= 1 - CIRCLE_TOLERANCE:
            verdict = "circling: no closer to the equilibrium"
        else:
            verdict = "spiralling in: towards the equilibrium"
        return (
            f"After {len(radii) - 1} steps the distance from the equilibrium (0, 0) is "
            f"{radii[-1]:.3g} (start {radii[0]:.3g}, ×{ratio:.3g}): {verdict}."
        )

    def figure(self) -> Figure:
        """Return a new figure of what the view shows: field and path, distance per step."""
        fig = Figure(figsize=FIGSIZE)
        self._draw(fig, *_panels(fig))
        return fig

    def _draw(self, fig: Figure, field_ax: Axes, radius_ax: Axes) -> None:
        """Draw the field with the path and the distance per step into the two axes."""
        field_ax.cla()
        radius_ax.cla()
        settings = self.settings
        label = f"{settings['order']}, step {settings['lr']:g}"
        dirac_plots.plot_dirac_paths(
            {label: self.points},
            loss=settings["loss"],
            r1=settings["r1"],
            noise=settings["noise"],
            ax=field_ax,
        )
        dirac_plots.plot_radii({label: self.points}, ax=radius_ax)
        radius_ax.axhline(self.radii[0], color="0.6", linestyle=":", label="start")
        radius_ax.legend(fontsize=7)

    def _set_readout(self, text: str) -> None:
        """Store ``text`` as :attr:`readout` and show it."""
        self._readout = text
        self.readout_label.value = html_text(text)

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG of the plots, the settings and the readout)."""
        settings = ", ".join(f"{k} {v}" for k, v in self.settings.items())
        return self.image, f"DiracGANView ({settings}): {self.readout}"
