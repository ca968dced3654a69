"""RegressionPanel: fit a line with Keras and see what learning rate, epochs and batch size do."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from . import _images
from ._base import CourseWidget, PngImage, html_text
from ._controls import round_values, row, sized, value_slider

TRUE_SLOPE, TRUE_INTERCEPT = 3.0, 2.0
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
#: What the sliders offer: round learning rates from 0.001 to 10, and numbers of epochs.
LEARNING_RATES = round_values(1e-3, 10, mantissas=(1, 1.5, 2, 3, 5))
EPOCHS = (1, 2, 3, 5, 10, 20, 30, 50, 100, 200)
#: Width of each slider and of its description (CSS px): two to a row, lined up.
SLIDER_WIDTH, LABEL_WIDTH = 400, 90


def regression_data(
    n: int = 200, noise: float = 1.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y), float32 arrays (n, 1): x uniform in [-2, 2], y = 3x + 2 + Gaussian noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, (n, 1))
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + noise * rng.standard_normal((n, 1))
    return x.astype(np.float32), y.astype(np.float32)


def _stop_when_not_finite(keras: Any) -> Any:
    """Return a Keras callback that quietly stops training once the loss is NaN or infinite."""

    class StopWhenNotFinite(keras.callbacks.Callback):
        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            if not np.isfinite((logs or {}).get("loss", 0.0)):
                self.model.stop_training = True

    return StopWhenNotFinite()


class RegressionPanel(CourseWidget):
    """Train a one-feature linear model y = w x + b with plain SGD and watch its loss curve.

    Sliders set the learning rate (log scale), the number of epochs and the batch size;
    "train" fits a fresh Keras model (seeded, so the same settings give the same curve)
    on synthetic data y = 3x + 2 + noise and shows the data with the fitted line beside
    the mean squared error per epoch. Too large a learning rate makes the loss grow or
    become NaN: training then stops and the message says so.

    State: :attr:`losses` (one per epoch), :attr:`slope`, :attr:`intercept`,
    :attr:`diverged`, :attr:`image` (PNG bytes) and :attr:`message`.
    """

    def __init__(
        self,
        *,
        learning_rate: float = 0.05,
        epochs: int = 20,
        batch_size: int = 32,
        n: int = 200,
        noise: float = 1.0,
        seed: int = 0,
    ) -> None:
        self.x, self.y = regression_data(n, noise, seed)
        self.seed = seed
        self.losses: list[float] = []
        self.slope = self.intercept = float("nan")
        self.diverged = False
        self.lr_slider = value_slider(
            "learning rate", LEARNING_RATES, learning_rate, SLIDER_WIDTH, LABEL_WIDTH
        )
        self.epochs_slider = value_slider("epochs", EPOCHS, epochs, SLIDER_WIDTH, LABEL_WIDTH)
        self.batch_slider = value_slider(
            "batch size", BATCH_SIZES, batch_size, SLIDER_WIDTH, LABEL_WIDTH
        )
        self.epochs_slider.add_class("gancourse-regression-epochs")
        self.train_button = sized(widgets.Button(description="train", button_style="primary"), 90)
        self.image_widget = PngImage("gancourse-regression-plot")
        self.message_label = widgets.HTML()
        self.message_label.add_class("gancourse-regression-message")
        self.train_button.on_click(lambda _: self.train())
        controls = [
            row([self.lr_slider, self.epochs_slider]),
            row([self.batch_slider, self.train_button]),
        ]
        super().__init__([*controls, self.image_widget, self.message_label])
        self._set_message("Choose the settings, then press train.")
        self.image_widget.value = _images.figure_png(self._figure())

    @property
    def image(self) -> bytes:
        """Return the PNG bytes on display: data and fitted line, loss per epoch."""
        return self.image_widget.value

    @property
    def message(self) -> str:
        """Return the message under the plot."""
        return self._message

    def train(self) -> list[float]:
        """Fit a fresh model with the sliders' settings; return the loss of each epoch.

        The controls are disabled while it trains, so that a second press does not queue
        another run.
        """
        controls = (self.lr_slider, self.epochs_slider, self.batch_slider, self.train_button)
        for control in controls:
            control.disabled = True
        self._set_message("Training…")
        try:
            return self._train()
        finally:
            for control in controls:
                control.disabled = False

    def _train(self) -> list[float]:
        """Fit the model, record the losses and the line, and redraw."""
        import keras  # imports TensorFlow (seconds, the first time): only when it trains

        keras.utils.set_random_seed(self.seed)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(self.lr_slider.value), loss="mse")
        history = model.fit(
            self.x,
            self.y,
            epochs=self.epochs_slider.value,
            batch_size=self.batch_slider.value,
            verbose=0,
            callbacks=[_stop_when_not_finite(keras)],
        )
        self.losses = [float(v) for v in history.history["loss"]]
        kernel, bias = model.layers[-1].get_weights()
        self.slope, self.intercept = float(kernel.ravel()[0]), float(bias.ravel()[0])
        finite = np.isfinite(self.losses)
        self.diverged = not finite.all() or self.losses[-1] > 2 * self.losses[0]
        if self.diverged:
            self._set_message(
                "The loss grew instead of shrinking"
                + ("" if finite.all() else " until it was no longer a number (NaN)")
                + ": the learning rate is too large, so every step overshoots. "
                "Try one ten times smaller."
            )
        else:
            self._set_message(
                f"Final loss {self.losses[-1]:.3f} after {len(self.losses)} epochs. "
                f"Learned y = {self.slope:.2f} x + {self.intercept:.2f} "
                f"(the data came from y = {TRUE_SLOPE:g} x + {TRUE_INTERCEPT:g} + noise)."
            )
        self.image_widget.value = _images.figure_png(self._figure())
        return self.losses

    def _figure(self) -> Figure:
        """Return the figure: the data with true and fitted lines, and the loss per epoch."""
        fig = Figure(figsize=(8.5, 3.0), layout="constrained")
        data_ax, loss_ax = fig.subplots(1, 2)
        data_ax.scatter(self.x[:, 0], self.y[:, 0], s=8, alpha=0.5, label="data")
        xs = np.array([-2.0, 2.0])
        data_ax.plot(xs, TRUE_SLOPE * xs + TRUE_INTERCEPT, "k--", label="true line")
        if np.isfinite([self.slope, self.intercept]).all():
            data_ax.plot(xs, self.slope * xs + self.intercept, color="tab:red", label="model")
        data_ax.set_ylim(self.y.min() - 1, self.y.max() + 1)
        data_ax.set(xlabel="x", ylabel="y")
        data_ax.legend(loc="upper left", fontsize="small")
        losses = np.asarray(self.losses, dtype=float)
        if losses.size:
            epochs = np.arange(1, losses.size + 1)
            shown = np.where(np.isfinite(losses), losses, np.nan)
            loss_ax.plot(epochs, shown, marker="." if losses.size < 40 else None)
            if np.isfinite(shown).any() and np.nanmin(shown) > 0:
                loss_ax.set_yscale("log")
            if not np.isfinite(losses).all():
                loss_ax.set_title("loss became NaN: diverged", color="firebrick")
        else:
            loss_ax.text(0.5, 0.5, "not trained yet", ha="center", transform=loss_ax.transAxes)
        loss_ax.set(xlabel="epoch", ylabel="mean squared error")
        return fig

    def _set_message(self, text: str) -> None:
        """Store ``text`` as :attr:`message` and show it."""
        self._message = text
        self.message_label.value = html_text(text)

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG of the plots, the message)."""
        return self.image, f"RegressionPanel: {self.message}"
