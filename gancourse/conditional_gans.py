"""The CGAN's, the ACGAN's and the InfoGAN's training steps, as notebook 07 writes them out.

* **CGAN**: both players get the label; D judges an image together with its label.
* **ACGAN**: G gets a label, D gets only the image and has a second head that names the
  digit. Both players add a classification loss (:func:`acgan_class_losses`, equal to TF-GAN's
  ``acgan_discriminator_loss`` / ``acgan_generator_loss``): D on real and generated digits,
  G on its own, for the label it was asked to draw.
* **InfoGAN**: no labels. G's input ends in codes (:class:`InfoGANCodes`: a one-hot category
  and a few continuous values); a Q head on D guesses them back from the image, and both
  players lower the :func:`mutual_information_penalty` (equal to TF-GAN's with a categorical
  and a unit-variance normal distribution), so G must draw something the codes can be read from.

The step functions run inside a :class:`~gancourse.step_trainer.StepTrainer`; the benchmark
and the notebook's checks use them as the reference for what the notebook writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from . import argchecks
from .training import _apply, _mean_probability

__all__ = [
    "InfoGANCodes",
    "acgan_class_losses",
    "acgan_discriminator_step",
    "acgan_generator_step",
    "cgan_discriminator_step",
    "cgan_generator_step",
    "infogan_discriminator_step",
    "infogan_generator_step",
    "mutual_information_penalty",
]

#: How much the mutual-information penalty counts against the adversarial loss (TF-GAN's
#: default, 1). Weight 2 found the digits no more often over five seeds (docs/benchmarks.md,
#: "Conditional GANs").
INFO_WEIGHT = 1.0


def _cross_entropy(labels: Any, logits: Any) -> tf.Tensor:
    """Return the mean softmax cross-entropy of integer ``labels`` under ``logits``."""
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )


def acgan_class_losses(
    real_class_logits: Any, fake_class_logits: Any, labels: Any
) -> tuple[tf.Tensor, tf.Tensor]:
    """Return (D's class loss, G's class loss): mean cross-entropies against ``labels``.

    D's is the cross-entropy on the real digits plus that on the generated ones (each real
    digit's own label; each generated digit's requested label). G's is the cross-entropy on
    the generated digits: G wants its digits filed under the label it was given.
    """
    real_loss = _cross_entropy(labels, real_class_logits)
    fake_loss = _cross_entropy(labels, fake_class_logits)
    return real_loss + fake_loss, fake_loss


def acgan_discriminator_step(trainer: Any, real: Any, labels: Any, noise: Any) -> dict[str, Any]:
    """Update the ACGAN's D once: real or generated, plus the class of both; return its numbers."""
    fake = trainer.generator([noise, labels], training=True)
    with tf.GradientTape() as tape:
        real_logits, real_classes = trainer.discriminator(real, training=True)
        fake_logits, fake_classes = trainer.discriminator(fake, training=True)
        d_class, _ = acgan_class_losses(real_classes, fake_classes, labels)
        d_loss = trainer.loss.discriminator(real_logits, fake_logits) + d_class
    _apply(trainer.d_optimizer, tape, d_loss, trainer.discriminator)
    return {
        "d_loss": d_loss,
        "d_real": _mean_probability(real_logits),
        "d_fake": _mean_probability(fake_logits),
    }


def acgan_generator_step(trainer: Any, labels: Any, noise: Any) -> dict[str, Any]:
    """Update the ACGAN's G once: pass for real, and be filed under the requested label."""
    with tf.GradientTape() as tape:
        fake = trainer.generator([noise, labels], training=True)
        fake_logits, fake_classes = trainer.discriminator(fake, training=True)
        g_class = _cross_entropy(labels, fake_classes)  # G's part of acgan_class_losses
        g_loss = trainer.loss.generator(fake_logits) + g_class
    _apply(trainer.g_optimizer, tape, g_loss, trainer.generator)
    return {"g_loss": g_loss}


# --------------------------------------------------------------------------- InfoGAN


@dataclass(frozen=True)
class InfoGANCodes:
    """G's input for an InfoGAN: ``noise`` normal values, then a one-hot category of
    ``categories``, then ``continuous`` values uniform in [-1, 1]."""

    noise: int = 52
    categories: int = 10
    continuous: int = 2

    def __post_init__(self) -> None:
        for name in ("noise", "categories", "continuous"):
            argchecks.positive_int(name, getattr(self, name))

    @property
    def size(self) -> int:
        """Return the length of G's input vector."""
        return self.noise + self.categories + self.continuous

    def sample(self, n: Any, seed: int | None = None) -> tf.Tensor:
        """Return ``n`` random input vectors ``(n, size)``, from NumPy when ``seed`` is set."""
        if not tf.is_tensor(n):
            n = argchecks.positive_int("n", n)
        if seed is None:
            z = tf.random.normal([n, self.noise])
            category = tf.random.uniform([n], 0, self.categories, tf.int32)
            values = tf.random.uniform([n, self.continuous], -1.0, 1.0)
            return self.join(z, category, values)
        rng = np.random.default_rng(seed)
        return self.join(
            rng.standard_normal((n, self.noise)),
            rng.integers(0, self.categories, n),
            rng.uniform(-1.0, 1.0, (n, self.continuous)),
        )

    def join(self, noise: Any, category: Any, values: Any) -> tf.Tensor:
        """Return G's input from noise ``(n, noise)``, categories ``(n,)`` and values ``(n, c)``."""
        if not any(tf.is_tensor(part) for part in (noise, category, values)):
            noise = argchecks.matrix("noise", noise)
            n = len(noise)
            argchecks.labels("category", category, n, self.categories)
            values = argchecks.matrix("values", values)
            for name, part, width in (("noise", noise, self.noise),
                                      ("values", values, self.continuous)):  # fmt: skip
                if part.shape != (n, width):
                    raise ValueError(
                        f"{name} must have shape ({n}, {width}) for these codes, got {part.shape}."
                    )
        noise = tf.cast(noise, tf.float32)
        one_hot = tf.one_hot(tf.cast(category, tf.int32), self.categories)
        return tf.concat([noise, one_hot, tf.cast(values, tf.float32)], axis=1)

    def split(self, vectors: Any) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """Return (noise, categories ``(n,)``, continuous values) of G's input vectors."""
        vectors = tf.convert_to_tensor(vectors, tf.float32)
        noise, one_hot, values = tf.split(
            vectors, [self.noise, self.categories, self.continuous], axis=1
        )
        return noise, tf.argmax(one_hot, axis=1, output_type=tf.int32), values


def mutual_information_penalty(
    categories: Any, values: Any, code_logits: Any, code_means: Any
) -> tf.Tensor:
    """Return minus Q's mean log-likelihood of the codes, averaged over the two kinds of code.

    Q's guess is a categorical distribution (``code_logits``) for the category and a normal
    one with mean ``code_means`` and standard deviation 1 for the continuous values. The lower
    the penalty, the better the codes can be read back from the images: a lower bound on the
    mutual information between codes and images, up to a constant.
    """
    code_logits = tf.cast(code_logits, tf.float32)
    code_means = tf.cast(code_means, tf.float32)
    categorical = -_cross_entropy(categories, code_logits)
    values = tf.cast(values, tf.float32)
    normal = tf.reduce_mean(-0.5 * tf.square(values - code_means) - 0.5 * math.log(2 * math.pi))
    return -(categorical + normal) / 2


def _information(trainer: Any, noise: Any, code_logits: Any, code_means: Any) -> tf.Tensor:
    _, categories, values = trainer.codes.split(noise)
    return INFO_WEIGHT * mutual_information_penalty(categories, values, code_logits, code_means)


def infogan_discriminator_step(trainer: Any, real: Any, labels: Any, noise: Any) -> dict[str, Any]:
    """Update the InfoGAN's D and Q once: real or generated, plus reading the codes back."""
    fake = trainer.generator(noise, training=True)
    with tf.GradientTape() as tape:
        real_logits, _, _ = trainer.discriminator(real, training=True)
        fake_logits, code_logits, code_means = trainer.discriminator(fake, training=True)
        information = _information(trainer, noise, code_logits, code_means)
        d_loss = trainer.loss.discriminator(real_logits, fake_logits) + information
    _apply(trainer.d_optimizer, tape, d_loss, trainer.discriminator)
    return {
        "d_loss": d_loss,
        "d_real": _mean_probability(real_logits),
        "d_fake": _mean_probability(fake_logits),
    }


def infogan_generator_step(trainer: Any, labels: Any, noise: Any) -> dict[str, Any]:
    """Update the InfoGAN's G once: pass for real, and draw images whose codes Q can read."""
    with tf.GradientTape() as tape:
        fake = trainer.generator(noise, training=True)
        fake_logits, code_logits, code_means = trainer.discriminator(fake, training=True)
        information = _information(trainer, noise, code_logits, code_means)
        g_loss = trainer.loss.generator(fake_logits) + information
    _apply(trainer.g_optimizer, tape, g_loss, trainer.generator)
    return {"g_loss": g_loss}


# --------------------------------------------------------------------------- CGAN


def cgan_discriminator_step(trainer: Any, real: Any, labels: Any, noise: Any) -> dict[str, Any]:
    """Update the CGAN's D once: each image judged together with its label."""
    fake = trainer.generator([noise, labels], training=True)
    with tf.GradientTape() as tape:
        real_logits = trainer.discriminator([real, labels], training=True)
        fake_logits = trainer.discriminator([fake, labels], training=True)
        d_loss = trainer.loss.discriminator(real_logits, fake_logits)
    _apply(trainer.d_optimizer, tape, d_loss, trainer.discriminator)
    return {
        "d_loss": d_loss,
        "d_real": _mean_probability(real_logits),
        "d_fake": _mean_probability(fake_logits),
    }


def cgan_generator_step(trainer: Any, labels: Any, noise: Any) -> dict[str, Any]:
    """Update the CGAN's G once: draw the requested digit so that D, told the label, says real."""
    with tf.GradientTape() as tape:
        fake = trainer.generator([noise, labels], training=True)
        g_loss = trainer.loss.generator(trainer.discriminator([fake, labels], training=True))
    _apply(trainer.g_optimizer, tape, g_loss, trainer.generator)
    return {"g_loss": g_loss}
