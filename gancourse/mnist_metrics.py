"""Judging generated digits with a small MNIST classifier, computed with TF-GAN's ``tfgan.eval``.

A small MNIST classifier looks at generated and real digits. Three numbers are read
together, because each alone is easy to fool (a classifier calls pure noise a confident
"8"):

* ``frechet_distance``: the Frechet distance between Gaussians fitted to the classifier's
  penultimate-layer features of real and generated digits (lower is better; two sets of
  real digits give a small value, not exactly 0);
* ``class_coverage``: the entropy of the histogram of predicted classes divided by
  log(number of classes), 1.0 when every class is predicted equally often and 0.0 when all
  digits land in one class (mode collapse);
* ``confident_share``: the share of digits the classifier is sure about.

``classifier_score`` (the Inception score idea with this classifier) is there too. The
course ships a trained classifier as weights (``load_classifier()`` builds the network in
code and loads them), made by ``scripts/train_classifier.py``. The measures of the 1-D and
2-D toy problems are in ``gancourse.toy_metrics``.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import argchecks

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "CLASSIFIER_PATH",
    "FEATURES_LAYER",
    "NUM_CLASSES",
    "WEIGHTS_SUFFIX",
    "build_classifier",
    "class_coverage",
    "coverage_of_counts",
    "class_histogram",
    "classifier_outputs",
    "classifier_score",
    "confident_share",
    "evaluate_samples",
    "frechet_distance",
    "holdout_split",
    "load_classifier",
    "reference_split",
    "save_classifier",
    "train_classifier",
]

NUM_CLASSES = 10
#: Name of the classifier's penultimate layer, whose outputs the Frechet distance compares.
FEATURES_LAYER = "features"
#: How the names of classifier weights files end (Keras requires it of weights files).
WEIGHTS_SUFFIX = ".weights.h5"
#: The weights of the classifier shipped with the package (scripts/train_classifier.py).
CLASSIFIER_PATH = Path(__file__).resolve().parent / "assets" / f"mnist_classifier{WEIGHTS_SUFFIX}"
#: Digits per class in the course's reference set (see ``reference_split``).
REFERENCE_PER_CLASS = 100


# --------------------------------------------------------------------------- checks


def _check_classifier(classifier: Any) -> keras.Model:
    """Return ``classifier`` if it is a Keras model with a "features" layer, else raise."""
    import keras

    if not isinstance(classifier, keras.Model):
        raise TypeError(f"classifier must be a keras.Model, got {type(classifier).__name__}.")
    if FEATURES_LAYER not in {layer.name for layer in classifier.layers}:
        raise ValueError(
            f"classifier must have a layer named {FEATURES_LAYER!r} (its penultimate features); "
            "build it with gancourse.metrics.build_classifier()."
        )
    return classifier


# --------------------------------------------------------------------------- the classifier


def build_classifier() -> keras.Model:
    """Return a new, untrained small CNN: images (N, 28, 28, 1) in [-1, 1] -> 10 logits.

    Conv(16, 3) -> max-pool -> Conv(32, 3) -> max-pool -> Dense(64) named "features" ->
    Dense(10) logits; about 57k parameters, fast on a CPU.
    """
    import keras
    from keras import layers

    images = keras.Input(shape=(28, 28, 1), name="images")
    x = layers.Conv2D(16, 3, activation="relu", name="conv1")(images)
    x = layers.MaxPooling2D(name="pool1")(x)
    x = layers.Conv2D(32, 3, activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(64, activation="relu", name=FEATURES_LAYER)(x)
    logits = layers.Dense(NUM_CLASSES, name="logits")(x)
    return keras.Model(images, logits, name="mnist_classifier")


def _epoch_bar(epochs: int, disable: bool) -> Any:
    """Return a Keras callback showing a tqdm bar over epochs with the loss and accuracy."""
    import keras
    from tqdm.auto import tqdm

    class EpochBar(keras.callbacks.Callback):
        def on_train_begin(self, logs: dict | None = None) -> None:
            self.bar = tqdm(total=epochs, desc="classifier", unit="epoch", disable=disable)

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            logs = logs or {}
            self.bar.set_postfix(loss=f"{logs.get('loss', 0):.3f}", acc=f"{logs.get('acc', 0):.3f}")
            self.bar.update(1)

        def on_train_end(self, logs: dict | None = None) -> None:
            self.bar.close()

    return EpochBar()


def train_classifier(
    images: Any,
    labels: Any,
    epochs: int = 8,
    seed: int = 0,
    verbose: int = 0,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    build: Callable[[], keras.Model] = build_classifier,
) -> keras.Model:
    """Return a classifier from ``build()`` trained on the images and labels.

    ``images`` are (N, 28, 28, 1) in [-1, 1], ``labels`` int class labels (N,). Training is
    seeded; ``verbose`` > 0 shows a progress bar over the epochs. ``build`` makes the
    untrained network (images -> 10 logits, with a layer named "features").
    """
    import keras

    from .seeding import seed as seed_everything

    images = argchecks.images("images", images)
    labels = argchecks.labels("labels", labels, len(images), NUM_CLASSES)
    epochs = argchecks.positive_int("epochs", epochs)
    batch_size = argchecks.positive_int("batch_size", batch_size)
    learning_rate = argchecks.positive_float("learning_rate", learning_rate)
    seed_everything(seed)
    model = _check_classifier(build())
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
    )
    model.fit(
        images,
        labels,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[_epoch_bar(epochs, disable=not verbose)],
    )
    return model


def save_classifier(classifier: keras.Model, path: str | Path) -> Path:
    """Save the classifier's weights (no optimizer state) atomically; return the path.

    Only weights: ``load_classifier`` builds the network in code and fills it in. A weights
    file loads on every Keras 3 the course supports (a whole ``.keras`` archive saved by a
    newer Keras may not), and loading it runs no code described by the file.
    """
    import keras

    classifier = _check_classifier(classifier)
    path = Path(path)
    if not path.name.endswith(WEIGHTS_SUFFIX):
        raise ValueError(f"path must end in {WEIGHTS_SUFFIX}, got {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh, uncompiled copy holds no optimizer state: the file stays small.
    copy = keras.Model.from_config(classifier.get_config())
    copy.set_weights(classifier.get_weights())
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=WEIGHTS_SUFFIX, dir=path.parent)
    os.close(fd)
    try:
        copy.save_weights(tmp, overwrite=True)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; a shipped asset is not
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def load_classifier(
    path: str | Path | None = None, build: Callable[[], keras.Model] = build_classifier
) -> keras.Model:
    """Return the classifier whose weights are at ``path``, by default the one the course ships.

    The network is built by ``build()`` (the course's by default) and the file gives only
    its weights.
    """
    path = CLASSIFIER_PATH if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No MNIST classifier weights at {path}. Make the course's classifier with "
            "`python scripts/train_classifier.py` (from the repository root), or train one "
            "with gancourse.metrics.train_classifier(images, labels)."
        )
    if not path.name.endswith(WEIGHTS_SUFFIX):
        raise ValueError(
            f"{path} is not a weights file (name ending in {WEIGHTS_SUFFIX}); save one with "
            "gancourse.metrics.save_classifier(classifier, path)."
        )
    classifier = build()
    problem = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            classifier.load_weights(path)
        except (ValueError, OSError, KeyError) as exc:
            problem = str(exc)
    for warning in caught:
        # Keras warns, instead of failing, when parts of the network found no weights.
        if "freshly-initialized" in str(warning.message) or "Skipping" in str(warning.message):
            problem = problem or str(warning.message)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    if problem is not None:
        raise ValueError(
            f"{path} does not hold weights of the course's classifier ({problem}). Make it "
            "again with `python scripts/train_classifier.py`, or save one with "
            "gancourse.metrics.save_classifier(classifier, path)."
        )
    return classifier


def classifier_outputs(
    classifier: keras.Model, images: Any, batch_size: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """Return the classifier's penultimate features (N, 64) and logits (N, 10) for ``images``."""
    import keras

    classifier = _check_classifier(classifier)
    images = argchecks.images("images", images)
    batch_size = argchecks.positive_int("batch_size", batch_size)
    both = keras.Model(
        classifier.inputs[0], [classifier.get_layer(FEATURES_LAYER).output, classifier.outputs[0]]
    )
    features, logits = [], []
    for start in range(0, len(images), batch_size):
        f, z = both(images[start : start + batch_size], training=False)
        features.append(np.asarray(f))
        logits.append(np.asarray(z))
    if not features:
        width = classifier.get_layer(FEATURES_LAYER).units
        return np.zeros((0, width), np.float32), np.zeros((0, NUM_CLASSES), np.float32)
    return np.concatenate(features), np.concatenate(logits)


def holdout_split(labels: Any, per_class: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return (kept, held_out) index arrays: ``per_class`` random digits of each class held out.

    The split depends only on the labels and ``seed``; both index arrays are sorted.
    """
    labels = argchecks.labels("labels", labels, classes=NUM_CLASSES)
    per_class = argchecks.positive_int("per_class", per_class)
    rng = np.random.default_rng(seed)
    held = []
    for c in range(NUM_CLASSES):
        members = np.flatnonzero(labels == c)
        if len(members) < per_class:
            raise ValueError(
                f"per_class={per_class} is more than the {len(members)} digits of class {c}."
            )
        held.append(rng.choice(members, size=per_class, replace=False))
    held_out = np.sort(np.concatenate(held))
    kept = np.setdiff1d(np.arange(len(labels)), held_out)
    return kept, held_out


def reference_split(labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return (kept, reference) index arrays: the course's reference digits and the rest.

    The reference set is 100 digits per class (``holdout_split`` with seed 0). Notebook 05
    compares generated digits with it, so neither its GANs nor the shipped classifier
    (scripts/train_classifier.py) train on it.
    """
    return holdout_split(labels, REFERENCE_PER_CLASS, seed=0)


# --------------------------------------------------------------------------- the numbers


def frechet_distance(real_features: Any, fake_features: Any) -> float:
    """Return the Frechet distance between Gaussians fitted to two feature sets (N, K), (M, K).

    Computed in float64 by ``tfgan.eval.frechet_classifier_distance_from_activations``:
    |m_r - m_f|^2 + Tr(C_r + C_f - 2 (C_r C_f)^(1/2)).
    """
    import tensorflow as tf

    from .tfgan import load

    real = argchecks.matrix("real_features", real_features, min_rows=2)
    fake = argchecks.matrix("fake_features", fake_features, min_rows=2)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"real_features and fake_features must have the same number of columns, got "
            f"{real.shape[1]} and {fake.shape[1]}."
        )
    distance = load().eval.frechet_classifier_distance_from_activations(
        tf.constant(real, tf.float64), tf.constant(fake, tf.float64)
    )
    # Rounding can leave a distance of a set to itself a hair below zero.
    return max(float(distance), 0.0)


def class_histogram(logits: Any) -> np.ndarray:
    """Return how many images were predicted as each class, int64 (K,) for logits (N, K)."""
    logits = argchecks.matrix("logits", logits)
    return np.bincount(np.argmax(logits, axis=1), minlength=logits.shape[1]).astype(np.int64)


def coverage_of_counts(counts: Any) -> float:
    """Return the entropy of class counts (K,) divided by log(K), in [0, 1]: 1 when even."""
    counts = np.asarray(counts, dtype=float)
    p = counts[counts > 0] / counts.sum()
    # max() turns the -0.0 of a single predicted class into 0.0.
    return max(0.0, float(-np.sum(p * np.log(p)) / math.log(len(counts))))


def class_coverage(logits: Any) -> float:
    """Return the predicted-class histogram's entropy / log(K), in [0, 1], for logits (N, K)."""
    counts = class_histogram(logits)
    if len(counts) < 2:
        raise ValueError(f"logits must have at least 2 classes (columns), got {len(counts)}.")
    return coverage_of_counts(counts)


def confident_share(logits: Any, threshold: float = 0.9) -> float:
    """Return the share of images whose largest softmax probability is >= ``threshold``."""
    logits = argchecks.matrix("logits", logits)
    threshold = argchecks.in_range("threshold", threshold, 0.0, 1.0)
    shifted = logits - logits.max(axis=1, keepdims=True)
    top = 1.0 / np.exp(shifted).sum(axis=1)  # softmax of the largest logit (exp(0) = 1)
    return float(np.mean(top >= threshold))


def classifier_score(logits: Any) -> float:
    """Return exp(E[KL(p(y|x) || p(y))]) from logits (N, K), by ``tfgan.eval``: 1 to K."""
    import tensorflow as tf

    from .tfgan import load

    logits = argchecks.matrix("logits", logits)
    return float(load().eval.classifier_score_from_logits(tf.constant(logits, tf.float64)))


def evaluate_samples(
    classifier: keras.Model, fake_images: Any, real_images: Any, batch_size: int = 256
) -> dict[str, float]:
    """Return {"frechet", "coverage", "confident", "score"} for generated vs real images.

    "frechet" compares the classifier's features of both sets; the other three describe
    the generated images alone. Read them together: noise can look "confident".
    """
    fake_images = argchecks.images("fake_images", fake_images)
    real_images = argchecks.images("real_images", real_images)
    for name, arr in (("fake_images", fake_images), ("real_images", real_images)):
        if len(arr) < 2:
            raise ValueError(f"{name} must hold at least 2 images, got {len(arr)}.")
    fake_features, fake_logits = classifier_outputs(classifier, fake_images, batch_size)
    real_features, _ = classifier_outputs(classifier, real_images, batch_size)
    return {
        "frechet": frechet_distance(real_features, fake_features),
        "coverage": class_coverage(fake_logits),
        "confident": confident_share(fake_logits),
        "score": classifier_score(fake_logits),
    }
