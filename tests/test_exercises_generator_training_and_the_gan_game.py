"""Exercises of notebook 04: the checks accept right answers and name the typical wrong ones."""

from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_helpers import assert_templates_wait, assert_wrong

from gancourse.exercises import CORRECT, NOT_ATTEMPTED
from gancourse.exercises import generator_training_and_the_gan_game as ex


@pytest.mark.parametrize(
    "check", [ex.check_non_saturating_loss, ex.check_logit_gradients, ex.check_value_at_optimum]
)
def test_templates_are_not_attempted_and_the_reference_is_correct(check):
    assert_templates_wait(check)
    assert check(check.solution).status == CORRECT


# --------------------------------------------------------------------------- the loss


def test_non_saturating_loss_accepts_other_correct_formulations():
    def with_tensorflow(d_fake):
        import tensorflow as tf

        return tf.reduce_mean(-tf.math.log(d_fake))

    def from_logits(d_fake):
        logits = np.log(d_fake / (1 - d_fake))
        return np.mean(np.log1p(np.exp(-logits)))  # softplus(-l) = -log sigmoid(l)

    for answer in (with_tensorflow, from_logits):
        assert ex.check_non_saturating_loss(answer).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "phrases"),
    [
        (lambda d: np.mean(np.log(1 - d)), ["saturating (minimax) loss"]),
        (lambda d: -np.mean(np.log(1 - d)), ["D's loss on fakes"]),
        (lambda d: np.mean(np.log(d)), ["negative loss", "minus sign"]),
        (lambda d: -np.sum(np.log(d)), ["sum over the batch"]),
        (lambda d: -np.mean(np.log10(d)), ["base 10"]),
        (lambda d: -np.log(np.mean(d)), ["log of the mean"]),
        (lambda d: 0.0, ["should be 2.167, yours is 0.000"]),
    ],
)
def test_non_saturating_loss_names_typical_mistakes(answer, phrases):
    assert_wrong(ex.check_non_saturating_loss(answer), *phrases)


# --------------------------------------------------------------------------- the gradients


def test_logit_gradients_half_filled_template_is_not_attempted():
    def half_done(d):
        saturating = -d
        non_saturating = ...  # your code here
        return saturating, non_saturating

    def the_template(d):
        saturating = ...  # your code here
        non_saturating = ...  # your code here
        return saturating, non_saturating

    for answer in (half_done, the_template):
        feedback = ex.check_logit_gradients(answer)
        assert feedback.status == NOT_ATTEMPTED
        assert "Fill in both" in feedback.message


def test_logit_gradients_accept_other_correct_formulations():
    def by_chain_rule(d):
        slope = d * (1 - d)  # d sigmoid / d logit
        return -1 / (1 - d) * slope, -1 / d * slope

    def as_a_list(d):
        return [d * -1.0, d - 1.0]

    for answer in (by_chain_rule, as_a_list):
        assert ex.check_logit_gradients(answer).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "phrases"),
    [
        (lambda d: (-(1 - d), -d), ["swapped"]),
        (lambda d: (d, 1 - d), ["wrong sign"]),
        (lambda d: (-1 / (1 - d), -1 / d), ["with respect to D(G(z)), not the logit"]),
        (lambda d: (1 / (1 - d), 1 / d), ["wrong sign", "Chain rule"]),
        (lambda d: -d, ["return two things"]),
        (lambda d: (-d, -(1 - d), 0), ["return two things"]),
        (lambda d: (-d, np.zeros(2)), ["array of 3 numbers"]),
        (lambda d: (-d, -d), ["should be"]),
    ],
)
def test_logit_gradients_name_typical_mistakes(answer, phrases):
    assert_wrong(ex.check_logit_gradients(answer), *phrases)


# --------------------------------------------------------------------------- V(D*, G)


def test_value_at_optimum_accepts_other_correct_formulations():
    assert ex.check_value_at_optimum(lambda jsd: 2 * (jsd - math.log(2))).correct
    assert ex.check_value_at_optimum(lambda jsd: math.log(0.25) + jsd + jsd).correct


@pytest.mark.parametrize(
    ("answer", "phrases"),
    [
        (lambda j: math.log(4) + 2 * j, ["+log 4"]),
        (lambda j: -math.log(4) + j, ["JSD once"]),
        (lambda j: -math.log(2) + 2 * j, ["-log 2"]),
        (lambda j: -math.log(4) - 2 * j, ["falls as the divergence grows"]),
        (lambda j: -2 + 2 * j, ["in bits"]),
        (lambda j: 2 * j, ["should be"]),
        (lambda j: [j, j], ["single number"]),
    ],
)
def test_value_at_optimum_names_typical_mistakes(answer, phrases):
    assert_wrong(ex.check_value_at_optimum(answer), *phrases)
