"""ToyGANLab: train a GAN on a 1-D or 2-D toy step by step and watch both players move.

Inspired by the idea of GAN Lab (Kahng et al., 2018), a web page outside any notebook:
here the same kind of experiment runs in the notebook, on the course's own models and
training steps, with core ipywidgets only.

TensorFlow is imported only when the lab builds its models (inside :meth:`ToyGANLab.reset`),
never when this module is imported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import argchecks, toy_metrics
from ..data import TOY_DISTRIBUTIONS, ToyDistribution, toy_distribution
from . import _images, _toyviews
from ._base import CourseWidget, PngImage, html_text
from ._controls import round_values, row, set_playing, sized, value_slider

#: The losses offered in the lab's menu (names from ``gancourse.losses``).
LAB_LOSSES = ("minimax", "non_saturating", "least_squares", "wasserstein_gp")
#: The losses offered with ``stabilisers=True`` (notebook 06): all of ``gancourse.losses``.
ALL_LAB_LOSSES = ("minimax", "non_saturating", "least_squares", "wasserstein", "wasserstein_gp",
                  "hinge")  # fmt: skip
#: The original WGAN's weight clipping, used with the "wasserstein" loss (notebook 06).
WASSERSTEIN_CLIP = 0.01
#: Targets for real data that one-sided label smoothing offers (1.0: no smoothing).
REAL_TARGETS = (1.0, 0.95, 0.9, 0.8)
#: Who the lab trains and shows: both players, or only D against a frozen G.
LAB_PLAYERS = ("both", "discriminator")
#: The learning rates the sliders offer; the width of each slider and of its description
#: (CSS px): two to a row, lined up.
LEARNING_RATES = round_values(1e-5, 1e-1)
SLIDER_WIDTH, LABEL_WIDTH = 400, 105
#: Losses whose D estimates a probability, so that the optimal D* can be drawn beside it.
PROBABILITY_LOSSES = ("minimax", "non_saturating")
#: Training without redraws takes JS points at most this many to the width of the chart's
#: update axis, so that long runs stay cheap (a point costs about as much as 4 updates).
JS_POINTS_PER_AXIS = 30

ModelBuilder = Callable[[int, int, Sequence[int], int], tuple[Any, Any]]
TrainerBuilder = Callable[..., Any]


def keras_models(
    dim: int, noise_dim: int, hidden: Sequence[int], seed: int, spectral_norm: bool = False
) -> tuple[Any, Any]:
    """Return a fresh toy (generator, discriminator) pair, seeded (imports TensorFlow)."""
    import keras

    from ..models import toy_discriminator, toy_generator

    keras.utils.set_random_seed(seed)
    discriminator = toy_discriminator(dim, hidden, spectral_norm=spectral_norm)
    return toy_generator(dim, noise_dim, hidden), discriminator


def keras_trainer(generator: Any, discriminator: Any, **settings: Any) -> Any:
    """Return a :class:`gancourse.training.GANTrainer` for the pair (imports TensorFlow)."""
    from ..training import GANTrainer

    return GANTrainer(generator, discriminator, **settings)


class ToyGANLab(CourseWidget):
    """A GAN on a toy distribution, trained one button press at a time.

    Buttons: "train D" (one discriminator update), "train G" (one generator update),
    "step" (k discriminator updates, then one generator update), play/pause (steps
    ``steps_per_tick`` at a time on each tick of a Play widget, so the kernel never blocks
    for long) and "reset" (new models from ``seed``). Controls: the toy data, the loss,
    both learning rates (applied at once), k and the noise dimension (which resets).

    The view shows real samples (blue) and generated ones (orange); in 2-D, D's output as a
    grey heatmap, in 1-D as a curve beside the optimal D* (estimated, see
    ``gancourse.toy_metrics``); and arrows on G's samples pointing where G's loss
    pushes them. Charts show both losses and the JS divergence over updates; training
    without redraws still takes a JS point every ``(k + 1) * steps_per_tick`` updates (as
    often as "play" redraws), or every ``updates // JS_POINTS_PER_AXIS`` if that is more.

    ``players="discriminator"`` makes a lab for D alone, G frozen (notebook 03): only the
    "train D" and "reset" buttons and the data, noise dim and D learning rate controls;
    the view without G's arrows, the charts with D's loss only (no G loss, no JS).
    :meth:`train_generator` and :meth:`step` then raise ValueError. The default
    ``players="both"`` shows everything.

    State, for tests and scripts: :attr:`updates`, :attr:`records` (lists of losses and JS
    values with the update at which each was taken), :attr:`fake` (G's output on a fixed
    noise batch), :attr:`d_values` (D on the view's grid), :attr:`view_png`,
    :attr:`chart_png` and :attr:`status`.

    ``stabilisers=True`` (notebook 06) offers every loss of ``gancourse.losses`` ("wasserstein"
    clips D's weights to ``WASSERSTEIN_CLIP``) and a row of stabilisers: the target for real
    data (one-sided label smoothing, for the minimax and non-saturating losses), instance
    noise, and spectral normalisation of D (which resets); k and the two learning rates are
    there anyway. On the ring and the grid the status line counts the modes covered.

    ``build_models(dim, noise_dim, hidden, seed)`` and ``build_trainer(g, d, **settings)``
    replace the Keras models and the :class:`~gancourse.training.GANTrainer` (tests use
    NumPy stand-ins for them).
    """

    def __init__(
        self,
        distribution: str | ToyDistribution = "mixture",
        *,
        loss: str = "non_saturating",
        d_learning_rate: float = 2e-3,
        g_learning_rate: float = 2e-3,
        k: int = 1,
        noise_dim: int = 2,
        batch_size: int = 128,
        hidden: Sequence[int] = (32, 32),
        seed: int = 0,
        players: str = "both",
        stabilisers: bool = False,
        steps_per_tick: int = 5,
        interval: int = 400,
        eval_samples: int = 2000,
        build_models: ModelBuilder | None = None,
        build_trainer: TrainerBuilder | None = None,
    ) -> None:
        self.stabilisers = bool(stabilisers)
        loss_options = ALL_LAB_LOSSES if self.stabilisers else LAB_LOSSES
        argchecks.choice("loss", loss, loss_options)
        self.players = argchecks.choice("players", players, LAB_PLAYERS)
        self._toys = {name: None for name in TOY_DISTRIBUTIONS}
        if isinstance(distribution, ToyDistribution):
            self._toys[distribution.name] = distribution
            distribution = distribution.name
        self.batch_size = batch_size
        self.hidden = tuple(hidden)
        self.seed = seed
        self.steps_per_tick = steps_per_tick
        self.eval_samples = eval_samples
        self.build_models = build_models or keras_models
        self.build_trainer = build_trainer or keras_trainer
        self._last_tick_end = -math.inf

        setting, slider = self._setting, {"continuous_update": False}
        self.data_menu = setting(
            widgets.Dropdown(options=list(self._toys), value=distribution, description="data")
        )
        self.loss_menu = setting(
            widgets.Dropdown(options=loss_options, value=loss, description="loss")
        )
        self.target_menu = setting(
            widgets.Dropdown(options=REAL_TARGETS, value=1.0, description="real target")
        )
        self.instance_noise_slider = setting(
            widgets.FloatSlider(
                value=0.0, min=0.0, max=0.5, step=0.05, description="instance noise", **slider
            )
        )
        self.spectral_norm_box = setting(
            widgets.Checkbox(value=False, description="spectral norm (D)", indent=False)
        )
        self.d_lr_slider = value_slider(
            "D learning rate", LEARNING_RATES, d_learning_rate, SLIDER_WIDTH, LABEL_WIDTH, **slider
        )
        self.g_lr_slider = value_slider(
            "G learning rate", LEARNING_RATES, g_learning_rate, SLIDER_WIDTH, LABEL_WIDTH, **slider
        )
        self.k_slider = setting(
            widgets.IntSlider(value=k, min=1, max=10, description="k (D steps)", **slider)
        )
        self.noise_slider = setting(
            widgets.IntSlider(value=noise_dim, min=1, max=8, description="noise dim", **slider)
        )
        self.train_d_button = self._button("train D", "one D update")
        self.train_g_button = self._button("train G", "one G update")
        self.step_button = self._button("step", "k D updates + 1 G update")
        self.reset_button = self._button("reset", "new models")
        self.play = widgets.Play(
            value=0, min=0, max=10**9, interval=interval, description="play", show_repeat=False
        )
        self.view_image = PngImage("gancourse-toylab-view")
        self.chart_image = PngImage("gancourse-toylab-charts")
        self.status_label = widgets.HTML()
        self.status_label.add_class("gancourse-toylab-status")

        self.train_d_button.on_click(self._safely(self.train_discriminator))
        self.train_g_button.on_click(self._safely(self.train_generator))
        self.step_button.on_click(self._safely(self.step))
        self.reset_button.on_click(self._safely(self.reset))
        self.play.observe(self._on_tick, names="value")
        for control in (self.data_menu, self.noise_slider):
            control.observe(self._safely(self.reset), names="value")
        for control in (self.loss_menu, self.target_menu, self.instance_noise_slider):
            control.observe(self._safely(self._new_trainer), names="value")
        self.spectral_norm_box.observe(self._safely(self.reset), names="value")
        for control in (self.d_lr_slider, self.g_lr_slider):
            control.observe(self._safely(self._set_learning_rates), names="value")

        if self.trains_generator:
            buttons = row(
                [self.train_d_button, self.train_g_button, self.step_button, self.play,
                 self.reset_button]
            )  # fmt: skip
            settings = [
                row([self.data_menu, self.loss_menu]),
                row([self.k_slider, self.noise_slider]),
                row([self.d_lr_slider, self.g_lr_slider]),
            ]
            if self.stabilisers:
                settings.append(row([self.target_menu, self.instance_noise_slider]))
                settings.append(row([self.spectral_norm_box]))
        else:  # D alone: nothing that trains G or only matters once G trains
            buttons = row([self.train_d_button, self.reset_button])
            settings = [row([self.data_menu, self.noise_slider]), row([self.d_lr_slider])]
        views = row([self.view_image, self.chart_image])
        super().__init__([buttons, *settings, views, self.status_label])
        self.reset()

    @staticmethod
    def _button(description: str, tooltip: str) -> widgets.Button:
        """Return a button of the lab's row of buttons."""
        return sized(widgets.Button(description=description, tooltip=tooltip), 90)

    @staticmethod
    def _setting(control: widgets.Widget) -> widgets.Widget:
        """Return ``control`` as wide as the lab's sliders, its description lined up with theirs."""
        return sized(control, SLIDER_WIDTH, LABEL_WIDTH)

    # ------------------------------------------------------------------ state

    @property
    def distribution(self) -> ToyDistribution:
        """Return the toy distribution chosen in the "data" menu."""
        name = self.data_menu.value
        if self._toys[name] is None:
            self._toys[name] = toy_distribution(name)
        return self._toys[name]

    @property
    def trains_generator(self) -> bool:
        """Return True if the lab trains and shows G too (``players="both"``)."""
        return self.players == "both"

    @property
    def k(self) -> int:
        """Return the number of D updates per "step"."""
        return self.k_slider.value

    @property
    def view_png(self) -> bytes:
        """Return the PNG bytes of the data view on display."""
        return self.view_image.value

    @property
    def chart_png(self) -> bytes:
        """Return the PNG bytes of the charts on display (losses, and JS with both players)."""
        return self.chart_image.value

    @property
    def status(self) -> str:
        """Return the status line (counts, last losses, JS, or what went wrong)."""
        return self._status

    # ------------------------------------------------------------------ actions

    def reset(self, *_: Any) -> None:
        """Build new models (seeded) and a trainer, forget all records, and redraw."""
        set_playing(self.play, False)
        dist = self.distribution
        self.dim = dist.dim
        self.noise_dim = self.noise_slider.value
        rng = np.random.default_rng(self.seed)
        self._rng = rng
        self._view_real = dist.sample(2000 if self.dim == 1 else 500, seed=self.seed)
        view_count = 2000 if self.dim == 1 else 300
        self._view_noise = rng.standard_normal((view_count, self.noise_dim), np.float32)
        self._eval_noise = rng.standard_normal((self.eval_samples, self.noise_dim), np.float32)
        self._edges = toy_metrics.grid_edges(dist.bounds, 60 if self.dim == 1 else 30)
        self._p_data_cells = toy_metrics.density_cells(dist, self._edges)
        extra = {"spectral_norm": True} if self.spectral_norm_box.value else {}
        self.generator, self.discriminator = self.build_models(
            self.dim, self.noise_dim, self.hidden, self.seed, **extra
        )
        means = getattr(dist, "means", None)
        self._modes = np.asarray(means) if self.dim == 2 and means is not None else None
        self.updates = 0
        self.records: dict[str, list[float]] = {
            key: [] for key in ("d_at", "d_loss", "g_at", "g_loss", "js_at", "js")
        }
        self._view = self._charts = None
        self._new_trainer(redraw=False)
        self.view_bounds = self._fit_view(dist.bounds)
        # Where D is drawn: 300 points along the line, or a 40 x 40 grid over the plane.
        self._axes = [np.linspace(lo, hi, 300 if self.dim == 1 else 40) for lo, hi in
                      np.atleast_2d(self.view_bounds)]  # fmt: skip
        mesh = np.meshgrid(*self._axes)
        self._d_inputs = np.column_stack([m.ravel() for m in mesh]).astype(np.float32)
        self._p_data_line = dist.density(self._d_inputs) if dist.has_density else None
        self.refresh_view()

    def _fit_view(self, bounds: Any) -> Any:
        """Return ``bounds`` widened to hold G's first samples, so both players start in view."""
        fake = np.asarray(self.trainer.generate(self._view_noise), dtype=float)
        box = np.array(np.atleast_2d(bounds), dtype=float)
        if np.all(np.isfinite(fake)):
            lo, hi = np.percentile(fake, [1, 99], axis=0)
            margin = 0.1 * np.ptp(box, axis=1)
            box[:, 0] = np.minimum(box[:, 0], lo - margin)
            box[:, 1] = np.maximum(box[:, 1], hi + margin)
        pairs = tuple((float(a), float(b)) for a, b in box)
        return pairs[0] if self.dim == 1 else pairs

    def train_discriminator(self, *_: Any, n: int = 1, redraw: bool = True) -> dict[str, float]:
        """Update D ``n`` times on fresh real batches (G unchanged); return the last numbers."""
        values: dict[str, float] = {}
        for _i in range(n):
            real = self.distribution.sample(self.batch_size, seed=self._next_seed())
            values = self.trainer.train_discriminator(real)
            self._record("d", values["d_loss"])
        if redraw:
            self.refresh_view()
        return values

    def train_generator(self, *_: Any, n: int = 1, redraw: bool = True) -> dict[str, float]:
        """Update G ``n`` times (D is not changed); return the last numbers."""
        self._check_trains_generator("train_generator")
        values: dict[str, float] = {}
        for _i in range(n):
            values = self.trainer.train_generator(self.batch_size)
            self._record("g", values["g_loss"])
            if self._js_due():
                self._record_js()
        if redraw:
            self.refresh_view()
        return values

    def step(self, *_: Any, n: int = 1, redraw: bool = True) -> None:
        """Run ``n`` steps of k D updates followed by one G update."""
        self._check_trains_generator("step")
        for _i in range(n):
            self.train_discriminator(n=self.k, redraw=False)
            self.train_generator(redraw=False)
        if redraw:
            self.refresh_view()

    def _check_trains_generator(self, action: str) -> None:
        """Raise ValueError if this lab was made for D alone, so that ``action`` cannot run."""
        if not self.trains_generator:
            raise ValueError(
                f"{action}() trains G, but this lab was made with players='discriminator' "
                "(D alone, G frozen). Make it with ToyGANLab(..., players='both') to train G."
            )

    def play_chunk(self) -> None:
        """Run one tick of "play": ``steps_per_tick`` steps, then redraw; pause if it diverged."""
        self.step(n=self.steps_per_tick)
        if not self._finite():
            set_playing(self.play, False)

    def _on_tick(self, change: dict) -> None:
        """Run a chunk for a forward tick of the Play widget, skipping ticks that queued up."""
        # Ticks that arrived while a chunk ran are handled right after it ends; skipping
        # those keeps "pause" prompt even when a chunk takes longer than the interval.
        if change["new"] <= change["old"]:
            return
        if time.monotonic() - self._last_tick_end < self.play.interval / 2000:
            return
        try:
            self.play_chunk()
        except Exception as error:
            set_playing(self.play, False)
            self._set_status(f"Error: {error}")
        self._last_tick_end = time.monotonic()

    # ------------------------------------------------------------------ settings

    def _stabiliser_settings(self) -> dict[str, Any]:
        """Return the trainer settings of the stabiliser row that differ from plain training."""
        loss = self.loss_menu.value
        smoothable = loss in PROBABILITY_LOSSES
        self.target_menu.disabled = not smoothable
        extra: dict[str, Any] = {}
        if smoothable and self.target_menu.value < 1.0:
            # GANTrainer follows TF-GAN: smoothing s makes the real target 1 - s / 2.
            extra["label_smoothing"] = round(2 * (1.0 - self.target_menu.value), 6)
        if self.instance_noise_slider.value > 0:
            extra["instance_noise"] = float(self.instance_noise_slider.value)
        if loss == "wasserstein":
            extra["clip"] = WASSERSTEIN_CLIP
        return extra

    def _new_trainer(self, *_: Any, redraw: bool = True) -> None:
        """Make a trainer for the current models with the chosen loss, rates and stabilisers."""
        self.trainer = self.build_trainer(
            self.generator,
            self.discriminator,
            loss=self.loss_menu.value,
            d_learning_rate=self.d_lr_slider.value,
            g_learning_rate=self.g_lr_slider.value,
            **self._stabiliser_settings(),
        )
        if redraw:
            self.refresh_view()

    def _set_learning_rates(self, *_: Any) -> None:
        """Give both optimizers the learning rates of the sliders (training state is kept)."""
        self.trainer.d_optimizer.learning_rate = self.d_lr_slider.value
        self.trainer.g_optimizer.learning_rate = self.g_lr_slider.value
        self._set_status(self._describe())

    def _safely(self, action: Callable[..., Any]) -> Callable[..., None]:
        """Return ``action`` wrapped to show errors in the status line instead of losing them."""

        def handler(*args: Any) -> None:
            try:
                action(*args)
            except Exception as error:
                self._set_status(f"Error: {type(error).__name__}: {error}")
                raise

        return handler

    # ------------------------------------------------------------------ measuring

    def _next_seed(self) -> int:
        """Return a fresh seed for the next real batch."""
        return int(self._rng.integers(2**31))

    def _record(self, player: str, loss: float) -> None:
        """Count one update of ``player`` ("d" or "g") and record its loss."""
        self.updates += 1
        self.records[f"{player}_at"].append(self.updates)
        self.records[f"{player}_loss"].append(float(loss))

    def _finite(self) -> bool:
        """Return True if the last recorded losses are finite numbers."""
        last = [v[-1] for k, v in self.records.items() if k.endswith("loss") and v]
        return bool(np.all(np.isfinite(last))) and bool(np.all(np.isfinite(self.fake)))

    def _js_due(self) -> bool:
        """Return True if a JS point is due (see the class docstring for how often)."""
        every = max((self.k + 1) * self.steps_per_tick, self.updates // JS_POINTS_PER_AXIS)
        return self.updates - self.records["js_at"][-1] >= every

    def _record_js(self) -> None:
        """Record the JS divergence now, once per update count (it changes only when G does)."""
        if not self.records["js_at"] or self.records["js_at"][-1] != self.updates:
            self.records["js_at"].append(self.updates)
            self.records["js"].append(self.js_divergence())

    def js_divergence(self) -> float:
        """Return the estimated JS divergence (bits) between p_data and G's samples."""
        fake = self.trainer.generate(self._eval_noise, batch_size=len(self._eval_noise))
        if not np.all(np.isfinite(fake)):
            return float("nan")
        return toy_metrics.js_divergence(
            self._p_data_cells, toy_metrics.sample_cells(fake, self._edges)
        )

    # ------------------------------------------------------------------ drawing

    def refresh_view(self) -> None:
        """Recompute G's samples, D's output, G's gradients and JS; redraw view and charts."""
        noise = self._view_noise
        self.fake = np.asarray(self.trainer.generate(noise, batch_size=len(noise)), dtype=float)
        d_values = self.trainer.discriminator_probabilities(self._d_inputs)
        self.d_values = np.asarray(d_values).reshape([len(a) for a in self._axes[::-1]])
        if self.trains_generator:
            self._record_js()
        if self._finite():
            self.view_image.value = self._draw_view()
        else:
            self._view = None
            self.view_image.value = _images.message_png(
                "Training diverged: G's samples are not finite numbers.\n"
                "Lower the learning rates, then press reset.",
                _toyviews.css_size(self.dim),
            )
        if self._charts is None:
            self._charts = _toyviews.Charts(generator=self.trains_generator)
        self.chart_image.value = self._charts.draw(self.records, self.updates)
        self._set_status(self._describe())

    def _draw_view(self) -> bytes:
        """Return PNG bytes of the data view, made anew only when what it shows changes kind."""
        arrows = self._arrows(40 if self.dim == 1 else 60) if self.trains_generator else None
        frame = {
            "fake": self.fake,
            "d_values": self.d_values,
            "arrows": arrows,
            "title": self._title(),
            "optimal": None,
        }
        if (
            self.dim == 1
            and self._p_data_line is not None
            and self.loss_menu.value in PROBABILITY_LOSSES
        ):
            (xs,) = self._axes
            p_g = toy_metrics.kde_1d(self.fake, xs)
            frame["optimal"] = toy_metrics.optimal_discriminator(self._p_data_line, p_g)
        kind = (self.dim, frame["optimal"] is not None)
        if self._view is None or self._view_kind != kind:
            view_class = _toyviews.View1D if self.dim == 1 else _toyviews.View2D
            dist, real = self.distribution, self._view_real
            axes = self._axes[0] if self.dim == 1 else self._axes
            view = view_class(dist, real, axes, frame, self.view_bounds)
            self._view, self._view_kind = view, kind
        return self._view.draw(frame)

    def _arrows(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (G's first ``count`` view samples, their gradient arrows scaled for the view)."""
        points, directions = self.trainer.generator_gradients(self._view_noise[:count])
        points = np.asarray(points, dtype=float).reshape(count, self.dim)
        directions = np.nan_to_num(np.asarray(directions, dtype=float).reshape(count, self.dim))
        lengths = np.linalg.norm(directions, axis=1)
        self.gradient_norm = float(lengths.mean())
        bounds = np.atleast_2d(self.view_bounds)
        # Lengths are relative: the longest arrow spans an eighth of the view.
        scale = np.ptp(bounds, axis=1).min() / 8 / max(lengths.max(), 1e-12)
        return points, directions * scale

    def _title(self) -> str:
        """Return the view's title: toy, loss and update count (D's updates if D is alone)."""
        if not self.trains_generator:
            return f"{self.data_menu.value} · {self.updates} D updates"
        return f"{self.data_menu.value} · {self.loss_menu.value} · {self.updates} updates"

    def _describe(self) -> str:
        """Return the status line: counts, last losses, JS, mean length of G's gradients."""
        r = self.records
        if not self.trains_generator:
            parts = [f"{len(r['d_at'])} D updates (G frozen)"]
            if r["d_loss"]:
                parts.append(f"D loss {r['d_loss'][-1]:.3f}")
        else:
            parts = [f"{len(r['d_at'])} D updates, {len(r['g_at'])} G updates"]
            for key, name in (("d_loss", "D loss"), ("g_loss", "G loss")):
                if r[key]:
                    parts.append(f"{name} {r[key][-1]:.3f}")
            parts.append(f"JS {r['js'][-1]:.3f} bits")
            if self._modes is not None and self._finite():
                parts.append(self._modes_readout())
            if self._view is not None:
                parts.append(f"mean |G gradient| {self.gradient_norm:.2g}")
        if not self._finite():
            parts.append("diverged: lower the learning rates and press reset")
        return " · ".join(parts)

    def _modes_readout(self) -> str:
        """Return "modes covered m/K, good g%" for G's view samples (see gancourse.toy_sweep)."""
        radius = 3 * float(np.max(self.distribution.stds))
        counts = toy_metrics.mode_counts(self.fake, self._modes, radius)
        covered = toy_metrics.modes_covered(self.fake, self._modes, radius)
        return (
            f"modes covered {covered}/{len(self._modes)}, good {counts.sum() / len(self.fake):.0%}"
        )

    def _set_status(self, text: str) -> None:
        """Store ``text`` as :attr:`status` and show it."""
        self._status = text
        self.status_label.value = html_text(text)

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG of view and charts side by side, the status line)."""
        return _images.side_by_side(self.view_png, self.chart_png), f"ToyGANLab: {self.status}"
