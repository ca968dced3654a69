"""Exercises of notebook 07: the checks accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from exercise_helpers import assert_templates_wait, assert_wrong

from gancourse import conditional_gans, conditional_metrics
from gancourse.exercises import CORRECT, NOT_ATTEMPTED
from gancourse.exercises import conditional_gans as ex

CHECKS = [
    ex.check_condition_noise,
    ex.check_label_planes,
    ex.check_acgan_class_losses,
    ex.check_conditioning_accuracy,
]


@pytest.mark.parametrize("check", CHECKS)
def test_templates_are_not_attempted_and_the_reference_is_correct(check):
    assert_templates_wait(check)
    assert check(check.solution).status == CORRECT


# --------------------------------------------------------------------------- Exercise 1


def test_condition_noise_accepts_another_correct_answer():
    def answer(noise, labels):
        return np.concatenate([np.asarray(noise), np.eye(10)[np.asarray(labels)]], axis=1)

    assert ex.check_condition_noise(answer).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (lambda z, y: tf.concat([z, tf.cast(y[:, None], tf.float32)], 1), "one number"),
        (lambda z, y: tf.concat([tf.one_hot(y, 10), z], 1), "after the noise"),
        (lambda z, y: tf.concat([z, 1 - tf.one_hot(y, 10)], 1), "inverted"),
        (lambda z, y: tf.concat([z, tf.one_hot(y, 10)], 0), "raised"),
        (lambda z, y: tf.concat([z, tf.one_hot(y, 3)], 1), "not 10"),
        (lambda z, y: z, "shape"),
    ],
)
def test_condition_noise_names_the_typical_mistakes(answer, phrase):
    assert_wrong(ex.check_condition_noise(answer), phrase)


def test_condition_noise_reference_matches_the_models_idea():
    joined = ex.condition_noise(np.zeros((2, 4)), np.array([1, 8]))
    assert joined.shape == (2, 14)
    assert np.argmax(np.asarray(joined)[:, 4:], axis=1).tolist() == [1, 8]


# --------------------------------------------------------------------------- Exercise 2


def _planes(images, labels, which):
    one_hot = tf.one_hot(labels, 10)[:, None, None, :] * tf.ones_like(images)
    value = tf.ones_like(images) * tf.cast(labels, tf.float32)[:, None, None, None]
    return {
        "one": tf.concat([images, value], -1),
        "first": tf.concat([one_hot, images], -1),
        "ones": tf.concat([images, tf.ones_like(one_hot)], -1),
    }[which]  # fmt: skip


@pytest.mark.parametrize(
    ("which", "phrase"), [("one", "one plane"), ("first", "channel 0"), ("ones", "all ones")]
)
def test_label_planes_names_the_typical_mistakes(which, phrase):
    assert_wrong(ex.check_label_planes(lambda x, y: _planes(x, y, which)), phrase)


def test_label_planes_accepts_a_numpy_answer():
    def answer(images, labels):
        images = np.asarray(images)
        planes = np.broadcast_to(
            np.eye(10)[np.asarray(labels)][:, None, None, :], (*images.shape[:3], 10)
        )
        return np.concatenate([images, planes], axis=-1)

    assert ex.check_label_planes(answer).status == CORRECT


# --------------------------------------------------------------------------- Exercise 3


def _ce(labels, logits):
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(labels, tf.int32), logits=logits
        )
    )


def _sig(labels, logits):
    return tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.one_hot(labels, 10), logits=logits)
    )


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (lambda r, f, y: (_ce(y, r), _ce(y, f)), "only counts the real"),
        (lambda r, f, y: (_ce(y, f), _ce(y, f)), "only counts the generated"),
        (lambda r, f, y: (_sig(y, r) + _sig(y, f), _ce(y, f)), "sigmoid"),
        (lambda r, f, y: (_ce(y, r) + _ce(y, f), -_ce(y, f)), "wrong sign"),
        (lambda r, f, y: (_ce(y, r) + _ce(y, f), _ce(y, r)), "real digits' logits"),
        (lambda r, f, y: (_ce(y, f), _ce(y, r) + _ce(y, f)), "swapped"),
        (lambda r, f, y: _ce(y, r) + _ce(y, f), "two things"),
        (
            lambda r, f, y: (
                tf.constant(float(_ce(y, r) + _ce(y, f))),
                tf.constant(float(_ce(y, f))),
            ),
            "gradients",
        ),
    ],
)
def test_acgan_class_losses_names_the_typical_mistakes(answer, phrase):
    assert_wrong(ex.check_acgan_class_losses(answer), phrase)


def test_acgan_class_losses_reference_equals_the_packages():
    real = tf.random.normal([5, 10], seed=1)
    fake = tf.random.normal([5, 10], seed=2)
    labels = tf.constant([0, 3, 3, 9, 5])
    ours = ex.acgan_class_losses(real, fake, labels)
    package = conditional_gans.acgan_class_losses(real, fake, labels)
    np.testing.assert_allclose([float(v) for v in ours], [float(v) for v in package], rtol=1e-6)


# --------------------------------------------------------------------------- Exercise 4


def test_conditioning_accuracy_reference_equals_the_packages():
    rng = np.random.default_rng(0)
    requested = rng.integers(0, 10, 200)
    predicted = np.where(rng.random(200) < 0.8, requested, rng.integers(0, 10, 200))
    overall, per_digit = ex.conditioning_accuracy(predicted, requested)
    want_overall, want_per_digit = conditional_metrics.conditioning_accuracy(predicted, requested)
    assert overall == pytest.approx(want_overall)
    np.testing.assert_allclose(per_digit, want_per_digit)


def _per_digit(predicted, requested):
    return ex.conditioning_accuracy(predicted, requested)[1]


def _by_prediction(predicted, requested):
    per = [np.mean(requested[predicted == d] == d) for d in range(10)]
    return float(np.mean(predicted == requested)), np.array(per)


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (lambda p, r: (np.mean(_per_digit(p, r)), _per_digit(p, r)), "mean of the per-digit"),
        (lambda p, r: (np.mean(p != r), _per_digit(p, r)), "mistakes"),
        (lambda p, r: (np.sum(p == r), _per_digit(p, r)), "count"),
        (_by_prediction, "groups by the predicted"),
        (lambda p, r: np.mean(p == r), "two things"),
    ],
)  # fmt: skip
def test_conditioning_accuracy_names_the_typical_mistakes(answer, phrase):
    assert_wrong(ex.check_conditioning_accuracy(answer), phrase)


def _pair_template(*args):
    """The notebook's template for exercises 3 and 4: two blanks returned as a pair."""
    first = ...
    second = ...
    return first, second


def _half_done(predicted, requested):
    overall = float(np.mean(predicted == requested))
    per_digit = ...
    return overall, per_digit


@pytest.mark.parametrize("check", [ex.check_conditioning_accuracy, ex.check_acgan_class_losses])
def test_a_template_that_returns_blanks_as_a_pair_is_not_attempted(check):
    feedback = check(_pair_template)
    assert feedback.status == NOT_ATTEMPTED, feedback.text()
    assert check(_half_done).status == NOT_ATTEMPTED


def test_averaging_d_s_two_class_losses_is_named():
    def averaged(r, f, y):
        return (_ce(y, r) + _ce(y, f)) / 2, _ce(y, f)

    assert_wrong(ex.check_acgan_class_losses(averaged), "averaged")
