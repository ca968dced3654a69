"""SampleViewer: new samples from a generator, latent interpolation, and a digit for cGANs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

from . import _images
from ._base import CourseWidget, PngImage
from ._controls import row, sized

INTERPOLATIONS = ("spherical", "linear")


def interpolate_latent(a: Any, b: Any, t: float, method: str = "spherical") -> np.ndarray:
    """Return the point a fraction ``t`` of the way from latent vector ``a`` to ``b``.

    "linear" is the straight line; "spherical" (slerp) follows the great circle, which keeps
    the vector's length typical of Gaussian noise all along the way.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if method not in INTERPOLATIONS:
        raise ValueError(f"Unknown method {method!r}. Valid choices: {', '.join(INTERPOLATIONS)}.")
    cos = np.dot(a, b) / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if method == "linear" or np.sin(omega) < 1e-6:
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def _adapter(
    generator: Any, noise_dim: int | None, num_classes: int | None
) -> tuple[Callable[[np.ndarray, np.ndarray | None], np.ndarray], int, int | None]:
    """Return (generate(noise, labels) -> images, noise_dim, num_classes or None).

    Accepts a :class:`~gancourse.training.GANTrainer`, a Keras generator, or any callable
    ``f(noise)`` / ``f(noise, labels)`` (then ``noise_dim`` is required).
    """
    if hasattr(generator, "generate") and hasattr(generator, "noise_dim"):  # a GANTrainer
        classes = getattr(generator, "num_classes", None) if generator.conditional else None
        return generator.generate, generator.noise_dim, classes
    inputs = getattr(generator, "inputs", None)
    if inputs:  # a Keras model: read its input shapes instead of asking
        classes = None
        if len(inputs) == 2:
            layer = next((x for x in generator.layers if x.name == "label_embedding"), None)
            classes = getattr(layer, "input_dim", None) or num_classes or 10

        def generate(noise: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
            x = noise if labels is None else [noise, labels.astype(np.int32)]
            return np.asarray(generator(x, training=False))

        return generate, int(inputs[0].shape[-1]), classes
    if not callable(generator):
        raise TypeError(
            f"generator must be a GANTrainer, a Keras model or a callable, got {generator!r}."
        )
    if noise_dim is None:
        raise ValueError("noise_dim is required when the generator is a plain function.")

    def call(noise: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
        return np.asarray(generator(noise) if labels is None else generator(noise, labels))

    return call, int(noise_dim), num_classes


class SampleViewer(CourseWidget):
    """Samples of a generator: resample or keep the noise, walk from one latent point to another.

    ``generator`` is a :class:`~gancourse.training.GANTrainer`, a Keras generator, or a
    function ``f(noise)`` returning images (N, 28, 28, 1) in [-1, 1] (give ``noise_dim``;
    for a conditional one ``f(noise, labels)`` and ``num_classes``). Noise is standard
    normal, from ``seed``. "new noise" draws new vectors; "same noise" draws the same
    vectors again (useful after more training). For a conditional generator the "digit"
    menu picks the class of every sample ("mixed" cycles through them). The slider moves
    between two latent points A and B ("new A and B" picks others), shown as a strip of
    ``frames`` steps and as the single image at the slider's position; for a conditional
    generator the walk keeps one digit, the menu's (0 while it says "mixed"), and says which.

    State: :attr:`noise`, :attr:`labels`, :attr:`z_a`, :attr:`z_b`, :attr:`grid_png`,
    :attr:`strip_png`, :attr:`frame_png`.
    """

    def __init__(
        self,
        generator: Any,
        *,
        n: int = 16,
        ncols: int | None = None,
        noise_dim: int | None = None,
        num_classes: int | None = None,
        frames: int = 8,
        seed: int = 0,
    ) -> None:
        self._generate, self.noise_dim, self.num_classes = _adapter(
            generator, noise_dim, num_classes
        )
        self.n, self.ncols, self.frames = n, ncols, frames
        self._rng = np.random.default_rng(seed)

        self.new_button = sized(
            widgets.Button(description="new noise", tooltip="draw new noise"), 100
        )
        self.same_button = sized(
            widgets.Button(description="same noise", tooltip="redraw, same noise"), 100
        )
        classes = [] if self.num_classes is None else range(self.num_classes)
        self.digit_menu = sized(
            widgets.Dropdown(
                options=[("mixed", -1)] + [(str(c), c) for c in classes],
                value=-1,
                description="digit",
            ),
            150,
        )
        self.digit_menu.layout.display = None if self.num_classes else "none"
        self.endpoints_button = sized(widgets.Button(description="new A and B"), 110)
        self.t_slider = sized(
            widgets.FloatSlider(
                value=0.0, min=0.0, max=1.0, step=1 / frames, description="A → B",
                readout_format=".2f",
            ),
            320,
        )  # fmt: skip
        self.method_menu = sized(widgets.Dropdown(options=INTERPOLATIONS, description="path"), 190)
        self.t_slider.add_class("gancourse-viewer-t")
        self.grid_image = PngImage("gancourse-viewer-grid")
        self.strip_image = PngImage("gancourse-viewer-strip")
        self.frame_image = PngImage("gancourse-viewer-frame")
        self.path_note = widgets.HTML()
        self.path_note.add_class("gancourse-viewer-path-note")
        self.path_note.layout.display = None if self.num_classes else "none"

        self.new_button.on_click(lambda _: self.resample())
        self.same_button.on_click(lambda _: self.redraw())
        self.digit_menu.observe(lambda _: self.redraw(), names="value")
        self.endpoints_button.on_click(lambda _: self.new_endpoints())
        self.t_slider.observe(lambda _: self._show_frame(), names="value")
        self.method_menu.observe(lambda _: self._show_path(), names="value")

        column = widgets.Layout(align_items="flex-start", margin="0 12px 0 0")
        sampling = widgets.VBox(
            [row([self.new_button, self.same_button]), self.digit_menu, self.grid_image],
            layout=column,
        )
        walking = widgets.VBox(
            [
                row([self.endpoints_button, self.method_menu]),
                self.t_slider,
                self.path_note,
                self.frame_image,
                self.strip_image,
            ],
            layout=column,
        )
        super().__init__([row([sampling, walking])])
        self.resample()
        self.new_endpoints()

    # ------------------------------------------------------------------ state

    @property
    def labels(self) -> np.ndarray | None:
        """Return the class labels of the grid's samples, or None for an unconditional G."""
        if self.num_classes is None:
            return None
        digit = self.digit_menu.value
        return np.arange(self.n) % self.num_classes if digit < 0 else np.full(self.n, digit)

    @property
    def grid_png(self) -> bytes:
        """Return the PNG bytes of the sample grid."""
        return self.grid_image.value

    @property
    def strip_png(self) -> bytes:
        """Return the PNG bytes of the interpolation strip from A to B."""
        return self.strip_image.value

    @property
    def frame_png(self) -> bytes:
        """Return the PNG bytes of the image at the slider's position between A and B."""
        return self.frame_image.value

    # ------------------------------------------------------------------ actions

    def _noise(self, n: int) -> np.ndarray:
        """Return ``n`` new standard-normal noise vectors."""
        return self._rng.standard_normal((n, self.noise_dim)).astype(np.float32)

    def resample(self) -> None:
        """Draw new noise for the grid and show G's samples for it."""
        self.noise = self._noise(self.n)
        self.redraw()

    def redraw(self) -> None:
        """Show G's samples for the current noise and digit (the generator may have changed)."""
        images = self._generate(self.noise, self.labels)
        self.grid_image.value = _images.widget_grid_png(images, ncols=self.ncols)
        if hasattr(self, "z_a"):
            self._show_path()

    def new_endpoints(self) -> None:
        """Pick new latent points A and B and show the path between them."""
        self.z_a, self.z_b = self._noise(2)
        self._show_path()

    @property
    def path_digit(self) -> int | None:
        """Return the digit of the walk from A to B: the menu's, 0 if "mixed"; None if plain."""
        return None if self.num_classes is None else max(self.digit_menu.value, 0)

    def _path_labels(self, n: int) -> np.ndarray | None:
        """Return labels for ``n`` images along the path, all :attr:`path_digit`."""
        return None if self.num_classes is None else np.full(n, self.path_digit)

    def _path_words(self) -> str:
        """Return the words that say which digit the walk shows ("" for a plain generator)."""
        if self.num_classes is None:
            return ""
        words = f"the walk A → B, all as digit {self.path_digit}"
        return words + (" (pick another in the digit menu)" if self.digit_menu.value < 0 else "")

    def _show_path(self) -> None:
        """Draw the strip from A to B, then the image at the slider's position."""
        self.path_note.value = f"<small>{self._path_words()}</small>"
        ts = np.linspace(0.0, 1.0, self.frames + 1)
        path = np.stack([self._point(t) for t in ts]).astype(np.float32)
        images = self._generate(path, self._path_labels(len(path)))
        width = 60 * len(path)
        self.strip_image.value = _images.widget_grid_png(images, ncols=len(path), width=width)
        self._show_frame()

    def _point(self, t: float) -> np.ndarray:
        """Return the latent point at fraction ``t`` between A and B along the chosen path."""
        return interpolate_latent(self.z_a, self.z_b, t, self.method_menu.value)

    def _show_frame(self) -> None:
        """Draw G's image at the slider's position between A and B."""
        z = self._point(self.t_slider.value)[None].astype(np.float32)
        image = self._generate(z, self._path_labels(1))
        self.frame_image.value = _images.widget_grid_png(image, width=140)

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG of the grid and the interpolation strip, a description)."""
        text = f"SampleViewer: {self.n} samples; interpolation A → B at t={self.t_slider.value:.2f}"
        if self.num_classes is not None:
            text += f", all as digit {self.path_digit}"
        return _images.side_by_side(self.grid_png, self.strip_png), text
