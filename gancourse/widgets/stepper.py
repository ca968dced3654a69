"""EpochStepper: step through a training run epoch by epoch, samples beside the loss curves."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw

from .. import plots
from ..history import History
from . import _images
from ._base import CourseWidget, PngImage, html_text
from ._controls import is_playing, row, sized

MARKER_COLOR = (200, 30, 30)
#: Size of the loss curves in inches, and in CSS pixels.
LOSS_FIGSIZE = (6.0, 3.2)
LOSS_CSS_SIZE = tuple(round(inches * _images.CSS_DPI) for inches in LOSS_FIGSIZE)
#: Width of the epoch slider (CSS px): room for every epoch of a course run on its track.
SLIDER_WIDTH = 420


class LossPlot:
    """The loss curves of a history drawn once, with a cheap per-epoch marker on top.

    Matplotlib draws the curves once per history length (tens of milliseconds); each
    epoch's marker is then a vertical line drawn with PIL onto a copy of those pixels at
    the x position precomputed from the axes' transform (a few milliseconds).
    """

    def __init__(self, history: History, keys: list[str] | None = None) -> None:
        steps = history.steps
        keys = keys or [k for k in ("d_loss", "g_loss") if k in steps] or list(steps)
        keys = [k for k in keys if len(steps.get(k, ()))]
        self.empty = not keys
        if self.empty:
            self.pixels = None
            return
        smooth = max(1, history.num_steps // 50)
        fig = plots.loss_curves(history, keys=keys, smooth=smooth, title=None)
        fig.set_size_inches(*LOSS_FIGSIZE)
        self.pixels = _images.figure_rgba(fig)[..., :3]
        ax = fig.axes[0]
        height = self.pixels.shape[0]
        # Display coordinates start at the bottom left; image rows start at the top.
        self.top, self.bottom = height - ax.bbox.y1, height - ax.bbox.y0
        self.left, self.right = ax.bbox.x0, ax.bbox.x1
        epoch_steps = np.array([float(e["step"]) for e in history.epochs])
        points = np.column_stack([epoch_steps, np.zeros_like(epoch_steps)])
        self.xs = ax.transData.transform(points)[:, 0] if len(points) else epoch_steps

    def png(self, epoch: int) -> bytes:
        """Return PNG bytes of the curves, marked at the end of ``epoch`` (1-based; 0: unmarked)."""
        if self.empty:
            return _images.message_png("No steps recorded yet.", LOSS_CSS_SIZE)
        if not 1 <= epoch <= len(self.xs):
            return _images.array_png(self.pixels)
        image = Image.fromarray(self.pixels)
        x = float(np.clip(self.xs[epoch - 1], self.left, self.right))
        draw = ImageDraw.Draw(image)
        ratio = _images.PIXEL_RATIO
        draw.line([(x, self.top), (x, self.bottom)], fill=MARKER_COLOR, width=2 * ratio)
        label, face = f"epoch {epoch}", _images.font(11)
        width = face.getlength(label)
        text_x = x + 4 * ratio if x < (self.left + self.right) / 2 else x - 4 * ratio - width
        draw.text((text_x, self.bottom - 16 * ratio), label, fill=MARKER_COLOR, font=face)
        return _images.array_png(np.asarray(image))


class EpochStepper(CourseWidget):
    """Play, slide or step through the epochs of a run: sample grid and loss curves.

    ``history`` is a :class:`~gancourse.history.History` (for example the one a training
    loop is filling right now) or the path of a run folder. Call :meth:`refresh` (or press
    "refresh") to pick up epochs recorded since: a run folder is read again from disk, a
    live History is re-read in place. With "follow training" ticked, a refresh that finds
    new epochs jumps to the newest one. To follow a run as it trains, pass
    ``on_epoch=stepper.refresh`` to :func:`gancourse.training.train`: the kernel sends
    each new epoch to the browser while the training cell is still running. "Play" at the
    last epoch plays again from epoch 1, and the line under the images says so.

    State, for tests and scripts: :attr:`epoch` (1-based; 0 while the history is empty),
    :attr:`sample_png`, :attr:`loss_png` and :attr:`info`. PNGs are cached per epoch.
    """

    def __init__(
        self,
        history: History | str | Path,
        *,
        follow: bool = True,
        ncols: int | None = None,
        interval: int = 600,
        loss_keys: list[str] | None = None,
    ) -> None:
        if isinstance(history, (str, Path)):
            self.run_dir: Path | None = Path(history)
            history = History.load(self.run_dir)
        elif isinstance(history, History):
            self.run_dir = None
        else:
            raise TypeError(
                f"history must be a History or a run folder path, got {type(history).__name__}."
            )
        self.history = history
        self.ncols = ncols
        self.loss_keys = loss_keys
        self._sample_cache: dict[int, bytes] = {}
        self._loss_cache: dict[int, bytes] = {}
        self._loss_plot: LossPlot | None = None
        self._seen: tuple[int, int] = (-1, -1)
        self._replaying = False  # "play" started again from epoch 1 (said under the images)

        self.slider = sized(
            widgets.IntSlider(value=1, min=1, max=1, description="epoch"), SLIDER_WIDTH
        )
        self.slider.add_class("gancourse-stepper-slider")
        self.play = widgets.Play(
            value=1, min=1, max=1, interval=interval, description="play", show_repeat=False
        )
        self.previous_button = sized(
            widgets.Button(description="◀ previous", tooltip="previous epoch"), 100
        )
        self.next_button = sized(widgets.Button(description="next ▶", tooltip="next epoch"), 84)
        self.follow_box = sized(
            widgets.Checkbox(value=follow, description="follow training", indent=False), 140
        )
        self.refresh_button = sized(
            widgets.Button(description="refresh", tooltip="read new epochs"), 84
        )
        self.sample_image = PngImage("gancourse-stepper-samples")
        self.loss_image = PngImage("gancourse-stepper-losses")
        self.info_label = widgets.HTML()
        self.info_label.add_class("gancourse-stepper-info")

        # Before the link, so that the note is set when the slider's move redraws.
        self.play.observe(self._on_play, names="value")
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.slider.observe(lambda change: self._show(), names="value")
        self.previous_button.on_click(lambda _: self.step(-1))
        self.next_button.on_click(lambda _: self.step(+1))
        self.refresh_button.on_click(lambda _: self.refresh())

        controls = [
            row([self.play, self.previous_button, self.slider, self.next_button]),
            row([self.follow_box, self.refresh_button]),
        ]
        views = row([self.sample_image, self.loss_image])
        super().__init__([*controls, views, self.info_label])
        self.refresh(jump=True)

    # ------------------------------------------------------------------ state

    @property
    def num_epochs(self) -> int:
        """Return how many epochs the stepper can show."""
        return self.history.num_epochs

    @property
    def epoch(self) -> int:
        """Return the epoch shown (1-based), or 0 while no epoch is recorded."""
        return self.slider.value if self.num_epochs else 0

    @epoch.setter
    def epoch(self, value: int) -> None:
        self.slider.value = int(value)

    @property
    def sample_png(self) -> bytes:
        """Return the PNG bytes of the sample grid on display."""
        return self.sample_image.value

    @property
    def loss_png(self) -> bytes:
        """Return the PNG bytes of the loss curves on display."""
        return self.loss_image.value

    @property
    def info(self) -> str:
        """Return the text under the images: epoch, step, losses and time."""
        return self._info

    # ------------------------------------------------------------------ actions

    def step(self, delta: int) -> int:
        """Move ``delta`` epochs forward (negative: back), within range; return the new epoch."""
        if self.num_epochs:
            self.slider.value = min(max(self.slider.value + delta, 1), self.num_epochs)
        return self.epoch

    def refresh(self, history: History | None = None, *, jump: bool | None = None) -> bool:
        """Read epochs recorded since the last look; return True if anything changed.

        ``history``, if given, replaces the one shown, so ``stepper.refresh`` can be the
        ``on_epoch`` callback of :func:`gancourse.training.train`. Otherwise a run folder
        is re-read from disk and a History object is re-read in place. ``jump`` (default:
        the "follow training" box) moves to the newest epoch when new ones arrived.
        """
        if history is not None and history is not self.history:
            self.history, self._seen = history, (-1, -1)
            self._sample_cache.clear()
        elif history is None and self.run_dir is not None:
            self.history = History.load(self.run_dir)
        size = (self.history.num_epochs, self.history.num_steps)
        if size == self._seen:
            return False
        grew = size[0] > max(self._seen[0], 0)
        if size[0] < self._seen[0]:  # the run was truncated or started again
            self._sample_cache.clear()
        self._seen = size
        self._loss_cache.clear()
        self._loss_plot = LossPlot(self.history, self.loss_keys)
        self._means = {
            key: self.history.epoch_means(key)
            for key in ("d_loss", "g_loss")
            if key in self.history.steps
        }
        n = max(self.num_epochs, 1)
        for control in (self.slider, self.play):
            control.max = n
        for control in (self.slider, self.play, self.previous_button, self.next_button):
            control.disabled = self.num_epochs == 0
        follow = self.follow_box.value if jump is None else jump
        if follow and grew:
            self.slider.value = n
        self._show()
        return True

    # ------------------------------------------------------------------ drawing

    def _on_play(self, change: dict) -> None:
        """Note when "play", pressed at the last epoch, starts again from the first."""
        low, high = self.play.min, self.play.max
        restarted = change["old"] == high and change["new"] == low and low < high
        self._replaying = restarted and is_playing(self.play)

    def _show(self) -> None:
        """Put the chosen epoch's sample grid, loss curves and numbers on display."""
        epoch = self.epoch
        if epoch == 0:
            self.sample_image.value = _images.message_png(
                "No epoch recorded yet.\nTrain, then press refresh.", (230, 230)
            )
            self.loss_image.value = self._loss_plot.png(0)
            self._set_info("No epoch recorded yet.")
            return
        if epoch not in self._sample_cache:
            self._sample_cache[epoch] = _images.widget_grid_png(
                self.history.samples[epoch - 1], ncols=self.ncols
            )
        if epoch not in self._loss_cache:
            self._loss_cache[epoch] = self._loss_plot.png(epoch)
        self.sample_image.value = self._sample_cache[epoch]
        self.loss_image.value = self._loss_cache[epoch]
        note = " · playing again from epoch 1" if self._replaying else ""
        self._replaying = False
        self._set_info(self._describe(epoch) + note)

    def _describe(self, epoch: int) -> str:
        """Return one line about ``epoch``: step, mean losses over the epoch, time."""
        entry = self.history.epochs[epoch - 1]
        parts = [f"epoch {epoch} of {self.num_epochs}", f"step {int(entry['step'])}"]
        parts += [f"mean {key} {means[epoch - 1]:.3f}" for key, means in self._means.items()]
        parts.append(f"{entry['elapsed']:.1f} s")
        return " · ".join(parts)

    def _set_info(self, text: str) -> None:
        """Store ``text`` as :attr:`info` and show it."""
        self._info = text
        self.info_label.value = html_text(text)

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG of samples and loss curves side by side, the info line)."""
        return _images.side_by_side(self.sample_png, self.loss_png), f"EpochStepper: {self.info}"
