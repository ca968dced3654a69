"""Generated digits as extra training data: does a classifier trained on few real digits gain?

:func:`few_per_class` picks a small labelled set (say 10 digits of each class);
:func:`classifier_accuracy` trains the course's small CNN on some images for a fixed number
of steps and returns its accuracy on held-out digits. Comparing a classifier trained on the
few real digits alone with one trained on the same digits plus generated ones (same network,
steps, batch size and seed: only the data changes) shows what generated data is worth.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import argchecks
from .mnist_metrics import NUM_CLASSES, build_classifier, holdout_split

__all__ = ["classifier_accuracy", "few_per_class"]

#: Gradient steps of batch 32 for every classifier, whatever its data: enough for the CNN
#: to fit 100 digits (about 96 passes) or 1,100 (about 9), in a few seconds on a CPU.
STEPS = 300


def few_per_class(labels: Any, per_class: int, seed: int = 0) -> np.ndarray:
    """Return sorted indices of ``per_class`` randomly chosen examples of every class."""
    return holdout_split(labels, per_class, seed)[1]


def classifier_accuracy(
    images: Any,
    labels: Any,
    test_images: Any,
    test_labels: Any,
    *,
    steps: int = STEPS,
    batch_size: int = 32,
    seed: int = 0,
) -> float:
    """Return the test accuracy of the course's small CNN after ``steps`` steps on the images.

    The batches are drawn at random with replacement (seeded), so a classifier sees the
    same number of examples whatever the size of its training set. It seeds Python, NumPy
    and TensorFlow with ``seed`` (``gancourse.seed``), so random draws after it repeat.
    """
    import keras
    import tensorflow as tf

    from .seeding import seed as seed_everything
    from .training import _apply

    images = argchecks.images("images", images)
    labels = argchecks.labels("labels", labels, len(images), NUM_CLASSES)
    test_images = argchecks.images("test_images", test_images)
    test_labels = argchecks.labels("test_labels", test_labels, len(test_images), NUM_CLASSES)
    steps = argchecks.positive_int("steps", steps)
    batch_size = argchecks.positive_int("batch_size", batch_size)
    seed_everything(seed)
    model = build_classifier()
    optimizer = keras.optimizers.Adam(1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x: tf.Tensor, y: tf.Tensor) -> None:
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        _apply(optimizer, tape, loss, model)

    rng = np.random.default_rng(seed)
    for _ in range(steps):
        pick = rng.integers(0, len(images), batch_size)
        step(tf.constant(images[pick]), tf.constant(labels[pick]))
    # A plain call, not model.predict: predict compiles a function per model, and TensorFlow
    # warns about retracing when a notebook trains several classifiers in a row.
    logits = np.concatenate(
        [np.asarray(model(test_images[i : i + 500], training=False))
         for i in range(0, len(test_images), 500)]
    )  # fmt: skip
    return float(np.mean(np.argmax(logits, axis=1) == test_labels))
