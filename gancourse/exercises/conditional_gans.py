"""Exercises of notebook 07: conditional GANs, choose the digit.

Each ``check_*`` takes the student's answer and returns a Feedback (see ``_core``): "not
attempted" while the answer is still ``...``, a specific message and hint for each typical
mistake, "correct" otherwise. TensorFlow is imported inside the checks that need it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Mistake, NotAttempted, as_array, call, diagnose, exercise

NUM_CLASSES = 10


def _pair(result: Any, what: str, hint: str) -> tuple[Any, Any]:
    """Return the student's two results; NotAttempted while either is still ``...``."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Mistake(f"return two things: {what}.", hint)
    if any(part is Ellipsis for part in result):
        raise NotAttempted("Fill in both blanks (`...`), then run the check again.")
    return result[0], result[1]


def _one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(NUM_CLASSES)[labels]


# --------------------------------------------------------------------------- Exercise 1


def condition_noise(noise: Any, labels: Any) -> Any:
    """Return G's input: each noise vector followed by the one-hot vector of its label."""
    import tensorflow as tf

    one_hot = tf.one_hot(tf.cast(labels, tf.int32), NUM_CLASSES)
    return tf.concat([tf.cast(noise, tf.float32), one_hot], axis=1)


_NOISE = np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -0.5], [-2.0, 1.0, 0.75]], np.float32)
_NOISE_LABELS = np.array([2, 0, 9])


@exercise("Exercise 1: the label joined to the noise", condition_noise)
def check_condition_noise(fn: Any) -> str:
    """Check ``condition_noise(noise, labels)`` = [noise, one_hot(labels)] along axis 1."""
    import tensorflow as tf

    got = as_array(call(fn, tf.constant(_NOISE), tf.constant(_NOISE_LABELS)), "G's input")
    one_hot = _one_hot(_NOISE_LABELS)
    want = np.concatenate([_NOISE, one_hot], axis=1)
    where = "for 3 noise vectors of length 3 and the labels [2, 0, 9],"
    if got.shape == (3, 4):
        raise Mistake(
            f"{where} your input has shape (3, 4): the label went in as one number, not as a "
            "one-hot vector of 10.",
            "tf.one_hot(labels, 10) turns each label into 10 numbers, a 1 at the label's place.",
        )
    if got.shape == (3, 13) and np.allclose(got[:, :10], one_hot):
        raise Mistake(
            f"{where} the one-hot vector must come after the noise, along axis 1 (a longer "
            "vector per example).",
            "tf.concat([noise, one_hot], axis=1): noise first, then the label.",
        )
    if got.ndim == 2 and got.shape[0] == 3 and 4 < got.shape[1] != 13:
        raise Mistake(
            f"{where} your input has shape {got.shape}: the one-hot vectors have "
            f"{got.shape[1] - 3} places, not 10.",
            "Give the depth: tf.one_hot(labels, 10). There are 10 digits.",
        )
    diagnose(
        got,
        want,
        f"{where} G's input",
        [
            (
                np.concatenate([_NOISE, 1 - one_hot], axis=1),
                f"{where} your one-hot vectors are inverted: 0 at the label's place, 1 elsewhere.",
                "tf.one_hot(labels, 10) puts the 1 at the label's place.",
            ),
        ],
        "Join the noise and tf.one_hot(labels, 10) with tf.concat(..., axis=1).",
    )
    return "noise (N, 3) and labels (N,) give G an input of shape (N, 13)."


# --------------------------------------------------------------------------- Exercise 2


def label_planes(images: Any, labels: Any) -> Any:
    """Return D's input: each image with 10 extra channels, all ones in its label's channel."""
    import tensorflow as tf

    one_hot = tf.one_hot(tf.cast(labels, tf.int32), NUM_CLASSES)  # (N, 10)
    planes = tf.ones_like(tf.cast(images, tf.float32)) * one_hot[:, None, None, :]
    return tf.concat([tf.cast(images, tf.float32), planes], axis=-1)


_IMAGES = np.random.default_rng(7).uniform(-1, 1, (3, 28, 28, 1)).astype(np.float32)
_IMAGE_LABELS = np.array([3, 0, 7])


@exercise("Exercise 2: the label as extra channels for D", label_planes)
def check_label_planes(fn: Any) -> str:
    """Check ``label_planes(images, labels)``: (N, 28, 28, 1 + 10), channel 1 + y all ones."""
    import tensorflow as tf

    got = as_array(call(fn, tf.constant(_IMAGES), tf.constant(_IMAGE_LABELS)), "D's input")
    planes = np.ones((3, 28, 28, 1)) * _one_hot(_IMAGE_LABELS)[:, None, None, :]
    want = np.concatenate([_IMAGES, planes], axis=-1)
    where = "for 3 images and the labels [3, 0, 7],"
    if got.shape == (3, 28, 28, 2):
        raise Mistake(
            f"{where} your input has 2 channels: the label went in as one plane. A plane "
            "holding the number 7 says '7 is bigger than 3', which means nothing for digits.",
            "Give D 10 planes, one per digit, all ones in the label's plane: a one-hot "
            "vector spread over the image.",
        )
    if got.shape == (3, 28, 28, 11) and np.allclose(got[..., 10:], _IMAGES):
        raise Mistake(
            f"{where} the image should be channel 0, followed by the 10 label planes.",
            "tf.concat([images, planes], axis=-1): image first.",
        )
    diagnose(
        got,
        want,
        f"{where} D's input",
        [
            (
                np.concatenate([_IMAGES, np.ones_like(planes)], axis=-1),
                f"{where} every label plane is all ones, so D cannot tell the labels apart.",
                "Multiply the planes of ones by the one-hot vector: only the label's plane "
                "stays ones.",
            ),
        ],
        "Make the one-hot vector (N, 10), spread it to (N, 28, 28, 10) (multiply by "
        "tf.ones_like(images) after one_hot[:, None, None, :]), and concatenate on axis -1.",
    )
    return "each image gets 10 label planes: shape (N, 28, 28, 11)."


# --------------------------------------------------------------------------- Exercise 4


def acgan_class_losses(real_class_logits: Any, fake_class_logits: Any, labels: Any) -> Any:
    """Return (D's class loss, G's class loss): mean softmax cross-entropies against labels."""
    import tensorflow as tf

    labels = tf.cast(labels, tf.int32)

    def cross_entropy(logits: Any) -> Any:
        return tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        )

    return cross_entropy(real_class_logits) + cross_entropy(fake_class_logits), cross_entropy(
        fake_class_logits
    )


_REAL_CLASSES = np.random.default_rng(3).normal(0, 2, (6, NUM_CLASSES)).astype(np.float32)
_FAKE_CLASSES = np.random.default_rng(4).normal(0, 2, (6, NUM_CLASSES)).astype(np.float32)
_CLASS_LABELS = np.array([1, 4, 4, 9, 0, 7])


def _softmax_ce(logits: np.ndarray, labels: np.ndarray) -> float:
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_p[np.arange(len(labels)), labels]))


def _sigmoid_ce(logits: np.ndarray, labels: np.ndarray) -> float:
    target = _one_hot(labels)
    per = np.maximum(logits, 0) - logits * target + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(per))


def _class_losses_of(fn: Any) -> tuple[tuple[float, float], list[Any]]:
    """Run the student's losses; return the two numbers and their gradients wrt both logits."""
    import tensorflow as tf

    real, fake = tf.constant(_REAL_CLASSES), tf.constant(_FAKE_CLASSES)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([real, fake])
        result = call(fn, real, fake, tf.constant(_CLASS_LABELS))
    result = _pair(
        result,
        "(D's class loss, G's class loss)",
        "End with `return d_class_loss, g_class_loss`.",
    )
    values = []
    for name, part in zip(("D's", "G's"), result, strict=True):
        array = as_array(part, f"{name} class loss")
        if array.size != 1:
            raise Mistake(
                f"{name} class loss has shape {array.shape}; a loss is one number.",
                "Average over the batch with tf.reduce_mean.",
            )
        values.append(float(array.reshape(())))
    grads = [tape.gradient(part, [real, fake]) if tf.is_tensor(part) else None for part in result]
    return (values[0], values[1]), grads


def _tfgan_acgan_losses() -> tuple[float, float]:
    """Return TF-GAN's ACGAN (discriminator, generator) losses on the check's logits."""
    import tensorflow as tf

    from ..tfgan import load

    wargs = load().losses.wargs
    one_hot = tf.one_hot(_CLASS_LABELS, NUM_CLASSES)
    real, fake = tf.constant(_REAL_CLASSES), tf.constant(_FAKE_CLASSES)
    d = wargs.acgan_discriminator_loss(real, fake, one_hot, loss_collection=None)
    g = wargs.acgan_generator_loss(fake, one_hot, loss_collection=None)
    return float(d), float(g)


@exercise("Exercise 4: the ACGAN's class losses", acgan_class_losses)
def check_acgan_class_losses(fn: Any) -> str:
    """Check (D's, G's) class losses against TF-GAN's ACGAN losses, naming typical mistakes."""
    (d_got, g_got), grads = _class_losses_of(fn)
    d_want, g_want = _tfgan_acgan_losses()
    ce_real = _softmax_ce(_REAL_CLASSES, _CLASS_LABELS)
    ce_fake = _softmax_ce(_FAKE_CLASSES, _CLASS_LABELS)
    n = len(_CLASS_LABELS)
    where = "for 6 examples,"
    d_wrongs = [
        (ce_real, "D's class loss only counts the real digits.", "Add the cross-entropy on "
         "the generated digits: D also learns to name the digit G was asked for."),
        (ce_fake, "D's class loss only counts the generated digits.", "Add the cross-entropy "
         "on the real digits, with their true labels."),
        (_sigmoid_ce(_REAL_CLASSES, _CLASS_LABELS) + _sigmoid_ce(_FAKE_CLASSES, _CLASS_LABELS),
         "you used a sigmoid cross-entropy per class; a digit has exactly one label.",
         "Use the softmax cross-entropy: tf.nn.sparse_softmax_cross_entropy_with_logits."),
        ((ce_real + ce_fake) / 2, "you averaged the two cross-entropies; D's class loss adds "
         "them, as TF-GAN's does.", "Return the real digits' mean cross-entropy plus the "
         "generated digits'."),
        (n * (ce_real + ce_fake), "that is the sum over the batch, not the mean.",
         "Average with tf.reduce_mean."),
        (g_want, "that looks like G's class loss in D's place.", "Return (D's, G's) in order."),
    ]  # fmt: skip
    g_wrongs = [
        (-ce_fake, "G's class loss has the wrong sign: G wants its digits to be *recognised* "
         "as the requested label, not to fool the classifier.",
         "G lowers the same cross-entropy on its generated digits that D lowers."),
        (ce_real, "G's class loss uses the real digits' logits; G can only change its own.",
         "Use the cross-entropy of fake_class_logits against the labels."),
        (ce_real + ce_fake, "G's class loss includes the real digits, which G cannot change.",
         "G's class loss is the cross-entropy on the generated digits only."),
        (n * ce_fake, "that is the sum over the batch, not the mean.",
         "Average with tf.reduce_mean."),
        (_sigmoid_ce(_FAKE_CLASSES, _CLASS_LABELS), "you used a sigmoid cross-entropy per "
         "class.", "Use the softmax cross-entropy: one label per digit."),
        (d_want, "that looks like D's class loss in G's place.", "Return (D's, G's) in order."),
    ]  # fmt: skip
    hint = (
        "D's is the mean cross-entropy on the real digits plus that on the generated ones; "
        "G's is the one on the generated digits."
    )
    if np.isclose(d_got, g_want, rtol=1e-4) and np.isclose(g_got, d_want, rtol=1e-4):
        raise Mistake(
            "your two losses are right but swapped.", "Return (D's class loss, G's class loss)."
        )
    diagnose(d_got, d_want, f"{where} D's class loss", d_wrongs, hint)
    diagnose(g_got, g_want, f"{where} G's class loss", g_wrongs, hint)
    if any(g is None or all(part is None for part in g) for g in grads):
        raise Mistake(
            "the numbers are right, but TensorFlow cannot take their gradients, so nothing "
            "could train with them.",
            "Compute with TensorFlow operations on the logits, not NumPy or float(...).",
        )
    return (
        f"D's class loss {d_got:.4f} and G's {g_got:.4f} equal TF-GAN's "
        "acgan_discriminator_loss and acgan_generator_loss."
    )


# --------------------------------------------------------------------------- Exercise 3


def conditioning_accuracy(predicted: Any, requested: Any) -> Any:
    """Return (share predicted as requested, that share for each requested digit 0-9)."""
    predicted, requested = np.asarray(predicted), np.asarray(requested)
    per_digit = np.array([np.mean(predicted[requested == d] == d) for d in range(NUM_CLASSES)])
    return float(np.mean(predicted == requested)), per_digit


#: 23 requests: digit d asked 1 + d % 4 times; the classifier misfiles 7 of them.
_REQUESTED = np.repeat(np.arange(NUM_CLASSES), 1 + np.arange(NUM_CLASSES) % 4)
_PREDICTED = _REQUESTED.copy()
_PREDICTED[[2, 4, 7, 8, 13, 17, 22]] = [7, 8, 5, 8, 0, 1, 4]


def _precision(predicted: np.ndarray, requested: np.ndarray) -> np.ndarray:
    return np.array(
        [np.mean(requested[predicted == d] == d) if np.any(predicted == d) else 0.0
         for d in range(NUM_CLASSES)]
    )  # fmt: skip


@exercise("Exercise 3: conditioning accuracy", conditioning_accuracy)
def check_conditioning_accuracy(fn: Any) -> str:
    """Check (overall, per digit) conditioning accuracy on uneven requests, naming mistakes."""
    overall, per_digit = _pair(
        call(fn, _PREDICTED.copy(), _REQUESTED.copy()),
        "(the overall share, an array of 10 shares, one per digit)",
        "End with `return overall, per_digit`.",
    )
    want_overall, want_per_digit = conditioning_accuracy(_PREDICTED, _REQUESTED)
    where = "for 23 requests (each digit asked 1 to 4 times),"
    diagnose(
        overall,
        want_overall,
        f"{where} the overall share",
        [
            (
                np.mean(want_per_digit),
                f"{where} yours is the mean of the per-digit shares; "
                "digits asked more often should count more.",
                "Compare predicted == requested for every generated digit and take the mean.",
            ),
            (
                1 - want_overall,
                f"{where} yours is the share of mistakes.",
                "Count where predicted equals requested.",
            ),
            (
                np.sum(_PREDICTED == _REQUESTED),
                f"{where} yours is a count, not a share.",
                "Divide by the number of generated digits (np.mean does both).",
            ),
        ],  # fmt: skip
        "np.mean(predicted == requested).",
    )
    diagnose(
        per_digit,
        want_per_digit,
        f"{where} the per-digit shares",
        [
            (
                _precision(_PREDICTED, _REQUESTED),
                f"{where} yours groups by the predicted "
                "label: of the digits filed as d, how many were asked as d. The question is the "
                "other way round: of the digits asked as d, how many came out as d.",
                "Select by requested == d, then compare predicted with d.",
            ),
            (
                1 - want_per_digit,
                f"{where} yours are the shares of mistakes.",
                "Count where predicted equals d.",
            ),
        ],  # fmt: skip
        "For each digit d: np.mean(predicted[requested == d] == d).",
    )
    worst = int(np.argmin(want_per_digit))
    return (
        f"overall {want_overall:.3f}; the worst digit here is {worst}, "
        f"with {want_per_digit[worst]:.2f} of its requests drawn as asked."
    )
