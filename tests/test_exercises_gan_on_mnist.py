"""The checks of notebook 05: right answers pass, the usual wrong ones are named, templates wait."""

from __future__ import annotations

import math

import numpy as np
import pytest
import tensorflow as tf
from exercise_helpers import assert_templates_wait, assert_wrong

from gancourse.exercises import CORRECT, WRONG
from gancourse.exercises import gan_on_mnist as ex

CHECKS = [
    ex.check_to_model_scale,
    ex.check_make_noise,
    ex.check_generator_loss,
    ex.check_class_coverage,
]


@pytest.mark.parametrize("check", CHECKS)
def test_templates_are_not_attempted(check):
    assert_templates_wait(check)


@pytest.mark.parametrize("check", CHECKS)
def test_reference_solutions_pass(check):
    feedback = check(check.solution)
    assert feedback.status == CORRECT, feedback.text()


# --------------------------------------------------------------------------- exercise 1


def test_scale_accepts_other_correct_forms():
    for fn in (
        lambda p: (p.astype(np.float64) - 127.5) / 127.5,
        lambda p: 2 * (p / 255.0) - 1,
        lambda p: tf.cast(p, tf.float32) / 127.5 - 1.0,
    ):
        assert ex.check_to_model_scale(fn).correct


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (lambda p: p / 255.0, ["[0, 1]", "multiply by 2 and subtract 1"]),
        (lambda p: p / 127.5, ["[0, 2]", "Subtract 1"]),
        (lambda p: p - 127.5, ["not scaled", "Divide by 127.5"]),
        (lambda p: 1 - p / 127.5, ["inverted", "0 to -1"]),
        (lambda p: p // 127.5 - 1, ["whole numbers", "astype(np.float32)"]),
        (lambda p: p * 2 / 255 - 1, ["wraps around", "convert to float"]),
        (lambda p: (p / 127.5 - 1).reshape(-1), ["shape should stay (4, 8, 8)"]),
        (lambda p: p / 100.0 - 1, ["pixel 200 should become 0.5686", "x / 127.5 - 1"]),
    ],
)
def test_scale_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_to_model_scale(fn), *phrases)


# --------------------------------------------------------------------------- exercise 2


def test_noise_accepts_other_correct_forms():
    def with_tf(n, generator):
        return tf.random.normal([n, generator.inputs[0].shape[-1]])

    def with_rng(n, generator):
        return np.random.default_rng().normal(size=(n, generator.input_shape[1]))

    assert ex.check_make_noise(with_tf).correct
    assert ex.check_make_noise(with_rng).correct


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (lambda n, g: np.random.standard_normal((n, 64)), ["(2000, 100)", "input_shape[-1]"]),
        (lambda n, g: np.random.standard_normal(n), ["one number per example"]),
        (lambda n, g: np.random.standard_normal((g.input_shape[-1], n)), ["swapped"]),
        (lambda n, g: np.random.rand(n, g.input_shape[-1]), ["uniform in [0, 1)", "normal"]),
        (
            lambda n, g: np.random.uniform(-1, 1, (n, g.input_shape[-1])),
            ["standard deviation", "standard_normal"],
        ),
        (lambda n, g: np.zeros((n, g.input_shape[-1])), ["not noise"]),
        (
            lambda n, g: np.random.default_rng(0).standard_normal((n, g.input_shape[-1])),
            ["same noise", "seed"],
        ),
        (lambda n, g: np.zeros((n, 28, 28, 1)), ["images", "not generator(noise)"]),
    ],
)
def test_noise_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_make_noise(fn), *phrases)


# --------------------------------------------------------------------------- exercise 3


def test_generator_loss_accepts_other_correct_forms():
    def with_cross_entropy(logits):
        return tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logits), logits=logits)
        )

    def with_softplus(logits):
        return tf.reduce_mean(tf.nn.softplus(-logits))

    def with_numpy(logits):
        return np.mean(np.logaddexp(0.0, -np.asarray(logits, dtype=np.float64)))

    for fn in (with_cross_entropy, with_softplus, with_numpy):
        assert ex.check_generator_loss(fn).correct, fn.__name__


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (
            lambda x: tf.reduce_mean(tf.math.log(1 - tf.sigmoid(x))),
            ["saturating loss", "-mean log D(G(z))"],
        ),
        (lambda x: tf.reduce_mean(tf.math.log_sigmoid(x)), ["wrong sign", "minus sign"]),
        (
            lambda x: -tf.reduce_mean(tf.math.log(1 - tf.sigmoid(x))),
            ["discriminator's loss on the fakes", "target 1"],
        ),
        (lambda x: -tf.reduce_sum(tf.math.log_sigmoid(x)), ["sum over the batch", "reduce_mean"]),
        (lambda x: -tf.math.log_sigmoid(x), ["shape (4, 1)", "reduce_mean"]),
        (lambda x: -tf.reduce_mean(tf.math.log(x)), ["NaN", "tf.sigmoid"]),
        (
            lambda x: -tf.reduce_mean(tf.math.log(tf.sigmoid(x))),
            ["right for ordinary logits", "log_sigmoid"],
        ),
        (
            lambda x: tf.keras.losses.BinaryCrossentropy()(tf.ones_like(x), tf.sigmoid(x)),
            ["(-200, 5)", "clipped"],
        ),
        (lambda x: tf.reduce_mean(x), ["should be 1.241, yours is -0.375"]),
    ],
)
def test_generator_loss_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_generator_loss(fn), *phrases)


def test_generator_loss_reports_a_crash():
    feedback = ex.check_generator_loss(lambda x: tf.reduce_mean(x["logits"]))
    assert feedback.status == WRONG and "raised" in feedback.message


# --------------------------------------------------------------------------- exercise 4


def test_coverage_accepts_other_correct_forms():
    scipy_stats = pytest.importorskip("scipy.stats")

    def with_unique(predicted):
        _, counts = np.unique(predicted, return_counts=True)
        p = counts / counts.sum()
        return float(-(p * np.log(p)).sum() / math.log(10))

    def with_scipy(predicted):
        return scipy_stats.entropy(np.bincount(predicted, minlength=10)) / np.log(10)

    def with_bits(predicted):
        p = np.bincount(predicted, minlength=10) / len(predicted)
        p = p[p > 0]
        return -np.sum(p * np.log2(p)) / np.log2(10)

    for fn in (with_unique, with_scipy, with_bits):
        assert ex.check_class_coverage(fn).correct, fn.__name__


def _entropy(predicted, log=np.log, minlength=10):
    p = np.bincount(predicted, minlength=minlength) / len(predicted)
    p = p[p > 0]
    return -np.sum(p * log(p))


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (_entropy, ["the entropy itself", "log 10"]),
        (lambda y: _entropy(y, np.log2), ["in bits", "log2(10)"]),
        (lambda y: -_entropy(y) / np.log(10), ["negative", "minus sign"]),
        (
            lambda y: _entropy(y) / np.log(len(np.unique(y))),
            ["classes that appear", "log 10"],
        ),
        (
            lambda y: (
                -np.sum(
                    np.bincount(y, minlength=10)
                    / len(y)
                    * np.log(np.bincount(y, minlength=10) / len(y))
                )
                / np.log(10)
            ),
            ["NaN", "0 log 0"],
        ),
        (lambda y: len(np.unique(y)) / 10, ["not how evenly", "entropy"]),
        (lambda y: _entropy(y) / np.log(9), ["coverage should be 1, yours is"]),
        (lambda y: np.bincount(y, minlength=10) / len(y), ["one number"]),
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # log 0 and 0 / 0 in the wrong answers
def test_coverage_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_class_coverage(fn), *phrases)


def test_coverage_agrees_with_the_package():
    from gancourse import mnist_metrics

    rng = np.random.default_rng(0)
    logits = rng.normal(size=(300, 10)) + 3 * np.eye(10)[rng.integers(0, 4, 300)]
    predicted = logits.argmax(axis=1)
    assert ex.class_coverage(predicted) == pytest.approx(mnist_metrics.class_coverage(logits))
