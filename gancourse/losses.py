"""GAN losses written in TensorFlow, all computed from logits (raw discriminator outputs).

Discriminator losses take ``(real_logits, fake_logits)``, generator losses take
``fake_logits``; logits have shape ``(N,)`` or ``(N, 1)`` and every loss returns a scalar
tensor, the mean over the batch. With ``D(x) = sigmoid(logit)``:

================  =========================================  ================================
name              discriminator loss                         generator loss
================  =========================================  ================================
minimax           -mean log D(x) - mean log(1 - D(G(z)))     mean log(1 - D(G(z))) (saturates)
non_saturating    same as minimax                            -mean log D(G(z))
least_squares     mean (x_r - 1)^2 / 2 + mean x_f^2 / 2      mean (x_f - 1)^2 / 2
wasserstein       mean x_f - mean x_r                        -mean x_f
wasserstein_gp    same, plus ``gradient_penalty``            -mean x_f
hinge             mean relu(1 - x_r) + mean relu(1 + x_f)    -mean x_f
================  =========================================  ================================

(x_r, x_f: logits on real and generated data.) Each loss with a TF-GAN counterpart gives
the same number as ``tfgan.losses.wargs``; ``tests/test_losses.py`` checks this. The one
difference is TF-GAN's ``minimax_generator_loss``: it is our loss plus a constant
(``-log(1 + e^-1)`` at its default settings), which changes no gradient.
``get_loss(name)`` returns a :class:`GANLoss` from the registry ``LOSSES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import tensorflow as tf

from . import argchecks

__all__ = [
    "DEFAULT_LOSS",
    "GANLoss",
    "LOSSES",
    "LOSS_NAMES",
    "get_loss",
    "gradient_penalty",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]


def _logits(name: str, value: Any) -> tf.Tensor:
    """Return ``value`` as float32 logits ``(N,)``; raise ValueError unless (N,) or (N, 1)."""
    logits = tf.convert_to_tensor(value)
    if logits.dtype != tf.float32:
        logits = tf.cast(logits, tf.float32)
    shape = logits.shape
    if shape.rank is not None and not (
        shape.rank == 1 or (shape.rank == 2 and shape[1] in (1, None))
    ):
        raise ValueError(
            f"{name} must have shape (N,) or (N, 1), one logit per example, got "
            f"{tuple(shape.as_list())}. Pass the discriminator's raw output, one score per example."
        )
    return tf.reshape(logits, [-1])


def _mean(values: tf.Tensor) -> tf.Tensor:
    """Return the mean of ``values`` as a scalar tensor."""
    return tf.reduce_mean(values)


def _cross_entropy(labels: float, logits: tf.Tensor) -> tf.Tensor:
    """Return mean sigmoid cross-entropy of ``logits`` against a constant target ``labels``."""
    targets = tf.fill(tf.shape(logits), tf.constant(labels, tf.float32))
    return _mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits))


# --------------------------------------------------------------------------- minimax family


def minimax_discriminator_loss(
    real_logits: Any, fake_logits: Any, label_smoothing: float = 0.0
) -> tf.Tensor:
    """Return -mean log D(x) - mean log(1 - D(G(z))), the discriminator's cross-entropy.

    ``label_smoothing`` (one-sided, real data only) follows the ``tf.losses`` convention
    that TF-GAN uses: the real target becomes ``1 - label_smoothing / 2``, so 0.2 gives 0.9.
    TF-GAN's own default is 0.25; ours is 0 (no smoothing).
    """
    smoothing = argchecks.in_range("label_smoothing", label_smoothing, 0.0, 1.0)
    real = _logits("real_logits", real_logits)
    fake = _logits("fake_logits", fake_logits)
    return _cross_entropy(1.0 - 0.5 * smoothing, real) + _cross_entropy(0.0, fake)


def minimax_generator_loss(fake_logits: Any) -> tf.Tensor:
    """Return mean log(1 - D(G(z))), the saturating generator loss of the original minimax game.

    It is minus the discriminator's loss on fakes. Its gradient vanishes when D confidently
    rejects the fakes, early in training: prefer :func:`non_saturating_generator_loss`.
    """
    return -_cross_entropy(0.0, _logits("fake_logits", fake_logits))


def non_saturating_generator_loss(fake_logits: Any) -> tf.Tensor:
    """Return -mean log D(G(z)), the non-saturating generator loss (TF-GAN: "modified")."""
    return _cross_entropy(1.0, _logits("fake_logits", fake_logits))


# --------------------------------------------------------------------------- least squares


def least_squares_discriminator_loss(
    real_logits: Any, fake_logits: Any, real_label: float = 1.0, fake_label: float = 0.0
) -> tf.Tensor:
    """Return mean (real - real_label)^2 / 2 + mean (fake - fake_label)^2 / 2 (LSGAN)."""
    real = _logits("real_logits", real_logits)
    fake = _logits("fake_logits", fake_logits)
    return 0.5 * _mean(tf.square(real - real_label)) + 0.5 * _mean(tf.square(fake - fake_label))


def least_squares_generator_loss(fake_logits: Any, real_label: float = 1.0) -> tf.Tensor:
    """Return mean (fake - real_label)^2 / 2, the LSGAN generator loss."""
    return 0.5 * _mean(tf.square(_logits("fake_logits", fake_logits) - real_label))


# --------------------------------------------------------------------------- Wasserstein


def wasserstein_discriminator_loss(real_logits: Any, fake_logits: Any) -> tf.Tensor:
    """Return mean critic(fake) - mean critic(real), the WGAN critic loss."""
    real = _logits("real_logits", real_logits)
    fake = _logits("fake_logits", fake_logits)
    return _mean(fake) - _mean(real)


def wasserstein_generator_loss(fake_logits: Any) -> tf.Tensor:
    """Return -mean critic(fake), the WGAN (and hinge) generator loss."""
    return -_mean(_logits("fake_logits", fake_logits))


def gradient_penalty(
    discriminator: Callable[..., Any],
    real: Any,
    fake: Any,
    labels: Any = None,
    weight: float = 10.0,
    seed: int | None = None,
    training: bool = True,
) -> tf.Tensor:
    """Return the WGAN-GP penalty: weight * mean (||grad_x D(x_hat)||_2 - 1)^2.

    ``x_hat = real + eps * (fake - real)`` with one ``eps ~ U(0, 1)`` per example (``seed``
    is the op seed of ``tf.random.uniform``). A conditional ``discriminator`` is called
    as ``discriminator([x_hat, labels])`` when ``labels`` is given.
    """
    weight = argchecks.positive_float("weight", weight)
    real = tf.cast(tf.convert_to_tensor(real), tf.float32)
    fake = tf.cast(tf.convert_to_tensor(fake), tf.float32)
    if not real.shape.is_compatible_with(fake.shape):
        raise ValueError(
            f"real and fake must have the same shape, got {tuple(real.shape.as_list())} "
            f"and {tuple(fake.shape.as_list())}."
        )
    if real.shape.rank is None or real.shape.rank < 2:
        raise ValueError(f"real must be a batch (N, ...), got shape {real.shape}.")
    eps_shape = tf.concat([tf.shape(real)[:1], tf.ones([real.shape.rank - 1], tf.int32)], 0)
    eps = tf.random.uniform(eps_shape, seed=seed)
    mixed = real + eps * (fake - real)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        inputs = mixed if labels is None else [mixed, tf.convert_to_tensor(labels)]
        scores = discriminator(inputs, training=training)
    grads = tape.gradient(scores, mixed)
    # The tiny constant keeps the square root differentiable where a gradient is zero.
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=list(range(1, real.shape.rank))) + 1e-10)
    return weight * _mean(tf.square(norms - 1.0))


# --------------------------------------------------------------------------- hinge


def hinge_discriminator_loss(real_logits: Any, fake_logits: Any) -> tf.Tensor:
    """Return mean relu(1 - real) + mean relu(1 + fake), the hinge discriminator loss."""
    real = _logits("real_logits", real_logits)
    fake = _logits("fake_logits", fake_logits)
    return _mean(tf.nn.relu(1.0 - real)) + _mean(tf.nn.relu(1.0 + fake))


def hinge_generator_loss(fake_logits: Any) -> tf.Tensor:
    """Return -mean fake, the hinge generator loss (the same as the Wasserstein one)."""
    return wasserstein_generator_loss(fake_logits)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class GANLoss:
    """A named pair: ``discriminator(real_logits, fake_logits)`` and ``generator(fake_logits)``.

    ``gradient_penalty`` says whether training should add :func:`gradient_penalty` to the
    discriminator's loss.
    """

    name: str
    discriminator: Callable[..., tf.Tensor]
    generator: Callable[..., tf.Tensor]
    gradient_penalty: bool
    description: str


_REGISTRY = (
    GANLoss(
        "minimax",
        minimax_discriminator_loss,
        minimax_generator_loss,
        False,
        "The original minimax game: G minimises log(1 - D(G(z))), whose gradient vanishes "
        "while D easily spots the fakes.",
    ),
    GANLoss(
        "non_saturating",
        minimax_discriminator_loss,
        non_saturating_generator_loss,
        False,
        "The usual choice: D as in minimax, G maximises log D(G(z)), which gives strong "
        "gradients early in training.",
    ),
    GANLoss(
        "least_squares",
        least_squares_discriminator_loss,
        least_squares_generator_loss,
        False,
        "LSGAN: squared distance of D's raw output to targets 1 (real) and 0 (fake).",
    ),
    GANLoss(
        "wasserstein",
        wasserstein_discriminator_loss,
        wasserstein_generator_loss,
        False,
        "WGAN: the critic's score gap estimates the Wasserstein distance; the critic must "
        "be kept Lipschitz (the paper clips its weights), or it diverges.",
    ),
    GANLoss(
        "wasserstein_gp",
        wasserstein_discriminator_loss,
        wasserstein_generator_loss,
        True,
        "WGAN-GP: the Wasserstein loss plus a gradient penalty that keeps the critic's "
        "gradient norm near 1.",
    ),
    GANLoss(
        "hinge",
        hinge_discriminator_loss,
        hinge_generator_loss,
        False,
        "Hinge loss (SNGAN, BigGAN): D only pushes real scores above 1 and fake scores below -1.",
    ),
)

#: Losses by name.
LOSSES: dict[str, GANLoss] = {loss.name: loss for loss in _REGISTRY}
#: The names ``get_loss`` accepts.
LOSS_NAMES: tuple[str, ...] = tuple(LOSSES)
#: The loss the course trains with unless told otherwise.
DEFAULT_LOSS = "non_saturating"


def get_loss(name: str = DEFAULT_LOSS) -> GANLoss:
    """Return the :class:`GANLoss` called ``name``; raise ValueError listing valid names."""
    return LOSSES[argchecks.choice("loss", name, LOSS_NAMES)]
