"""CodeExplorer: an InfoGAN's codes, set by hand, with the digits redrawn at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import argchecks
from . import _images
from ._base import CourseWidget, PngImage, html_text
from ._controls import row, sized

#: Width of each slider and of the descriptions (CSS px): sliders stay long enough to aim.
SLIDER_WIDTH, LABEL_WIDTH = 400, 70
#: Step of the continuous-code sliders.
SLIDER_STEP = 0.1
#: Number of c1 values (rows) that "sweep c1" shows, evenly spaced over the slider's range.
SWEEP_ROWS = 5
#: CSS px per digit in the image row: each digit pixel becomes 2 x 2 CSS pixels.
DIGIT_WIDTH = 60
#: Range from which training drew the continuous codes.
TRAINED_RANGE = 1.0


def code_vectors(noise: Any, category: int, values: Any, categories: int) -> np.ndarray:
    """Return G's inputs (n, noise + categories + continuous), float32, for one set of codes.

    Each row is a noise vector of ``noise`` (n, noise), then the one-hot ``category`` of
    ``categories``, then the continuous ``values``: the layout of
    :meth:`gancourse.conditional_gans.InfoGANCodes.join`, in NumPy.
    """
    noise = argchecks.points("noise", noise, min_rows=1, finite=True)
    categories = argchecks.positive_int("categories", categories)
    if isinstance(category, bool) or not isinstance(category, (int, np.integer)):
        raise ValueError(f"category must be an integer in 0..{categories - 1}, got {category!r}.")
    if not 0 <= category < categories:
        raise ValueError(f"category must be in 0..{categories - 1}, got {category}.")
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    one_hot = np.zeros((len(noise), categories))
    one_hot[:, category] = 1.0
    codes = np.broadcast_to(values, (len(noise), len(values)))
    return np.concatenate([noise, one_hot, codes], axis=1).astype(np.float32)


def _generate_function(generator: Any) -> Callable[[np.ndarray], Any]:
    """Return f(vectors) -> images for a trainer (its ``generate``) or a plain callable."""
    if hasattr(generator, "generate"):
        return generator.generate
    if callable(generator):
        return generator
    raise TypeError(
        "generator must be a trainer with .generate(vectors) or a function "
        f"f(vectors) -> images, got {generator!r}."
    )


def _input_size(generator: Any) -> int | None:
    """Return the input size the generator says it takes (trainer or Keras model), else None."""
    size = getattr(generator, "noise_dim", None)
    if size is None and getattr(generator, "inputs", None):
        size = generator.inputs[0].shape[-1]
    return None if size is None else int(size)


class CodeExplorer(CourseWidget):
    """An InfoGAN's codes by hand: a menu for the category, a slider per continuous code.

    ``generator`` is a trainer with ``.generate(vectors)`` (a
    :class:`~gancourse.step_trainer.StepTrainer`; the sizes are then read from its
    ``.codes``) or a function ``f(vectors)`` taking float32 vectors (n, noise + categories +
    continuous) and returning images (n, 28, 28, 1) in [-1, 1]. The widget shows
    ``samples`` digits that share the codes and differ in their noise (from ``seed``);
    every change of the menu or a slider redraws them. "new noise" draws other noise,
    keeping the codes. "sweep c1" shows instead one row per value of c1 across the slider's
    range ([-``value_range``, ``value_range``]), the same noise in each column.

    State: :attr:`category`, :attr:`values`, :attr:`noise`, :attr:`vectors` (G's last
    input), :attr:`images` (G's last output), :attr:`image` (PNG bytes), :attr:`sweeping`,
    :attr:`redraw_ms`.
    """

    def __init__(
        self,
        generator: Any,
        *,
        noise: int = 52,
        categories: int = 10,
        continuous: int = 2,
        samples: int = 8,
        seed: int = 0,
        value_range: float = 2.0,
    ) -> None:
        self._generate = _generate_function(generator)
        codes = getattr(generator, "codes", None)
        if codes is not None:
            noise, categories, continuous = codes.noise, codes.categories, codes.continuous
        self.noise_dim = argchecks.positive_int("noise", noise)
        self.categories = argchecks.positive_int("categories", categories)
        self.continuous = argchecks.positive_int("continuous", continuous)
        self.samples = argchecks.positive_int("samples", samples)
        self.value_range = argchecks.positive_float("value_range", value_range)
        size, expected = self.input_size, _input_size(generator)
        if expected is not None and expected != size:
            raise ValueError(
                f"The generator takes vectors of size {expected}, but noise={noise} + "
                f"categories={categories} + continuous={continuous} = {size}. Give the sizes "
                "the generator was built with."
            )
        self._rng = argchecks.rng(seed)
        self.noise = self._new_noise()
        self.vectors = np.zeros((0, size), np.float32)
        self.images = np.zeros((0, 28, 28, 1), np.float32)
        self.redraw_ms = 0.0

        self.category_menu = sized(
            widgets.Dropdown(
                options=[(f"code {c}", c) for c in range(self.categories)],
                value=0,
                description="category",
            ),
            200,
            LABEL_WIDTH,
        )
        self.sliders = tuple(
            sized(
                widgets.FloatSlider(
                    value=0.0,
                    min=-self.value_range,
                    max=self.value_range,
                    step=SLIDER_STEP,
                    description=f"c{i + 1}",
                    readout=True,
                    readout_format=".1f",
                ),
                SLIDER_WIDTH,
                LABEL_WIDTH,
            )
            for i in range(self.continuous)
        )
        self.noise_button = sized(
            widgets.Button(description="new noise", tooltip="other noise, same codes"), 100
        )
        self.sweep_box = sized(
            widgets.Checkbox(value=False, description="sweep c1", indent=False), 100
        )
        names = ", ".join(self.names)
        self.help_label = widgets.HTML(
            html_text(
                f"Training drew {names} from [-{TRAINED_RANGE:g}, {TRAINED_RANGE:g}]: values "
                f"beyond ±{TRAINED_RANGE:g} were never seen in training.",
                style="color:#555;font-size:90%",
            )
        )
        self.image_widget = PngImage("gancourse-codes-digits")
        self.caption_label = widgets.HTML()
        self.category_menu.add_class("gancourse-codes-category")
        for slider in self.sliders:
            slider.add_class("gancourse-codes-slider")

        for control in (self.category_menu, *self.sliders, self.sweep_box):
            control.observe(lambda _: self.redraw(), names="value")
        self.noise_button.on_click(lambda _: self.new_noise())
        super().__init__(
            [
                row([self.category_menu, self.noise_button, self.sweep_box]),
                *self.sliders,
                self.help_label,
                self.image_widget,
                self.caption_label,
            ]
        )
        self.redraw()

    # ------------------------------------------------------------------ state

    @property
    def input_size(self) -> int:
        """Return the length of G's input vector: noise + categories + continuous."""
        return self.noise_dim + self.categories + self.continuous

    @property
    def names(self) -> tuple[str, ...]:
        """Return the names of the continuous codes: c1, c2, ..."""
        return tuple(f"c{i + 1}" for i in range(self.continuous))

    @property
    def category(self) -> int:
        """Return the category chosen in the menu."""
        return int(self.category_menu.value)

    @property
    def values(self) -> tuple[float, ...]:
        """Return the continuous codes set on the sliders (rounded to the slider's step)."""
        return tuple(round(float(s.value), 6) + 0.0 for s in self.sliders)

    @property
    def sweeping(self) -> bool:
        """Return True if the view shows one row per value of c1 instead of one row."""
        return bool(self.sweep_box.value)

    @property
    def sweep_values(self) -> np.ndarray:
        """Return the values of c1 in the rows of "sweep c1", lowest first."""
        return np.linspace(-self.value_range, self.value_range, SWEEP_ROWS)

    @property
    def image(self) -> bytes:
        """Return the PNG bytes on display."""
        return self.image_widget.value

    @property
    def description(self) -> str:
        """Return what the view shows, in words: the codes and the digits."""
        pairs = list(zip(self.names, self.values))
        if self.sweeping:
            swept = ", ".join(f"{v + 0.0:g}" for v in np.round(self.sweep_values, 2))
            others = "".join(f", {n} = {v:.1f}" for n, v in pairs[1:])
            return (
                f"category {self.category}{others}, c1 = {swept} (one row each): "
                f"{self.samples} digits per row with the same codes, different noise"
            )
        codes = "".join(f", {n} = {v:.1f}" for n, v in pairs)
        return (
            f"category {self.category}{codes}: {self.samples} digits with the same codes, "
            "different noise"
        )

    # ------------------------------------------------------------------ actions

    def _new_noise(self) -> np.ndarray:
        """Return ``samples`` new standard-normal noise vectors."""
        return self._rng.standard_normal((self.samples, self.noise_dim)).astype(np.float32)

    def new_noise(self) -> None:
        """Draw other noise vectors and redraw; the codes stay."""
        self.noise = self._new_noise()
        self.redraw()

    def _inputs(self) -> np.ndarray:
        """Return G's inputs for the current codes: one row of samples, or one per c1 value."""
        if not self.sweeping:
            return code_vectors(self.noise, self.category, self.values, self.categories)
        return np.concatenate(
            [
                code_vectors(self.noise, self.category, (c1, *self.values[1:]), self.categories)
                for c1 in self.sweep_values
            ]
        )

    def redraw(self) -> float:
        """Run G on the current codes and noise and show its digits; return the milliseconds."""
        begin = time.perf_counter()
        vectors = self._inputs()
        try:
            output = np.asarray(self._generate(vectors), dtype=np.float32)
        except Exception as error:  # the generator's own error, e.g. a shape mismatch
            raise ValueError(
                f"The generator failed on vectors of size {self.input_size} (noise "
                f"{self.noise_dim} + categories {self.categories} + continuous "
                f"{self.continuous}): {error}. Give the sizes the generator was built with."
            ) from error
        images = argchecks.images("the generator's output", output)
        if len(images) != len(vectors):
            raise ValueError(
                f"The generator returned {len(images)} images for {len(vectors)} vectors: "
                "it must return one image per input vector."
            )
        self.vectors, self.images = vectors, images
        width = DIGIT_WIDTH * self.samples
        self.image_widget.value = _images.widget_grid_png(images, ncols=self.samples, width=width)
        self.caption_label.value = html_text(self.description)
        self.sliders[0].disabled = self.sweeping
        self.redraw_ms = 1000 * (time.perf_counter() - begin)
        return self.redraw_ms

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG of the digits, the codes in words)."""
        return self.image, f"CodeExplorer: {self.description}"
