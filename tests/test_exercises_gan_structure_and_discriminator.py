"""Exercises of notebook 03: the checks accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_helpers import assert_templates_wait, assert_wrong

from gancourse.exercises import CORRECT
from gancourse.exercises import gan_structure_and_discriminator as ex


@pytest.mark.parametrize(
    "check", [ex.check_discriminator_loss, ex.check_weights_for_the_d_step,
              ex.check_optimal_discriminator],
)  # fmt: skip
def test_templates_are_not_attempted_and_the_reference_is_correct(check):
    assert_templates_wait(check)
    assert check(check.solution).status == CORRECT


# --------------------------------------------------------------------------- J_D


def test_discriminator_loss_accepts_other_correct_formulations():
    def with_cross_entropy(d_real, d_fake):
        targets = np.concatenate([np.ones_like(d_real), np.zeros_like(d_fake)])
        probs = np.concatenate([d_real, d_fake])
        terms = -(targets * np.log(probs) + (1 - targets) * np.log(1 - probs))
        return terms[: len(d_real)].mean() + terms[len(d_real) :].mean()

    def with_tensorflow(d_real, d_fake):
        import tensorflow as tf

        return -tf.reduce_mean(tf.math.log(d_real)) - tf.reduce_mean(tf.math.log(1 - d_fake))

    for answer in (with_cross_entropy, with_tensorflow):
        feedback = ex.check_discriminator_loss(answer)
        assert feedback.status == CORRECT, feedback.text()
        assert feedback.value is answer


@pytest.mark.parametrize(
    ("answer", "phrases"),
    [
        (lambda r, f: np.mean(np.log(r)) + np.mean(np.log(1 - f)), ["minus sign", "0.329"]),
        (lambda r, f: -np.mean(np.log(r)) - np.mean(np.log(f)), ["log D(G(z))"]),
        (lambda r, f: -np.mean(np.log(1 - r)) - np.mean(np.log(f)), ["swapped"]),
        (lambda r, f: -np.mean(np.log(r)), ["only the real term"]),
        (lambda r, f: -np.mean(np.log(1 - f)), ["only the fake term"]),
        (lambda r, f: -np.mean(np.log10(r)) - np.mean(np.log10(1 - f)), ["base 10", "np.log"]),
        (lambda r, f: -np.sum(np.log(r)) - np.sum(np.log(1 - f)), ["sum over the batch"]),
        (lambda r, f: -np.mean(np.log(np.concatenate([r, 1 - f]))), ["half of J_D", "average"]),
        # right for one real and one fake sample, but it reads only the first of each
        (
            lambda r, f: -np.log(r[0]) - np.log(1 - f[0]),
            ["batch of 4 real and 2 fake", "should be"],
        ),
        (lambda r, f: 1.0, ["should be 0.329, yours is 1.000"]),
        (lambda r, f: "J_D", ["returned text ('J_D')"]),
        (lambda r, f: np.nan, ["not a finite number"]),
        (lambda r, f: None, ["returned None", "return"]),
    ],
)
def test_discriminator_loss_names_typical_mistakes(answer, phrases):
    feedback = ex.check_discriminator_loss(answer)
    assert_wrong(feedback, *phrases)
    assert feedback.value is ex.check_discriminator_loss.solution


# --------------------------------------------------------------------------- the D step


def test_weights_for_the_d_step_accepts_every_correct_list():
    assert ex.check_weights_for_the_d_step(lambda g, d: list(d.trainable_variables)).correct
    assert ex.check_weights_for_the_d_step(lambda g, d: d.trainable_weights).correct
    assert ex.check_weights_for_the_d_step(lambda g, d: tuple(d.weights)).correct


@pytest.mark.parametrize(
    ("answer", "phrases"),
    [
        (lambda g, d: g.trainable_variables, ["generator's weights", "G is frozen"]),
        (lambda g, d: g.trainable_variables + d.trainable_variables, ["also holds G's"]),
        (lambda g, d: d.trainable_variables[-2:], ["2 of D's 6", "all of them"]),
        (lambda g, d: [], ["empty"]),
        (lambda g, d: d, ["returned a model"]),
        (lambda g, d: [d], ["holds a model"]),
        (lambda g, d: "discriminator", ["returned text ('discriminator')"]),
        (lambda g, d: [1.0, 2.0], ["not a variable"]),
    ],
)
def test_weights_for_the_d_step_names_typical_mistakes(answer, phrases):
    assert_wrong(ex.check_weights_for_the_d_step(answer), *phrases)


def test_weights_for_the_d_step_rejects_variables_of_other_models():
    from gancourse.models import toy_discriminator

    other = toy_discriminator(1)
    feedback = ex.check_weights_for_the_d_step(lambda g, d: other.trainable_variables)
    assert_wrong(feedback, "neither model")


# --------------------------------------------------------------------------- D*


def test_optimal_discriminator_accepts_other_correct_formulations():
    def via_ratio(p_data, p_g):
        with np.errstate(divide="ignore"):
            return 1 / (1 + p_g / p_data)

    def with_a_loop(p_data, p_g):
        return [a / (a + b) for a, b in zip(p_data, p_g)]

    for answer in (via_ratio, with_a_loop):
        assert ex.check_optimal_discriminator(answer).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "phrases"),
    [
        (lambda p, q: q / (p + q), ["chance of being fake", "p_data goes on top"]),
        (lambda p, q: p / q, ["ratio", "sum"]),
        (lambda p, q: p - q, ["negative"]),
        (lambda p, q: p / (p + q) ** 2, ["twice"]),
        (lambda p, q: np.full_like(p, 0.5), ["should be [0.75, 0.25, 0.  , 0.5 , 1.  ]"]),
        (lambda p, q: np.mean(p / (p + q)), ["shape (5,)", "shape ()"]),
    ],
)
def test_optimal_discriminator_names_typical_mistakes(answer, phrases):
    with np.errstate(divide="ignore", invalid="ignore"):
        assert_wrong(ex.check_optimal_discriminator(answer), *phrases)
