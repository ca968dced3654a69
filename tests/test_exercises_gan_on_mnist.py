"""The checks of notebook 05: right answers pass, the usual wrong ones are named, templates wait."""

from __future__ import annotations

import math

import numpy as np
import pytest
import tensorflow as tf
from exercise_helpers import assert_templates_wait, assert_wrong

from gancourse import losses
from gancourse.exercises import CORRECT, NOT_ATTEMPTED, WRONG
from gancourse.exercises import gan_on_mnist as ex

CHECKS = [
    ex.check_to_model_scale,
    ex.check_make_noise,
    ex.check_generator_loss,
    ex.check_discriminator_update,
    ex.check_generator_update,
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


# --------------------------------------------------------------------------- exercises 4 and 5
# Students' halves of a training step, right and wrong, written as a student would.


def d_update(g_mode=True, swap=False, smoothing=0.0, players="d", sign=1.0, only=None):
    """A discriminator update, with one of the usual mistakes switched on."""

    def update(generator, discriminator, optimizer, real_images, noise):
        with tf.GradientTape() as tape:
            fake_images = generator(noise, training=g_mode)
            real_logits = discriminator(real_images, training=True)
            fake_logits = discriminator(fake_images, training=True)
            if swap:
                real_logits, fake_logits = fake_logits, real_logits
            if only == "real":
                d_loss = -tf.reduce_mean(tf.math.log_sigmoid(real_logits))
            elif only == "fake":
                d_loss = -tf.reduce_mean(tf.math.log_sigmoid(-fake_logits))
            else:
                d_loss = losses.minimax_discriminator_loss(
                    real_logits, fake_logits, label_smoothing=smoothing
                )
        variables = discriminator.trainable_variables
        if players == "both":
            variables = variables + generator.trainable_variables
        grads = tape.gradient(d_loss, variables)
        optimizer.apply_gradients(zip([sign * g for g in grads], variables))
        return d_loss

    return update


def g_update(g_mode=True, loss=losses.non_saturating_generator_loss, players="g", sign=1.0,
             outside=False, apply=True):  # fmt: skip
    """A generator update, with one of the usual mistakes switched on."""

    def update(generator, discriminator, optimizer, noise):
        fake_images = generator(noise, training=g_mode) if outside else None
        with tf.GradientTape() as tape:
            if not outside:
                fake_images = generator(noise, training=g_mode)
            g_loss = loss(discriminator(fake_images, training=True))
        variables = {"g": generator, "d": discriminator}[players].trainable_variables
        grads = tape.gradient(g_loss, variables)
        if sign != 1.0:
            grads = [sign * g for g in grads]
        if apply:
            optimizer.apply_gradients(zip(grads, variables))
        return g_loss

    return update


def test_a_batch_of_other_correct_updates_passes():
    from gancourse.tfgan import load

    tfgan = load()  # as in the notebook: loaded before the exercise

    def with_tfgan_loss(generator, discriminator, optimizer, real_images, noise):
        fake_images = generator(noise, training=True)
        with tf.GradientTape() as tape:
            d_loss = tfgan.losses.wargs.minimax_discriminator_loss(
                discriminator(real_images, training=True),
                discriminator(fake_images, training=True),
                label_smoothing=0.0,
            )
        grads = tape.gradient(d_loss, discriminator.trainable_variables)
        optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
        return d_loss

    assert ex.check_discriminator_update(d_update()).correct
    assert ex.check_discriminator_update(with_tfgan_loss).correct
    assert ex.check_generator_update(g_update()).correct


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (d_update(swap=True), ["real and fake are swapped", "in that order"]),
        (d_update(players="both"), ["changed G's weights", "discriminator.trainable_variables"]),
        (d_update(smoothing=0.25), ["label smoothing 0.25", "label_smoothing=0.0"]),
        (d_update(only="real"), ["only the real batch counts"]),
        (d_update(only="fake"), ["only the generated batch counts"]),
        (d_update(g_mode=False), ["inference mode", "training=True"]),
        (d_update(sign=-1.0), ["moved up its loss", "wrong sign"]),
    ],
)
def test_discriminator_update_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_discriminator_update(fn), *phrases)


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (g_update(players="d"), ["changed D's weights", "generator.trainable_variables"]),
        (g_update(outside=True), ["no gradient reached G", "inside the tape"]),
        (g_update(g_mode=False), ["inference mode", "training=True"]),
        (g_update(loss=losses.minimax_generator_loss), ["saturating loss", "Exercise 3"]),
        (g_update(sign=-1.0), ["moved up its loss"]),
        (g_update(apply=False), ["weights did not change", "apply_gradients"]),
        (
            g_update(loss=lambda logits: -tf.reduce_sum(tf.math.log_sigmoid(logits))),
            ["should be", "generator_loss(fake_logits)"],
        ),
    ],
)
def test_generator_update_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_generator_update(fn), *phrases)


def test_a_half_filled_skeleton_waits_for_its_blanks():
    def skeleton(generator, discriminator, optimizer, real_images, noise):
        fake_images = generator(noise, training=True)
        with tf.GradientTape() as tape:
            real_logits = discriminator(real_images, training=True)
            fake_logits = discriminator(fake_images, training=True)
            d_loss = losses.minimax_discriminator_loss(real_logits, fake_logits)
        grads = tape.gradient(d_loss, ...)
        optimizer.apply_gradients(zip(grads, ...))
        return d_loss

    feedback = ex.check_discriminator_update(skeleton)
    assert feedback.status == NOT_ATTEMPTED and "Fill in every `...`" in feedback.message


def test_a_crash_in_finished_code_is_a_mistake_not_a_blank():
    def crashes(generator, discriminator, optimizer, real_images, noise):
        return discriminator(real_images[..., 0])  # an index's ... is not a blank

    assert_wrong(ex.check_discriminator_update(crashes), "raised")


def test_the_update_checks_leave_no_trace_in_the_random_streams():
    before = np.random.get_state()[1].copy()
    ex.check_generator_update(g_update())
    assert np.array_equal(np.random.get_state()[1], before)


# --------------------------------------------------------------------------- exercise 6


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
