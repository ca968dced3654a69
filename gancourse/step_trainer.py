"""StepTrainer: a GANTrainer whose D and G updates are functions you write.

Notebook 07 writes the ACGAN's and the InfoGAN's updates out in full; a StepTrainer runs
them compiled inside the course's loop (``training.train``: history, time limits, sample
grids, run folders), so the step on the page is the step that trains. A step function gets
the trainer, so it reaches the models (``trainer.generator``, ``trainer.discriminator``), the
optimizers and the loss:

* ``d_step(trainer, real, labels, noise)`` updates D once and returns a dict with at least
  ``d_loss``, ``d_real`` and ``d_fake`` (D's mean probabilities "real");
* ``g_step(trainer, labels, noise)`` updates G once and returns a dict with at least ``g_loss``.

``labels`` is the real batch's labels (None when the generator is unconditional). The noise
is standard normal unless ``codes`` says how to draw it (``conditional_gans.InfoGANCodes``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

import keras
import numpy as np
import tensorflow as tf

from . import argchecks
from .models import is_conditional
from .training import GANTrainer, _with_labels

__all__ = ["Codes", "StepTrainer"]

DStep = Callable[..., dict[str, Any]]
GStep = Callable[..., dict[str, Any]]


class Codes(Protocol):
    """How a generator's input is drawn: ``sample(n, seed=None)`` returns ``(n, size)``."""

    size: int

    def sample(self, n: Any, seed: int | None = None) -> tf.Tensor: ...


def _name(function: Callable[..., Any]) -> str:
    """Return a name for a step function that is the same in every session."""
    if isinstance(function, functools.partial):
        return f"partial({_name(function.func)})"
    name = getattr(function, "__qualname__", None) or type(function).__qualname__
    module = getattr(function, "__module__", None)
    return name if module in (None, "__main__") else f"{module}.{name}"


class StepTrainer(GANTrainer):
    """A GANTrainer that runs your ``d_step`` and ``g_step`` instead of the standard updates.

    Only the settings a step function can use are taken: the loss (``trainer.loss``, for the
    "real or generated" part), the two Adam learning rates, ``decay_after``, ``beta_1`` and
    ``d_steps``. The generator may be conditional while the discriminator is not (an ACGAN's
    D reads the digit from the image). The step functions' names enter the run's settings.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        d_step: DStep,
        g_step: GStep,
        *,
        codes: Codes | None = None,
        loss: str = "non_saturating",
        d_learning_rate: float = 2e-4,
        g_learning_rate: float = 2e-4,
        decay_after: int | None = None,
        beta_1: float = 0.5,
        d_steps: int = 1,
    ) -> None:
        for which, step in (("d_step", d_step), ("g_step", g_step)):
            if not callable(step):
                raise TypeError(f"{which} must be a function, got {step!r}.")
        self.d_step_function, self.g_step_function, self.codes = d_step, g_step, codes
        super().__init__(
            generator, discriminator, loss=loss, d_learning_rate=d_learning_rate,
            g_learning_rate=g_learning_rate, decay_after=decay_after, beta_1=beta_1,
            d_steps=d_steps,
        )  # fmt: skip
        if codes is not None and int(codes.size) != self.noise_dim:
            raise ValueError(
                f"codes draw vectors of size {codes.size}, but the generator takes "
                f"{self.noise_dim}: build the generator with noise_dim={codes.size}."
            )

    def _check_pair(self, generator: keras.Model, discriminator: keras.Model) -> bool:
        conditional = is_conditional(generator)
        if is_conditional(discriminator) and not conditional:
            raise ValueError(
                "The discriminator takes labels but the generator does not: use a conditional "
                "generator, or a discriminator without a label input."
            )
        return conditional

    def extra_settings(self) -> dict[str, Any]:
        settings = {
            "d_step": _name(self.d_step_function),
            "g_step": _name(self.g_step_function),
        }
        if self.codes is not None:
            settings["codes"] = repr(self.codes)
        return settings

    def _noise_like(self, batch: Any) -> tf.Tensor:
        if self.codes is None:
            return super()._noise_like(batch)
        return self.codes.sample(tf.shape(batch)[0])

    def _d_replica_step(self, real: Any, labels: Any, noise: Any = None) -> dict[str, tf.Tensor]:
        noise = self._noise_like(real) if noise is None else noise
        return self.d_step_function(self, real, labels, noise)

    def _g_replica_step(self, real: Any, labels: Any, noise: Any = None) -> dict[str, tf.Tensor]:
        noise = self._noise_like(real) if noise is None else noise
        return self.g_step_function(self, labels, noise)

    def sample_noise(self, n: int, seed: int | None = None) -> tf.Tensor:
        """Return ``n`` inputs for G, drawn as ``codes`` says (repeatable with ``seed``)."""
        if self.codes is None:
            return super().sample_noise(n, seed)
        n = argchecks.positive_int("n", n)
        return tf.convert_to_tensor(self.codes.sample(n, seed=seed), tf.float32)

    def discriminator_probabilities(self, x: Any, labels: Any = None) -> np.ndarray:
        """Return D's probability that each input is real (its first output), shape (N,)."""
        if is_conditional(self.discriminator):
            if labels is None:
                raise ValueError(
                    "This discriminator judges each image with its label: pass labels=..."
                )
            labels = tf.cast(np.asarray(labels), tf.int32)
        x = _with_labels(tf.convert_to_tensor(x, tf.float32), labels)
        outputs = self.discriminator(x, training=False)
        logits = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
        return tf.sigmoid(tf.reshape(logits, [-1])).numpy()

    def generator_gradients(self, noise: Any) -> tuple[np.ndarray, np.ndarray]:
        """Not available: the direction G's loss moves a sample depends on your g_step."""
        raise NotImplementedError(
            "generator_gradients uses the standard generator loss; a StepTrainer's G loss is "
            "whatever its g_step computes. Take the gradient in your own code instead."
        )
