"""Training a GAN: one discriminator step, one generator step, and the loop around them.

The two steps are plain functions so the notebooks can teach them one at a time:

* :func:`discriminator_step` shows D a batch of real data (target "real") and a batch of
  generated data (target "fake") and updates **only D**; G is used but not changed.
* :func:`generator_step` generates a batch, asks D for its verdict, and backpropagates G's
  loss through D into G, updating **only G**.

:class:`GANTrainer` holds the models, the optimizers and the loss, and runs those steps as
compiled ``tf.function`` graphs (under a ``tf.distribute`` strategy if it is given one).
:func:`train` is the loop: k discriminator steps per generator step (or both at once),
a :class:`~gancourse.history.History` of every step, a sample grid from fixed noise per
epoch, and a run folder that survives a crash and can be resumed.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from . import argchecks, runs
from .history import HISTORY_FILE, START_AGAIN, History, atomic_save
from .losses import GANLoss, get_loss, gradient_penalty
from .models import is_conditional, noise_dim_of
from .runs import CHECKPOINT_DIR, DISCRIMINATOR_FILE, GENERATOR_FILE

#: Settings tuned for a model of ``models.GAN_MODELS`` (see docs/benchmarks.md): GANTrainer
#: keyword arguments plus ``batch_size``. The command line and the benchmark use them; other
#: models take the defaults. The slim DCGAN learns much faster per second with Adam steps of
#: 1.4e-3 (the DCGAN paper: 2e-4) and batches of 32 (twice the steps in the same time); after
#: 2,000 steps the rates shrink (KeepThenDecay), or the samples get worse again.
TUNED_SETTINGS: dict[str, dict[str, float]] = {
    "dcgan": {
        "d_learning_rate": 1.4e-3,
        "g_learning_rate": 1.4e-3,
        "decay_after": 2000,
        "batch_size": 32,
    },
}
# The conditional DCGAN shares the DCGAN's layers, and its settings (notebook 07; measured in
# docs/benchmarks.md, "Conditional GANs").
TUNED_SETTINGS["cdcgan"] = dict(TUNED_SETTINGS["dcgan"])
DEFAULT_BATCH_SIZE = 64


def tuned_settings(model: str) -> tuple[dict[str, float], int]:
    """Return (GANTrainer keyword arguments, batch size) for ``model``: tuned, or the defaults."""
    settings = dict(TUNED_SETTINGS.get(model, {}))
    batch_size = int(settings.pop("batch_size", DEFAULT_BATCH_SIZE))
    return settings, batch_size


def _with_labels(x: Any, labels: Any) -> Any:
    """Return the model input: ``x`` alone, or ``[x, labels]`` for a conditional model."""
    return x if labels is None else [x, labels]


def _mean_probability(logits: tf.Tensor) -> tf.Tensor:
    """Return the mean of sigmoid(logits): D's average belief that its inputs are real."""
    return tf.reduce_mean(tf.sigmoid(logits))


def _replica_scale() -> float:
    """Return 1 / number of replicas, so summed replica gradients average instead."""
    return 1.0 / tf.distribute.get_strategy().num_replicas_in_sync


def with_instance_noise(
    x: Any, std: float, normal: Callable[[Any], tf.Tensor] = tf.random.normal
) -> Any:
    """Return ``x`` plus Gaussian noise of standard deviation ``std`` (``x`` itself if 0).

    ``normal(shape)`` draws the standard normal noise (a ``tf.random.Generator``'s ``normal``
    makes it reproducible).
    """
    return x + std * normal(tf.shape(x)) if std else x


def clip_weights(model: Any, clip: float | None) -> None:
    """Clip every trainable weight of ``model`` to [-clip, clip] (the original WGAN's critic)."""
    if clip is not None:
        for weight in model.trainable_variables:
            weight.assign(tf.clip_by_value(weight, -clip, clip))


def _apply(optimizer: keras.optimizers.Optimizer, tape: Any, loss: Any, model: keras.Model) -> None:
    """Backpropagate ``loss`` to ``model``'s weights and apply one optimizer update."""
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))


def _discriminator_loss(
    loss: GANLoss,
    discriminator: keras.Model,
    real: Any,
    fake: Any,
    labels: Any,
    label_smoothing: float,
    gp_weight: float,
    instance_noise: float = 0.0,
) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Return D's loss on a real and a fake batch, and its logits on each."""
    real = with_instance_noise(real, instance_noise)
    fake = with_instance_noise(fake, instance_noise)
    real_logits = discriminator(_with_labels(real, labels), training=True)
    fake_logits = discriminator(_with_labels(fake, labels), training=True)
    extra = {"label_smoothing": label_smoothing} if label_smoothing else {}
    d_loss = loss.discriminator(real_logits, fake_logits, **extra)
    if loss.gradient_penalty:
        d_loss += gradient_penalty(discriminator, real, fake, labels=labels, weight=gp_weight)
    return d_loss, real_logits, fake_logits


def discriminator_step(
    generator: keras.Model,
    discriminator: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    real: Any,
    noise: Any,
    loss: GANLoss,
    labels: Any = None,
    label_smoothing: float = 0.0,
    gp_weight: float = 10.0,
    instance_noise: float = 0.0,
    clip: float | None = None,
) -> dict[str, tf.Tensor]:
    """Update D once on ``real`` and ``G(noise)``; return d_loss, d_real and d_fake.

    G only produces the fakes: the gradient tape records D's computation alone and only
    D's weights are handed to the optimizer, so G does not change. ``instance_noise`` adds
    Gaussian noise of that standard deviation to everything D sees; ``clip`` clips D's
    weights after the update.
    """
    fake = generator(_with_labels(noise, labels), training=True)
    with tf.GradientTape() as tape:
        d_loss, real_logits, fake_logits = _discriminator_loss(
            loss, discriminator, real, fake, labels, label_smoothing, gp_weight, instance_noise
        )
        scaled = d_loss * _replica_scale()
    _apply(optimizer, tape, scaled, discriminator)
    clip_weights(discriminator, clip)
    return {
        "d_loss": d_loss,
        "d_real": _mean_probability(real_logits),
        "d_fake": _mean_probability(fake_logits),
    }


def generator_step(
    generator: keras.Model,
    discriminator: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    noise: Any,
    loss: GANLoss,
    labels: Any = None,
    instance_noise: float = 0.0,
) -> dict[str, tf.Tensor]:
    """Update G once so that D takes ``G(noise)`` for real; return g_loss and d_fake.

    The six steps: sample noise (given), generate, let D judge, compute G's loss,
    backpropagate through D *and* G, and apply the gradients to G's weights only.
    """
    with tf.GradientTape() as tape:
        fake = generator(_with_labels(noise, labels), training=True)
        fake = with_instance_noise(fake, instance_noise)
        fake_logits = discriminator(_with_labels(fake, labels), training=True)
        g_loss = loss.generator(fake_logits)
        scaled = g_loss * _replica_scale()
    _apply(optimizer, tape, scaled, generator)
    return {"g_loss": g_loss, "d_fake": _mean_probability(fake_logits)}


def simultaneous_step(
    generator: keras.Model,
    discriminator: keras.Model,
    d_optimizer: keras.optimizers.Optimizer,
    g_optimizer: keras.optimizers.Optimizer,
    real: Any,
    noise: Any,
    loss: GANLoss,
    labels: Any = None,
    label_smoothing: float = 0.0,
    gp_weight: float = 10.0,
    instance_noise: float = 0.0,
    clip: float | None = None,
) -> dict[str, tf.Tensor]:
    """Update D and G together from one forward pass (as TensorFlow's DCGAN tutorial does)."""
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = generator(_with_labels(noise, labels), training=True)
        d_loss, real_logits, fake_logits = _discriminator_loss(
            loss, discriminator, real, fake, labels, label_smoothing, gp_weight, instance_noise
        )
        g_loss = loss.generator(fake_logits)
        scale = _replica_scale()
        d_scaled, g_scaled = d_loss * scale, g_loss * scale
    _apply(d_optimizer, d_tape, d_scaled, discriminator)
    _apply(g_optimizer, g_tape, g_scaled, generator)
    clip_weights(discriminator, clip)
    return {
        "d_loss": d_loss,
        "g_loss": g_loss,
        "d_real": _mean_probability(real_logits),
        "d_fake": _mean_probability(fake_logits),
    }


def _to_floats(values: dict[str, Any]) -> dict[str, float]:
    """Return a dict of tensors as Python floats."""
    return {k: float(v) for k, v in values.items()}


class KeepThenDecay(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate that stays at ``rate`` for ``keep`` updates, then falls as ``keep / t``.

    Large Adam steps make a small GAN learn fast, but later they keep it jittering around
    its equilibrium instead of settling (docs/benchmarks.md); after update ``keep`` the
    rate shrinks in proportion to the number of updates: half at ``2 * keep``.
    """

    def __init__(self, rate: float, keep: int) -> None:
        self.rate = float(rate)
        self.keep = int(keep)

    def __call__(self, step: Any) -> tf.Tensor:
        step = tf.maximum(tf.cast(step, tf.float32), 1.0)
        return self.rate * tf.minimum(1.0, self.keep / step)

    def get_config(self) -> dict[str, Any]:
        return {"rate": self.rate, "keep": self.keep}


def _adam(rate: float, decay_after: int | None, beta_1: float) -> keras.optimizers.Adam:
    """Return Adam at ``rate``, shrinking after ``decay_after`` updates if that is given."""
    schedule = rate if decay_after is None else KeepThenDecay(rate, decay_after)
    return keras.optimizers.Adam(schedule, beta_1=beta_1)


def follow_average(average: keras.Model, model: keras.Model, decay: float, updates: Any) -> None:
    """Move ``average``'s weights towards ``model``'s after ``updates`` updates of ``model``.

    The decay used is min(``decay``, (1 + t) / (10 + t)): small at first, so that the
    average forgets the untrained first weights quickly.
    """
    t = tf.cast(updates, tf.float32)
    beta = tf.minimum(decay, (1.0 + t) / (10.0 + t))
    for mean, current in zip(average.weights, model.weights, strict=True):
        mean.assign(beta * mean + (1.0 - beta) * current)


class GANTrainer:
    """A generator, a discriminator, their Adam optimizers and a loss, with compiled steps.

    With ``decay_after=N`` each player's learning rate holds for its first N updates and
    then shrinks as N / t (``KeepThenDecay``); by default it stays constant.
    Stabilisers (notebook 06): ``label_smoothing`` (one-sided), ``d_steps`` D updates per G
    update, two learning rates, ``instance_noise`` (Gaussian noise of that standard deviation
    on everything D sees) and ``clip`` (D's weights clipped after each update, for the
    original Wasserstein loss).
    With ``average_decay=d`` it also keeps ``average_generator``: after every G update its
    weights move to ``d * average + (1 - d) * G's weights``, an average over G's last
    ``1 / (1 - d)`` or so updates, which draws steadier samples than G itself
    (``generate(..., average=True)``; docs/benchmarks.md, "An averaged generator").
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        *,
        loss: str = "non_saturating",
        d_learning_rate: float = 2e-4,
        g_learning_rate: float = 2e-4,
        decay_after: int | None = None,
        beta_1: float = 0.5,
        d_steps: int = 1,
        simultaneous: bool = False,
        label_smoothing: float = 0.0,
        gp_weight: float = 10.0,
        instance_noise: float = 0.0,
        clip: float | None = None,
        average_decay: float | None = None,
        strategy: tf.distribute.Strategy | None = None,
    ) -> None:
        self.generator = generator
        self.discriminator = discriminator
        self.loss = get_loss(loss)
        self.noise_dim = noise_dim_of(generator)
        self.conditional = self._check_pair(generator, discriminator)
        self.num_classes = (
            generator.get_layer("label_embedding").input_dim if self.conditional else None
        )
        self.d_steps = argchecks.positive_int("d_steps", d_steps)
        if simultaneous and d_steps != 1:
            raise ValueError("d_steps must be 1 with simultaneous=True (both update together).")
        self.simultaneous = bool(simultaneous)
        self.label_smoothing = argchecks.in_range("label_smoothing", label_smoothing, 0.0, 1.0)
        if (
            label_smoothing
            and "label_smoothing" not in inspect.signature(self.loss.discriminator).parameters
        ):
            raise ValueError(
                f"label_smoothing applies to the minimax and non_saturating losses, not {loss!r}."
            )
        self.gp_weight = argchecks.positive_float("gp_weight", gp_weight)
        self.instance_noise = argchecks.in_range("instance_noise", instance_noise, 0.0, 10.0)
        self.clip = None if clip is None else argchecks.positive_float("clip", clip)
        self.d_learning_rate = argchecks.positive_float("d_learning_rate", d_learning_rate)
        self.g_learning_rate = argchecks.positive_float("g_learning_rate", g_learning_rate)
        self.decay_after = (
            None if decay_after is None else argchecks.positive_int("decay_after", decay_after)
        )
        self.beta_1 = argchecks.in_range("beta_1", beta_1, 0.0, 1.0)
        self.average_decay = None
        if average_decay is not None:
            self.average_decay = argchecks.in_range("average_decay", average_decay, 0.0, 1.0)
            if self.average_decay in (0.0, 1.0):
                raise ValueError(
                    "average_decay must lie strictly between 0 and 1 (0.99 averages about the "
                    f"last 100 updates), got {average_decay}; leave it None for no average."
                )
        self.average_generator: keras.Model | None = None
        self.strategy = strategy or tf.distribute.get_strategy()
        with self.strategy.scope():
            if self.average_decay is not None:
                self.average_generator = keras.models.clone_model(generator)
                self.average_generator.set_weights(generator.get_weights())
            self.d_optimizer = _adam(self.d_learning_rate, self.decay_after, self.beta_1)
            self.g_optimizer = _adam(self.g_learning_rate, self.decay_after, self.beta_1)
            # Optimizer slots must exist before the first compiled step runs.
            self.d_optimizer.build(discriminator.trainable_variables)
            self.g_optimizer.build(generator.trainable_variables)
        self._d_step = self._compiled(self._d_replica_step)
        self._g_step = self._compiled(self._g_replica_step, after=self._update_average)
        self._both_step = self._compiled(self._both_replica_step, after=self._update_average)

    def _check_pair(self, generator: keras.Model, discriminator: keras.Model) -> bool:
        """Return True if the pair is conditional; ValueError if only one of them is."""
        conditional = is_conditional(generator)
        if conditional != is_conditional(discriminator):
            raise ValueError(
                "generator and discriminator must both be conditional or both unconditional; "
                f"got conditional generator={conditional}."
            )
        return conditional

    def extra_settings(self) -> dict[str, Any]:
        """Return settings a subclass adds to a run's settings (none here)."""
        return {}

    # ----------------------------------------------------------------- steps on one replica

    def _noise_like(self, batch: Any) -> tf.Tensor:
        return tf.random.normal([tf.shape(batch)[0], self.noise_dim])

    def _d_replica_step(self, real: Any, labels: Any, noise: Any = None) -> dict[str, tf.Tensor]:
        noise = self._noise_like(real) if noise is None else noise
        return discriminator_step(
            self.generator, self.discriminator, self.d_optimizer, real, noise,
            self.loss, labels, self.label_smoothing, self.gp_weight, self.instance_noise,
            self.clip,
        )  # fmt: skip

    def _g_replica_step(self, real: Any, labels: Any, noise: Any = None) -> dict[str, tf.Tensor]:
        noise = self._noise_like(real) if noise is None else noise
        return generator_step(
            self.generator, self.discriminator, self.g_optimizer, noise, self.loss, labels,
            self.instance_noise,
        )  # fmt: skip

    def _both_replica_step(self, real: Any, labels: Any, noise: Any = None) -> dict[str, tf.Tensor]:
        return simultaneous_step(
            self.generator, self.discriminator, self.d_optimizer, self.g_optimizer, real,
            self._noise_like(real), self.loss, labels, self.label_smoothing, self.gp_weight,
            self.instance_noise, self.clip,
        )  # fmt: skip

    def _update_average(self) -> None:
        """Move the average generator, if there is one, towards G (:func:`follow_average`)."""
        if self.average_generator is not None:
            follow_average(
                self.average_generator, self.generator, self.average_decay,
                self.g_optimizer.iterations,
            )  # fmt: skip

    def _compiled(
        self, replica_fn: Callable[..., dict], after: Callable[[], None] | None = None
    ) -> Callable[..., dict]:
        """Return ``replica_fn`` run on every replica and averaged, as one tf.function.

        ``after()``, if given, runs once per step after the replicas' updates.
        """
        strategy = self.strategy

        def step(real: Any, labels: Any, noise: Any = None) -> dict[str, tf.Tensor]:
            results = strategy.run(replica_fn, args=(real, labels, noise))
            if after is not None:
                after()
            return {
                k: strategy.reduce(tf.distribute.ReduceOp.MEAN, v, axis=None)
                for k, v in results.items()
            }

        return tf.function(step, reduce_retracing=True)

    # ----------------------------------------------------------------- public steps

    def _labels_for(self, real: Any, labels: Any) -> Any:
        """Return ``labels`` as an int tensor, checking that conditional models get them."""
        if self.conditional and labels is None:
            raise ValueError("This conditional GAN needs labels: pass labels=... with the batch.")
        if not self.conditional and labels is not None:
            raise ValueError("labels were given, but the models are not conditional.")
        return None if labels is None else tf.cast(labels, tf.int32)

    def _random_labels(self, n: int) -> tf.Tensor | None:
        return tf.random.uniform([n], 0, self.num_classes, tf.int32) if self.conditional else None

    def train_discriminator(self, real: Any, labels: Any = None) -> dict[str, float]:
        """Run one discriminator step on a real batch; return its numbers as floats."""
        real = tf.convert_to_tensor(real, tf.float32)
        return _to_floats(self._d_step(real, self._labels_for(real, labels)))

    def train_generator(self, batch_size: int, labels: Any = None) -> dict[str, float]:
        """Run one generator step on ``batch_size`` fresh noise vectors; return its numbers."""
        n = argchecks.positive_int("batch_size", batch_size)
        labels = self._random_labels(n) if labels is None else labels
        placeholder = tf.zeros([n, 1])  # only its batch size is used
        return _to_floats(self._g_step(placeholder, self._labels_for(placeholder, labels)))

    def _given_noise(self, noise: Any, n: int) -> tuple[tf.Tensor, tf.Tensor]:
        """Return a (D's noise, G's noise) pair checked to be two (n, noise size) matrices."""
        if len(noise) != 2:
            raise ValueError("noise must be a pair: (noise for D's step, noise for G's step).")
        pair = []
        for which, part in zip(("D's", "G's"), noise, strict=True):
            part = argchecks.matrix(f"{which} noise", part)
            if part.shape != (n, self.noise_dim):
                raise ValueError(
                    f"{which} noise must have shape ({n}, {self.noise_dim}): one noise vector "
                    f"per real image, got {part.shape}."
                )
            pair.append(tf.constant(part, tf.float32))
        return pair[0], pair[1]

    def train_step(self, real: Any, labels: Any = None, noise: Any = None) -> dict[str, float]:
        """Run one D step and one G step (or one simultaneous step); return all numbers.

        ``noise`` is an optional pair (noise for D's step, noise for G's step), each of shape
        (batch, noise size); by default each step draws its own.
        """
        real = tf.convert_to_tensor(real, tf.float32)
        labels = self._labels_for(real, labels)
        d_noise = g_noise = None
        if noise is not None:
            if self.simultaneous:
                raise ValueError("noise=... is for alternating steps, not simultaneous=True.")
            d_noise, g_noise = self._given_noise(noise, real.shape[0])
        if self.simultaneous:
            return _to_floats(self._both_step(real, labels))
        d = self._d_step(real, labels, d_noise)
        g = self._g_step(real, labels, g_noise)
        return _to_floats({**d, "g_loss": g["g_loss"]})

    # ----------------------------------------------------------------- looking at the models

    def sample_noise(self, n: int, seed: int | None = None) -> tf.Tensor:
        """Return ``n`` standard-normal noise vectors (repeatable when ``seed`` is given)."""
        n = argchecks.positive_int("n", n)
        if seed is None:
            return tf.random.normal([n, self.noise_dim])
        rng = np.random.default_rng(seed)
        return tf.constant(rng.standard_normal((n, self.noise_dim)), tf.float32)

    def generate(
        self, noise: Any, labels: Any = None, batch_size: int = 500, average: bool = False
    ) -> np.ndarray:
        """Return G's outputs as a NumPy array for ``noise`` (or for that many new vectors).

        ``average=True`` draws with the average generator (``average_decay``) instead.
        """
        generator = self.generator
        if average:
            if self.average_generator is None:
                raise ValueError(
                    "average=True needs an average generator: create the trainer with "
                    "average_decay=0.99 (for example) and train it."
                )
            generator = self.average_generator
        if isinstance(noise, (int, np.integer)):
            noise = self.sample_noise(int(noise))
        noise = tf.convert_to_tensor(noise, tf.float32)
        if self.conditional and labels is None:
            labels = np.arange(noise.shape[0]) % self.num_classes
        chunks = []
        for start in range(0, noise.shape[0], batch_size):
            part = slice(start, start + batch_size)
            lab = None if labels is None else tf.cast(np.asarray(labels)[part], tf.int32)
            chunks.append(generator(_with_labels(noise[part], lab), training=False).numpy())
        return np.concatenate(chunks)

    def discriminator_probabilities(self, x: Any, labels: Any = None) -> np.ndarray:
        """Return D's probability that each input is real, shape (N,)."""
        logits = self.discriminator(_with_labels(tf.convert_to_tensor(x, tf.float32), labels))
        return tf.sigmoid(tf.reshape(logits, [-1])).numpy()

    def generator_gradients(self, noise: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return (G(noise), the direction G's loss moves each sample: -dL_G/dG(z) times N)."""
        noise = tf.convert_to_tensor(noise, tf.float32)
        fake = self.generator(noise, training=False)
        with tf.GradientTape() as tape:
            tape.watch(fake)
            g_loss = self.loss.generator(self.discriminator(fake, training=False))
        grads = tape.gradient(g_loss, fake)
        return fake.numpy(), -grads.numpy() * noise.shape[0]

    def checkpoint(self) -> tf.train.Checkpoint:
        """Return a checkpoint object holding both models, both optimizers (and the average)."""
        parts = (
            {} if self.average_generator is None else {"average_generator": self.average_generator}
        )
        return tf.train.Checkpoint(
            generator=self.generator,
            discriminator=self.discriminator,
            d_optimizer=self.d_optimizer,
            g_optimizer=self.g_optimizer,
            **parts,
        )


# --------------------------------------------------------------------------- the loop


def _check_data(
    trainer: GANTrainer, images: Any, labels: Any
) -> tuple[np.ndarray, np.ndarray | None]:
    """Return ``images`` checked against G's output shape, and labels (None if unconditional)."""
    shape = (None, *trainer.generator.output_shape[1:])
    if len(shape) == 4:
        data = argchecks.images("images", images, shape=shape)
    else:
        data = argchecks.points("images", images, dim=shape[1]).astype(np.float32)
    if trainer.conditional:
        if labels is None:
            raise ValueError("labels are required to train a conditional GAN.")
        labels = np.asarray(labels, dtype=np.int32)
        if labels.shape != (len(data),):
            raise ValueError(f"labels must have shape ({len(data)},), got {labels.shape}.")
        return data, labels
    return data, None  # an unconditional GAN ignores labels


def _batches(
    data: np.ndarray, labels: np.ndarray | None, batch_size: int, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """Yield one epoch of shuffled, full batches of (images, labels or None).

    Plain NumPy indexing: on a small CPU a tf.data shuffle buffer costs a noticeable
    share of an epoch (docs/benchmarks.md), and the data fit in memory anyway.
    """
    order = np.random.default_rng(seed).permutation(len(data))
    for start in range(0, len(data) - batch_size + 1, batch_size):
        part = order[start : start + batch_size]
        yield data[part], None if labels is None else labels[part]


class TrainingDiverged(RuntimeError):
    """Raised when a loss or a weight became NaN or infinite; that epoch was not written."""


class _Divergence(Exception):
    """Raised inside an epoch: ``str(self)`` says what became NaN or infinite."""


def _architecture(model: keras.Model) -> str:
    """Return a model's parameter count and a digest of its layer types and weight shapes."""
    layout = [
        (type(layer).__name__, [tuple(w.shape) for w in layer.weights]) for layer in model.layers
    ]
    digest = hashlib.sha256(repr(layout).encode()).hexdigest()[:10]
    return f"{model.count_params():,} parameters, layout {digest}"


def _run_settings(
    trainer: GANTrainer, batch_size: int, seed: int, examples: int, num_samples: int
) -> dict[str, Any]:
    """Return what makes a run: resuming it with any other value is refused."""
    return {
        "generator": trainer.generator.name,
        "generator_layout": _architecture(trainer.generator),
        "discriminator": trainer.discriminator.name,
        "discriminator_layout": _architecture(trainer.discriminator),
        "loss": trainer.loss.name,
        "d_steps": trainer.d_steps,
        "simultaneous": trainer.simultaneous,
        "d_learning_rate": trainer.d_learning_rate,
        "g_learning_rate": trainer.g_learning_rate,
        "decay_after": trainer.decay_after,
        "beta_1": trainer.beta_1,
        "label_smoothing": trainer.label_smoothing,
        "gp_weight": trainer.gp_weight,
        # Only when used, so that runs saved before these options existed still resume.
        **({"instance_noise": trainer.instance_noise} if trainer.instance_noise else {}),
        **({"clip": trainer.clip} if trainer.clip is not None else {}),
        **({"average_decay": trainer.average_decay} if trainer.average_decay else {}),
        **trainer.extra_settings(),
        "batch_size": batch_size,
        "seed": seed,
        "examples": examples,
        "num_samples": num_samples,
    }


def _variables(trainer: GANTrainer) -> list[tuple[str, Any]]:
    """Return (name, variable) for all a checkpoint holds: weights and optimizer states."""
    owners = [
        (trainer.generator.name, trainer.generator.weights),
        (trainer.discriminator.name, trainer.discriminator.weights),
        ("the generator's optimizer", trainer.g_optimizer.variables),
        ("the discriminator's optimizer", trainer.d_optimizer.variables),
    ]
    if trainer.average_generator is not None:
        owners.append(("the average generator", trainer.average_generator.weights))
    return [
        (f"{owner} {getattr(v, 'path', v.name)}", v)
        for owner, variables in owners
        for v in variables
    ]


def _snapshot(trainer: GANTrainer) -> list[np.ndarray]:
    """Return copies of all of the trainer's variables; a _Divergence if one is not finite."""
    values = []
    for name, variable in _variables(trainer):
        values.append(np.array(variable.numpy()))
        if not np.all(np.isfinite(values[-1])):
            raise _Divergence(f"the weight {name} became NaN or infinite")
    return values


def _roll_back(trainer: GANTrainer, values: list[np.ndarray]) -> None:
    """Set the trainer's variables back to a :func:`_snapshot`."""
    for (_, variable), value in zip(_variables(trainer), values, strict=True):
        variable.assign(value)


def _restore_checkpoint(trainer: GANTrainer, prefix: Path) -> None:
    """Load a run's checkpoint into the trainer; an error naming it if that fails."""
    try:
        trainer.checkpoint().read(str(prefix)).assert_existing_objects_matched()
    except Exception as error:  # missing, damaged or foreign files: TF raises many kinds
        raise ValueError(
            f"The checkpoint {prefix} cannot be restored into these models "
            f"({runs.describe_error(error)}). To go on, {START_AGAIN}."
        ) from error
    try:
        _snapshot(trainer)
    except _Divergence as broken:  # written before training checked for divergence
        raise ValueError(
            f"The checkpoint {prefix} cannot be continued: in it, {broken}. To go on, "
            f"{START_AGAIN}."
        ) from None


def _open_run(
    trainer: GANTrainer, folder: Path, resume: bool, overwrite: bool, settings: dict[str, Any]
) -> History | None:
    """Make the locked ``folder`` ready; return the history to continue, or None to start."""
    if (folder / HISTORY_FILE).exists() and resume:
        history = History.load(folder)
        runs.check_same_settings(folder, history.config, settings)
        prefix = runs.committed_checkpoint(
            folder, history.config.get("checkpoint"), history.num_epochs
        )
        runs.remove_leftovers(folder, keep=None if prefix is None else prefix.name)
        if prefix is not None:
            _restore_checkpoint(trainer, prefix)
        return history
    if (folder / HISTORY_FILE).exists() and not overwrite:
        raise FileExistsError(
            f"{folder} already holds a training run. Pass resume=True (--resume) to continue "
            "it, overwrite=True (--overwrite) to start again, or choose another folder."
        )
    if overwrite:
        runs.refuse_foreign(folder)
    elif resume:
        print(f"No training run in {folder} yet: starting a new one.")
    runs.remove_run_files(folder)  # a run, or what an unfinished first epoch left
    return None


def _save_epoch(trainer: GANTrainer, history: History, folder: Path, lock: runs.RunLock) -> None:
    """Write the epoch: checkpoint and models, then the history that points to them (which
    commits it); then remove the previous checkpoint."""
    previous = history.config.get("checkpoint")
    name = f"epoch_{history.num_epochs:04d}"
    lock.confirm()
    try:
        trainer.checkpoint().write(str(folder / CHECKPOINT_DIR / name))
        save_models(trainer, folder)
        history.config["checkpoint"] = name
        history.save(folder)
    except (OSError, tf.errors.OpError) as error:
        history.config["checkpoint"] = previous
        with contextlib.suppress(OSError):
            runs.remove_leftovers(folder, keep=previous)
        raise runs.write_error(folder, error, history.num_epochs) from error
    runs.remove_leftovers(folder, keep=name)


def save_models(trainer: GANTrainer, run_dir: str | Path) -> None:
    """Write generator.keras and discriminator.keras into ``run_dir`` atomically."""
    run_dir = Path(run_dir)
    for model, filename in (
        (trainer.generator, GENERATOR_FILE),
        (trainer.discriminator, DISCRIMINATOR_FILE),
    ):
        atomic_save(run_dir / filename, model.save)


def _first_not_finite(values: dict[str, float]) -> str | None:
    return next((k for k, v in values.items() if not math.isfinite(v)), None)


def _train_steps(
    trainer: GANTrainer,
    batches: Iterator[tuple[np.ndarray, np.ndarray | None]],
    history: History,
    bar: Any,
    max_seconds: float | None,
    lock: runs.RunLock | None,
) -> bool:
    """Record one epoch's steps in ``history``; return True if time ran out before its end.

    Raises _Divergence at the first step whose numbers are not finite, before recording it.
    """
    start, before = time.perf_counter(), history.elapsed
    for _ in bar:
        d_values = [trainer.train_discriminator(*next(batches)) for _ in range(trainer.d_steps - 1)]
        values = trainer.train_step(*next(batches))
        if d_values:
            values["d_loss"] = float(np.mean([v["d_loss"] for v in d_values] + [values["d_loss"]]))
        bad = _first_not_finite(values)
        if bad is not None:
            raise _Divergence(f"{bad} became {values[bad]} at step {history.num_steps + 1:,}")
        history.record_step(**values)
        bar.set_postfix(
            d_loss=f"{values['d_loss']:.3f}", g_loss=f"{values['g_loss']:.3f}", refresh=False
        )
        if lock is not None:
            lock.heartbeat()
        if max_seconds is not None and before + time.perf_counter() - start >= max_seconds:
            return True
    return False


def _train_epoch(
    trainer: GANTrainer,
    data: np.ndarray,
    labels: np.ndarray | None,
    history: History,
    *,
    batch_size: int,
    seed: int,
    epochs: int | None,
    max_seconds: float | None,
    progress: bool,
    fixed: tuple[tf.Tensor, np.ndarray | None],
    lock: runs.RunLock | None,
) -> list[np.ndarray]:
    """Train one epoch and record it (steps, sample grid, time); return a snapshot of its end.

    Raises _Divergence, before recording the epoch, if a number or a weight is not finite.
    """
    epoch = history.num_epochs + 1
    start, before = time.perf_counter(), history.elapsed
    bar = tqdm(
        range(len(data) // (batch_size * trainer.d_steps)),
        desc=f"epoch {epoch}" + (f"/{epochs}" if epochs else ""),
        leave=False,
        disable=not progress,
        mininterval=0.5,  # a notebook bar sends a message per refresh: keep them few
    )
    with contextlib.closing(bar):
        batches = _batches(data, labels, batch_size, seed + epoch)
        stopped_early = _train_steps(trainer, batches, history, bar, max_seconds, lock)
    end = _snapshot(trainer)
    samples = trainer.generate(*fixed)
    if not np.all(np.isfinite(samples)):
        raise _Divergence("the samples drawn from the fixed noise became NaN or infinite")
    history.record_epoch(
        samples, before + time.perf_counter() - start, partial=float(stopped_early)
    )
    return end


def _diverged(what: str, epoch: int, history: History, folder: Path | None) -> TrainingDiverged:
    """Return the error for a run that diverged in ``epoch`` (``history`` holds what is kept)."""
    kept = history.num_epochs
    back = f"the end of epoch {kept}" if kept else "where they started"
    saved = f" {folder} keeps epoch {kept}." if folder is not None and kept else ""
    again = ", with overwrite=True (--overwrite) or in another folder" if folder else ""
    return TrainingDiverged(
        f"Training diverged in epoch {epoch}: {what}. It stopped before writing anything of that "
        f"epoch, and the models and optimizers were set back to {back}.{saved} Steps that are "
        "too large make a GAN blow up like this: train again with a smaller learning rate "
        f"(half or less), another loss (for example least_squares) or another seed{again}."
    )


def train(
    trainer: GANTrainer,
    images: Any,
    labels: Any = None,
    *,
    epochs: int | None = None,
    max_seconds: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    run_dir: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    history: History | None = None,
    progress: bool = True,
    seed: int = 0,
    num_samples: int = 16,
    on_epoch: Callable[[History], None] | None = None,
) -> History:
    """Train until ``epochs`` epochs or ``max_seconds`` of training in total; return the history.

    Both limits count what ``history`` (or the resumed run) already holds, so passing the
    returned history back in, or re-running with ``resume=True``, continues the same run.
    One "step" is ``trainer.d_steps`` discriminator updates and one generator update; an
    epoch is one pass over ``images``. After every epoch the samples of a fixed noise batch
    are recorded, and with ``run_dir`` the epoch is written safely (see :mod:`gancourse.runs`):
    checkpoint, generator.keras and discriminator.keras, then the history, which commits it.
    ``resume=True`` continues the run in ``run_dir`` (or starts one there, saying so), and
    refuses one made with other settings; ``overwrite=True`` replaces it.
    ``on_epoch(history)`` is called after each epoch (widgets use it to follow training).
    A loss or weight that becomes NaN or infinite stops training with TrainingDiverged.
    """
    if epochs is None and max_seconds is None:
        raise ValueError("Say how long to train: give epochs=N, max_seconds=S, or both.")
    if epochs is not None:
        argchecks.positive_int("epochs", epochs)
    if max_seconds is not None:
        argchecks.positive_float("max_seconds", max_seconds)
    batch_size = argchecks.positive_int("batch_size", batch_size)
    num_samples = argchecks.positive_int("num_samples", num_samples)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    data, labels = _check_data(trainer, images, labels)
    if len(data) < batch_size * trainer.d_steps:
        raise ValueError(
            f"batch_size={batch_size} (x d_steps={trainer.d_steps}) is larger than the "
            f"{len(data)} training examples; use a smaller batch_size."
        )
    settings = _run_settings(trainer, batch_size, int(seed), len(data), num_samples)
    folder = None if run_dir is None else runs.run_folder(run_dir)
    with contextlib.nullcontext() if folder is None else runs.RunLock(folder) as lock:
        saved = None if folder is None else _open_run(trainer, folder, resume, overwrite, settings)
        history = saved or history or History()
        history.config.update(settings)
        try:
            good = _snapshot(trainer)
        except _Divergence as broken:
            raise ValueError(f"Before training, {broken}: build the models again.") from None
        fixed_noise = trainer.sample_noise(num_samples, seed=seed)
        fixed_labels = np.arange(num_samples) % trainer.num_classes if trainer.conditional else None
        while not (
            (epochs is not None and history.num_epochs >= epochs)
            or (max_seconds is not None and history.elapsed >= max_seconds)
        ):
            try:
                end = _train_epoch(
                    trainer, data, labels, history, batch_size=batch_size, seed=seed,
                    epochs=epochs, max_seconds=max_seconds, progress=progress,
                    fixed=(fixed_noise, fixed_labels), lock=lock,
                )  # fmt: skip
            except _Divergence as divergence:
                history.truncate(history.num_epochs)
                _roll_back(trainer, good)
                raise _diverged(str(divergence), history.num_epochs + 1, history, folder) from None
            if folder is not None:
                _save_epoch(trainer, history, folder, lock)
            good = end
            if on_epoch is not None:
                on_epoch(history)
    return history
