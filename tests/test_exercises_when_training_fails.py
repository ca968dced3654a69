"""Exercises of notebook 06: the checks accept right answers and name the typical wrong ones."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from exercise_helpers import assert_templates_wait, assert_wrong

from gancourse import losses
from gancourse.exercises import CORRECT
from gancourse.exercises import when_training_fails as ex

CHECKS = [
    ex.check_ls_discriminator_loss,
    ex.check_ls_generator_loss,
    ex.check_critic_loss,
    ex.check_gradient_penalty,
]


@pytest.mark.parametrize("check", CHECKS)
def test_templates_wait_and_the_reference_is_correct(check):
    assert_templates_wait(check)
    feedback = check(check.solution)
    assert feedback.status == CORRECT, feedback.text()


def _square(x):
    return tf.square(x)


# --------------------------------------------------------------------------- exercise 1


def test_ls_losses_accept_other_correct_forms():
    mse = keras.losses.MeanSquaredError()

    def with_keras(r, f):
        return 0.5 * mse(tf.ones_like(r), r) + 0.5 * mse(tf.zeros_like(f), f)

    def one_mean(r, f):
        return tf.reduce_mean(tf.concat([tf.square(r - 1), tf.square(f)], 0))  # equal batches

    for fn in (losses.least_squares_discriminator_loss, with_keras, one_mean):
        assert ex.check_ls_discriminator_loss(fn).correct, fn
    for fn in (losses.least_squares_generator_loss, lambda f: tf.reduce_mean((1 - f) ** 2) / 2):
        assert ex.check_ls_generator_loss(fn).correct, fn


def _ls_d(real=lambda r: (r - 1) ** 2, fake=lambda f: f**2, mean=tf.reduce_mean, half=0.5):
    return lambda r, f: half * mean(real(r)) + half * mean(fake(f))


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (lambda r, f: _ls_d()(tf.sigmoid(r), tf.sigmoid(f)), ["sigmoid", "raw output"]),
        (_ls_d(half=1.0), ["1/2 is missing"]),
        (_ls_d(mean=tf.reduce_sum), ["sum over the batch", "reduce_mean"]),
        (_ls_d(real=_square, fake=lambda f: (f - 1) ** 2), ["swapped", "(real_logits - 1)^2"]),
        (_ls_d(fake=lambda f: (f + 1) ** 2), ["target is -1", "target 0"]),
        (
            lambda r, f: 0.5 * (tf.reduce_mean(r) - 1) ** 2 + 0.5 * tf.reduce_mean(f) ** 2,
            ["square of the mean"],
        ),  # fmt: skip
        (lambda r, f: 0.5 * tf.reduce_mean((r - 1) ** 2), ["only the real examples"]),
        (losses.minimax_discriminator_loss, ["cross-entropy"]),
        (lambda r, f: 0.5 * (r - 1) ** 2 + 0.5 * f**2, ["shape (4, 1)", "reduce_mean"]),
        (lambda r, f: 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2), ["gradient", "NumPy"]),
        (lambda r, f: _ls_d()(r, tf.stop_gradient(f)), ["gradient is not", "stop_gradient"]),
        (lambda r, f: tf.reduce_mean(r), ["should be 0.9531, yours is 0.8125"]),
    ],
)
def test_ls_discriminator_loss_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_ls_discriminator_loss(fn), *phrases)


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (lambda f: 0.5 * tf.reduce_mean(f**2), ["towards 0", "target 1"]),
        (lambda f: 0.5 * tf.reduce_mean((tf.sigmoid(f) - 1) ** 2), ["sigmoid"]),
        (lambda f: tf.reduce_mean((f - 1) ** 2), ["1/2 is missing"]),
        (lambda f: 0.5 * tf.reduce_sum((f - 1) ** 2), ["sum over the batch"]),
        (lambda f: -0.5 * tf.reduce_mean(f**2), ["minus D's loss"]),
        (losses.non_saturating_generator_loss, ["cross-entropy"]),
        (lambda f: 0.5 * (f - 1) ** 2, ["shape (4, 1)"]),
        (lambda f: float(0.5 * np.mean((np.asarray(f) - 1) ** 2)), ["gradient"]),
    ],
)
def test_ls_generator_loss_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_ls_generator_loss(fn), *phrases)


# --------------------------------------------------------------------------- exercise 2


def test_critic_loss_accepts_other_correct_forms():
    for fn in (losses.wasserstein_discriminator_loss, lambda r, f: tf.reduce_mean(f - r)):
        assert ex.check_critic_loss(fn).correct


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (lambda r, f: tf.reduce_mean(r) - tf.reduce_mean(f), ["sign is flipped", "real scores"]),
        (
            lambda r, f: tf.reduce_mean(tf.sigmoid(f)) - tf.reduce_mean(tf.sigmoid(r)),
            ["sigmoid", "not probabilities"],
        ),  # fmt: skip
        (
            lambda r, f: tf.reduce_mean(tf.math.log_sigmoid(f) - tf.math.log_sigmoid(r)),
            ["log sigmoid"],
        ),  # fmt: skip
        (losses.minimax_discriminator_loss, ["cross-entropy", "not probabilities"]),
        (lambda r, f: tf.reduce_sum(f) - tf.reduce_sum(r), ["sum over the batch"]),
        (lambda r, f: -tf.reduce_mean(r), ["fake term is missing"]),
        (lambda r, f: tf.reduce_mean(f), ["real term is missing"]),
        (lambda r, f: -tf.reduce_mean(f), ["generator's Wasserstein loss"]),
        (losses.hinge_discriminator_loss, ["hinge"]),
        (lambda r, f: f - r, ["shape (4, 1)"]),
    ],
)
def test_critic_loss_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_critic_loss(fn), *phrases)


# --------------------------------------------------------------------------- exercise 3


def gp(eps="example", norm="example", square=True, minus=1.0, weights=False, one_sided=False,
       use_weight=True, training=False, numpy_norm=False, stop=False, of_mean=False):  # fmt: skip
    """A student's gradient penalty, with one of the usual mistakes switched on."""

    def penalty(critic, real, fake, weight=10.0):
        n, rank = real.shape[0], len(real.shape)
        shape = {
            "example": [n] + [1] * (rank - 1),
            "batch": [1] * rank,
            "coordinate": real.shape,
            "flat": [n],
            "2d": [n, 1],
        }.get(eps)
        if eps == "numpy":
            e = np.random.uniform(size=[n] + [1] * (rank - 1)).astype(np.float32)
        elif eps == "normal":
            e = tf.random.normal([n] + [1] * (rank - 1))
        else:
            e = tf.random.uniform(shape)
        x_hat = real + e * (fake - real)
        with tf.GradientTape() as tape:
            tape.watch(x_hat)
            scores = critic(x_hat, training=True) if training else critic(x_hat)
            if of_mean:
                scores = tf.reduce_mean(scores)
        if weights:
            grads = tape.gradient(scores, critic.trainable_variables)[0]
            return weight * tf.reduce_mean(tf.square(tf.norm(grads) - 1.0))
        grads = tape.gradient(scores, x_hat)
        if norm == "batch":
            norms = tf.norm(grads)
        elif norm == "last":
            norms = tf.norm(grads, axis=-1)
        elif numpy_norm:
            norms = np.linalg.norm(np.reshape(grads, (n, -1)), axis=1)
        else:
            norms = tf.norm(tf.reshape(grads, [n, -1]), axis=1)
        gap = norms - minus
        if one_sided:
            gap = tf.maximum(gap, 0.0)
        per_example = tf.square(gap) if square else gap
        result = tf.reduce_mean(per_example) * (weight if use_weight else 10.0)
        return tf.stop_gradient(result) if stop else result

    return penalty


def test_gradient_penalty_accepts_other_correct_forms():
    def with_the_course(critic, real, fake, weight=10.0):
        return losses.gradient_penalty(lambda x, training: critic(x), real, fake, weight=weight)

    def mirrored(critic, real, fake, weight=10.0):  # eps * real + (1 - eps) * fake, tf.norm
        e = tf.random.uniform([tf.shape(real)[0]] + [1] * (len(real.shape) - 1))
        x_hat = e * real + (1 - e) * fake
        with tf.GradientTape() as tape:
            tape.watch(x_hat)
            s = critic(x_hat)
        g = tf.reshape(tape.gradient(s, x_hat), [tf.shape(real)[0], -1])
        return weight * tf.reduce_mean((tf.norm(g, axis=1) - 1) ** 2)

    for fn in (gp(), with_the_course, mirrored):
        feedback = ex.check_gradient_penalty(fn)
        assert feedback.correct, feedback.text()
    assert "TF-GAN" in feedback.message and "eps cancels" in feedback.message


@pytest.mark.parametrize(
    ("fn", "phrases"),
    [
        (gp(norm="batch"), ["one norm over the whole batch"]),
        (gp(square=False), ["square is missing"]),
        (gp(minus=0.0), ['"- 1" is missing']),
        (gp(weights=True), ["weights", "tape.gradient(scores, x_hat)"]),
        (gp(use_weight=False), ["weight=2.5", "argument weight"]),
        (lambda c, r, f, weight=10.0: gp()(c, r, f, weight) / weight, ["weight is missing"]),
        (gp(one_sided=True), ["only norms above 1", "both sides"]),
        (gp(training=True), ["training=", "critic(x_hat)"]),
        (gp(of_mean=True), ["gradient of the mean score"]),
        (gp(eps="flat"), ["combine shapes", "(N, 1)"]),
        (gp(eps="2d"), ["(5, 2, 3)", "(N, 1, 1)"]),
        (gp(norm="last"), ["last axis only"]),
        (gp(eps="batch"), ["one eps serves the whole batch", "one eps per example"]),
        (gp(eps="coordinate"), ["one eps per coordinate"]),
        (gp(eps="normal"), ["normal distribution"]),
        (gp(eps="numpy"), ["same penalty every time", "tf.random.uniform"]),
        (gp(numpy_norm=True), ["inside a tf.function", "NumPy"]),
        (gp(stop=True), ["cannot take its gradient", "stop_gradient"]),
        (lambda c, r, f, weight=10.0: gp()(c, r, r, weight), ["gave 10.0000 every time"]),
    ],
)
def test_gradient_penalty_names_typical_mistakes(fn, phrases):
    assert_wrong(ex.check_gradient_penalty(fn), *phrases)


def test_the_reference_penalty_matches_tfgan_and_the_course():
    points = tf.constant(ex._mlp_points())
    critic = ex._mlp_critic()
    mine = float(ex.gradient_penalty(critic, points, points))
    course = float(losses.gradient_penalty(critic, points, points))
    assert mine == pytest.approx(ex._tfgan_penalty_on_equal_batches(), rel=1e-5)
    assert mine == pytest.approx(course, rel=1e-5)
    assert mine > 0.1  # the critic's gradient norms are not all 1: a test that can fail


def test_the_loss_checks_quote_tfgans_number_for_the_same_logits():
    for check, number in (
        (ex.check_ls_discriminator_loss, "(0.9531)"),
        (ex.check_ls_generator_loss, "(1.0078)"),
        (ex.check_critic_loss, "(-3.1250)"),
    ):
        feedback = check(check.solution)
        assert "TF-GAN" in feedback.message and number in feedback.message, feedback.text()
