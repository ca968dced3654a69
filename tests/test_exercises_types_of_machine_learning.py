"""The checks of notebook 01: right answers pass, typical wrong ones get the right message."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse.exercises import CORRECT, NOT_ATTEMPTED, WRONG
from gancourse.exercises import types_of_machine_learning as ex

# --------------------------------------------------------------------------- 1. gradient step


def test_gradient_step_template_is_not_attempted():
    def template(w, b, x, y, learning_rate):
        return ...  # your code here

    def raises(w, b, x, y, learning_rate):
        raise NotImplementedError

    assert ex.check_gradient_step(template).status == NOT_ATTEMPTED
    assert ex.check_gradient_step(raises).status == NOT_ATTEMPTED


def test_gradient_step_reference_and_another_formulation_pass():
    assert ex.check_gradient_step(ex.gradient_step).status == CORRECT

    def with_a_loop(w, b, x, y, learning_rate):
        grad_w = grad_b = 0.0
        for xi, yi in zip(x, y):
            grad_w += 2 * (w * xi + b - yi) * xi / len(x)
            grad_b += 2 * (w * xi + b - yi) / len(x)
        return [w - learning_rate * grad_w, b - learning_rate * grad_b]

    assert ex.check_gradient_step(with_a_loop).status == CORRECT


def _step(sign=1.0, factor=2.0, reduce=np.mean, weight_x=True, lr_used=True, swap=False):
    def step(w, b, x, y, learning_rate):
        error = w * x + b - y
        grad_w = factor * reduce(error * x if weight_x else error)
        grad_b = factor * reduce(error)
        lr = learning_rate if lr_used else 1.0
        new = (w - sign * lr * grad_w, b - sign * lr * grad_b)
        return new[::-1] if swap else new

    return step


@pytest.mark.parametrize(
    ("step", "message", "hint"),
    [
        (_step(sign=-1.0), "uphill", "Subtract the gradient"),
        (_step(factor=1.0), "half the right size", "factor 2"),
        (_step(reduce=np.sum), "4 times too big", "np.mean"),
        (_step(weight_x=False), "w changes exactly as much as b", "weighted by its x"),
        (_step(swap=True), "swapped", "in this order"),
        (_step(lr_used=False), "learning rate is missing", "learning_rate"),
        (lambda w, b, x, y, lr: (2 * np.mean((w * x + b - y) * x), 2 * np.mean(w * x + b - y)),
         "returns the gradient", "w - learning_rate"),
    ],
)  # fmt: skip
def test_gradient_step_typical_mistakes(step, message, hint):
    feedback = ex.check_gradient_step(step)
    assert feedback.status == WRONG
    assert message in feedback.message and hint in feedback.hint
    assert "should be (1.863, 0.6675)" in feedback.message  # the numbers are shown
    assert feedback.value is ex.gradient_step


def test_gradient_step_only_b_wrong_and_bad_return():
    def b_off(w, b, x, y, learning_rate):
        new_w, new_b = ex.gradient_step(w, b, x, y, learning_rate)
        return new_w, new_b + 0.3

    assert "w is right, b is not" in ex.check_gradient_step(b_off).message
    assert "two numbers" in ex.check_gradient_step(lambda *a: 1.0).message
    assert "two numbers" in ex.check_gradient_step(lambda *a: (1.0, 2.0, 3.0)).message


# --------------------------------------------------------------------------- 2. k-means


def test_assign_template_is_not_attempted():
    def template(points, centroids):
        return ...  # your code here

    assert ex.check_assign_clusters(template).status == NOT_ATTEMPTED


def test_assign_reference_and_a_loop_pass():
    assert ex.check_assign_clusters(ex.assign_clusters).status == CORRECT

    def with_a_loop(points, centroids):
        labels = []
        for point in points:
            distances = [np.linalg.norm(point - c) for c in centroids]
            labels.append(int(np.argmin(distances)))
        return labels

    assert ex.check_assign_clusters(with_a_loop).status == CORRECT


def _distances(points, centroids):
    return np.linalg.norm(points[:, None] - centroids[None], axis=-1)


@pytest.mark.parametrize(
    ("fn", "message", "hint"),
    [
        (lambda p, c: np.argmax(_distances(p, c), axis=1), "farthest", "argmin"),
        (lambda p, c: _distances(p, c), "probably the distances", "axis=1"),
        (lambda p, c: np.argmin(_distances(p, c), axis=0), "expected one label per point",
         "axis=1"),
        (lambda p, c: np.argmin(_distances(p, c), axis=1) + 1, "off by one", "from 0"),
        (lambda p, c: np.zeros(len(p), dtype=int), "the labels should be [0, 0, 1, 1, 2, 1]",
         "smallest"),
    ],
)  # fmt: skip
def test_assign_typical_mistakes(fn, message, hint):
    feedback = ex.check_assign_clusters(fn)
    assert feedback.status == WRONG
    assert message in feedback.message and hint in feedback.hint


# --------------------------------------------------------------------------- 3. epsilon-greedy


def test_choose_arm_template_is_not_attempted():
    def template(values, epsilon, rng):
        return ...  # your code here

    assert ex.check_choose_arm(template).status == NOT_ATTEMPTED


def test_choose_arm_reference_and_another_formulation_pass():
    assert ex.check_choose_arm(ex.choose_arm).status == CORRECT

    def with_choice(values, epsilon, rng):
        explore = rng.choice([True, False], p=[epsilon, 1 - epsilon])
        return rng.choice(len(values)) if explore else np.argmax(values)

    assert ex.check_choose_arm(with_choice).status == CORRECT


def _greedy(values, epsilon, rng):
    return int(np.argmax(values))


def _inverted(values, epsilon, rng):
    if rng.random() > epsilon:
        return int(rng.integers(len(values)))
    return int(np.argmax(values))


def _worst(values, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(len(values)))
    return int(np.argmin(values))


def _explores_values(values, epsilon, rng):
    if rng.random() < epsilon:
        return rng.choice(values)  # a value, not an index
    return int(np.argmax(values))


def _rarely(values, epsilon, rng):
    if rng.random() < epsilon**2:  # explores too rarely for 0 < epsilon < 1
        return int(rng.integers(len(values)))
    return int(np.argmax(values))


def _one_based(values, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(1, len(values) + 1))
    return int(np.argmax(values))


@pytest.mark.parametrize(
    ("fn", "message", "hint"),
    [
        (_greedy, "with epsilon = 1 every arm", "rng.integers"),
        (_inverted, "with epsilon = 0 it should always pick arm 2", "never explore"),
        (_worst, "LOWEST", "np.argmax"),
        (_explores_values, "an arm index (an int)", "rng.integers"),
        (_rarely, "explores too rarely", "rng.random() < epsilon"),
        (_one_based, "must be 0 to 3", "rng.integers"),
    ],
)
def test_choose_arm_typical_mistakes(fn, message, hint):
    feedback = ex.check_choose_arm(fn)
    assert feedback.status == WRONG, feedback.text()
    assert message in feedback.message and hint in feedback.hint
    assert feedback.value is ex.choose_arm


def test_choose_arm_crash_is_reported():
    feedback = ex.check_choose_arm(lambda values, epsilon, rng: values.best)
    assert feedback.status == WRONG and "AttributeError" in feedback.message


# --------------------------------------------------------------------------- 4. kinds


def kinds_template():
    return {scenario: ... for scenario in ex.SCENARIOS}


def test_kinds_template_is_not_attempted():
    feedback = ex.check_kinds(kinds_template())
    assert feedback.status == NOT_ATTEMPTED
    assert 'Replace each `...` with "supervised"' in feedback.message
    assert ex.check_kinds(...).status == NOT_ATTEMPTED
    assert ex.check_kinds.solution == ex.KINDS_SOLUTION and "Exercise 4" in ex.check_kinds.title


def test_kinds_reference_and_other_spellings_pass():
    assert ex.check_kinds(ex.KINDS_SOLUTION).status == CORRECT
    spelled = {
        scenario.upper(): f"{kind.title()} learning" if finer is None else finer
        for scenario, (kind, finer, _) in ex.SCENARIOS.items()
    }
    feedback = ex.check_kinds(spelled)
    assert feedback.status == CORRECT, feedback.text()
    assert feedback.value is spelled


def test_kinds_says_which_scenarios_are_wrong():
    answer = dict(ex.KINDS_SOLUTION)
    spam, customers = list(ex.SCENARIOS)[0], list(ex.SCENARIOS)[2]
    answer[spam] = "unsupervised"
    answer[customers] = "supervised"
    feedback = ex.check_kinds(answer)
    assert feedback.status == WRONG
    assert "2 of 6 are not right" in feedback.message
    assert spam in feedback.message and customers in feedback.message
    assert "labels" in feedback.hint
    assert feedback.value == ex.KINDS_SOLUTION


def test_kinds_partly_filled_is_wrong_with_a_count():
    answer = kinds_template()
    answer[list(ex.SCENARIOS)[0]] = "supervised"
    feedback = ex.check_kinds(answer)
    assert feedback.status == WRONG and "5 of 6 scenarios still have `...`" in feedback.message


def test_kinds_right_family_but_wrong_finer_name():
    answer = dict(ex.KINDS_SOLUTION)
    answer[list(ex.SCENARIOS)[0]] = "regression"  # spam: classification
    feedback = ex.check_kinds(answer)
    assert feedback.status == WRONG
    assert "supervised, yes, but classification" in feedback.message


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (["supervised"], "expected a dict"),
        ({"something else": "supervised"}, "is missing"),
    ],
)
def test_kinds_wrong_shape(answer, message):
    feedback = ex.check_kinds(answer)
    assert feedback.status == WRONG and message in feedback.message


def test_kinds_unknown_word_is_named():
    answer = dict(ex.KINDS_SOLUTION)
    answer[list(ex.SCENARIOS)[3]] = "deep"
    feedback = ex.check_kinds(answer)
    assert feedback.status == WRONG and "'deep'" in feedback.message
    assert "reinforcement" in feedback.hint
