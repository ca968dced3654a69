"""Notebook 02's exercise checks: the reference passes, typical mistakes get the right message."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse.exercises import CORRECT, NOT_ATTEMPTED, WRONG
from gancourse.exercises import generative_vs_discriminative as ex

# --------------------------------------------------------------------------- exercise 1


def _kinds(**changes):
    answers = {model: kind for model, (kind, _) in ex.MODEL_KINDS.items()}
    answers.update(changes)
    return answers


def _key(start):
    return next(model for model in ex.MODEL_KINDS if model.startswith(start))


def test_model_kinds_accepts_the_reference_and_loose_spelling():
    assert ex.check_model_kinds(ex.check_model_kinds.solution).status == CORRECT
    loose = {m: f"  {k.upper()} model " for m, k in _kinds().items()}
    feedback = ex.check_model_kinds(loose)
    assert feedback.status == CORRECT and "GAN" in feedback.message
    assert feedback.value is loose


def test_model_kinds_template_is_not_attempted():
    template = dict.fromkeys(ex.MODEL_KINDS, ...)
    feedback = ex.check_model_kinds(template)
    assert feedback.status == NOT_ATTEMPTED and "Replace the `...`" in feedback.message
    assert ex.check_model_kinds(...).status == NOT_ATTEMPTED
    assert ex.check_model_kinds(template).value == ex.check_model_kinds.solution


def test_model_kinds_explains_the_naive_bayes_and_gan_discriminator_traps():
    naive_bayes, discriminator = _key("a naive Bayes"), _key("a GAN's discriminator")
    answers = _kinds(**{naive_bayes: "discriminative", discriminator: "generative"})
    feedback = ex.check_model_kinds(answers)
    assert feedback.status == WRONG
    assert feedback.message.startswith("2 of 7 are not right.")
    assert "A naive Bayes spam filter" in feedback.message and "Bayes' rule" in feedback.message
    assert "is discriminative: it is part of a generative system" in feedback.message
    assert "p(y | x)" in feedback.hint


def test_model_kinds_partial_unclear_and_edited_answers():
    first = next(iter(ex.MODEL_KINDS))
    partial = ex.check_model_kinds(_kinds(**{first: ...}))
    assert partial.status == WRONG and "1 of the 7 models still have `...`" in partial.message
    unclear = ex.check_model_kinds(_kinds(**{first: "both"}))
    assert unclear.status == WRONG and "you wrote 'both'" in unclear.message
    assert "in quotes" in unclear.hint
    edited = _kinds()
    del edited[first]
    assert "missing 1 of the models" in ex.check_model_kinds(edited).message
    assert "should be the dict" in ex.check_model_kinds(["generative"]).message


# --------------------------------------------------------------------------- exercise 2


def _class_parameters(priors=None, means=None, covariances=None):
    """Return a student function: the reference with one part replaced by fn(x, y)."""

    def fn(x, y):
        p, m, c = ex._parameters_solution(x, y)
        return (
            p if priors is None else priors(x, y),
            m if means is None else means(x, y),
            c if covariances is None else covariances(x, y),
        )

    return fn


def test_class_parameters_accepts_the_reference_and_another_formulation():
    assert ex.check_class_parameters(ex._parameters_solution).status == CORRECT

    def by_hand(x, y):
        priors, means, covs = [], [], []
        for k in range(2):
            points = x[y == k]
            mu = points.sum(axis=0) / len(points)
            centred = points - mu
            priors.append(len(points) / len(x))
            means.append(mu)
            covs.append(centred.T @ centred / len(points))
        return priors, means, covs

    feedback = ex.check_class_parameters(by_hand)
    assert feedback.status == CORRECT and "(Your" not in feedback.message


def test_class_parameters_accepts_np_cov_default_with_a_note():
    unbiased = _class_parameters(
        covariances=lambda x, y: [np.cov(x[y == k], rowvar=False) for k in (0, 1)]
    )
    feedback = ex.check_class_parameters(unbiased)
    assert feedback.status == CORRECT and "divide by n_k - 1" in feedback.message


def test_class_parameters_template_is_not_attempted():
    def template(x, y):
        return ...  # your code here

    def raises(x, y):
        raise NotImplementedError

    for fn in (template, raises):
        feedback = ex.check_class_parameters(fn)
        assert feedback.status == NOT_ATTEMPTED and feedback.value is ex._parameters_solution


@pytest.mark.parametrize(
    ("fn", "message", "hint"),
    [
        (
            _class_parameters(priors=lambda x, y: np.bincount(y)),
            "are the class counts",
            "divide the count",
        ),
        (_class_parameters(priors=lambda x, y: [0.5, 0.5]), "yours are 1/2 each", "fraction"),
        (
            _class_parameters(priors=lambda x, y: [np.mean(y == 1), np.mean(y == 0)]),
            "in the wrong order",
            "priors[k]",
        ),
        (
            _class_parameters(means=lambda x, y: [x.mean(axis=0)] * 2),
            "mean of all points",
            "x[y == k]",
        ),
        (
            _class_parameters(means=lambda x, y: [x[y == k].mean(axis=1) for k in (0, 1)]),
            "could not be turned into one array",
            "axis=0",
        ),
        (
            _class_parameters(covariances=lambda x, y: [np.cov(x[y == k]) for k in (0, 1)]),
            "could not be turned into one array",
            "rowvar=False",
        ),
        (
            _class_parameters(covariances=lambda x, y: [np.cov(x, rowvar=False)] * 2),
            "covariance of all points together",
            "own covariance",
        ),
        (
            _class_parameters(
                covariances=lambda x, y: [np.diag(x[y == k].var(axis=0)) for k in (0, 1)]
            ),
            "only the variances",
            "full covariance",
        ),
        (
            _class_parameters(
                covariances=lambda x, y: [x[y == k].T @ x[y == k] / (y == k).sum() for k in (0, 1)]
            ),
            "without subtracting the mean",
            "Centre",
        ),
        (
            _class_parameters(covariances=lambda x, y: np.zeros((2, 2, 2))),
            "the covariance of class 0 should be",
            "np.cov",
        ),
    ],
)
def test_class_parameters_names_typical_mistakes(fn, message, hint):
    feedback = ex.check_class_parameters(fn)
    assert feedback.status == WRONG
    assert message in feedback.message and hint in feedback.hint


def test_class_parameters_needs_three_results():
    feedback = ex.check_class_parameters(lambda x, y: (np.ones(2) / 2, np.zeros((2, 2))))
    assert feedback.status == WRONG and "three things" in feedback.message
    assert "return priors, means, covariances" in feedback.hint


# --------------------------------------------------------------------------- exercise 3


def test_posterior_accepts_the_reference_and_a_log_space_formulation():
    assert ex.check_posterior(ex._posterior_solution).status == CORRECT

    def in_logs(likelihood, prior):
        log_joint = np.log(likelihood) + np.log(prior)
        return np.exp(log_joint - np.logaddexp.reduce(log_joint))

    feedback = ex.check_posterior(in_logs)
    assert feedback.status == CORRECT and "0.483" in feedback.message


def test_posterior_template_is_not_attempted():
    def template(likelihood, prior):
        return ...  # your code here

    assert ex.check_posterior(template).status == NOT_ATTEMPTED


@pytest.mark.parametrize(
    ("fn", "message", "hint"),
    [
        (lambda lik, pri: lik * pri, "sum to 0.029, not 1", "Divide them by p(x)"),
        (lambda lik, pri: lik / lik.sum(), "left out the priors", "Multiply"),
        (lambda lik, pri: (lik / pri) / (lik / pri).sum(), "divided by the priors", "multiplies"),
        (lambda lik, pri: lik * pri / lik.sum(), "divided by the sum of the", "sum the products"),
        (lambda lik, pri: float((lik * pri).sum()), "shape (2,)", "whole arrays"),
        (lambda lik, pri: np.array([0.9, 0.2]), "sums to 1.1", "Divide"),
        (lambda lik, pri: np.array([0.6, 0.4]), "should be [0.4828, 0.5172]", "p(y=k | x) ="),
    ],
)
def test_posterior_names_typical_mistakes(fn, message, hint):
    feedback = ex.check_posterior(fn)
    assert feedback.status == WRONG
    assert message in feedback.message and hint in feedback.hint


def test_posterior_that_only_works_for_two_classes_is_caught():
    def two_classes(likelihood, prior):
        a, b = likelihood[0] * prior[0], likelihood[1] * prior[1]
        return np.array([a, b]) / (a + b)

    feedback = ex.check_posterior(two_classes)
    assert feedback.status == WRONG and "shape (3,)" in feedback.message


# --------------------------------------------------------------------------- exercise 4


def test_sample_gaussian_accepts_the_reference_and_numpy_multivariate_normal():
    assert ex.check_sample_gaussian(ex._sample_solution).status == CORRECT

    def numpy_way(mean, cov, n, rng):
        return rng.multivariate_normal(mean, cov, size=n)

    def column_way(mean, cov, n, rng):
        chol = np.linalg.cholesky(cov)
        return (mean[:, None] + chol @ rng.standard_normal((len(mean), n))).T

    for fn in (numpy_way, column_way):
        feedback = ex.check_sample_gaussian(fn)
        assert feedback.status == CORRECT and "2-D and in 3-D" in feedback.message


def test_sample_gaussian_template_is_not_attempted():
    def template(mean, cov, n, rng):
        raise NotImplementedError

    assert ex.check_sample_gaussian(template).status == NOT_ATTEMPTED


def _z(mean, n, rng):
    return rng.standard_normal((n, len(mean)))


@pytest.mark.parametrize(
    ("fn", "message", "hint"),
    [
        (lambda m, c, n, r: m + _z(m, n, r) @ c, "cov @ cov", "not by cov"),
        (
            lambda m, c, n, r: m + _z(m, n, r) @ np.linalg.cholesky(c),
            "you computed z @ L",
            "z @ L.T",
        ),
        (
            lambda m, c, n, r: m + _z(m, n, r) * np.sqrt(np.diag(c)),
            "no correlation",
            "Cholesky",
        ),
        (lambda m, c, n, r: m + _z(m, n, r), "covariance I", "Cholesky"),
        (
            lambda m, c, n, r: _z(m, n, r) @ np.linalg.cholesky(c).T,
            "centred on 0",
            "Add the mean",
        ),
        (
            lambda m, c, n, r: (m + _z(m, n, r) @ np.linalg.cholesky(c).T).T,
            "one column per point",
            ".T",
        ),
        (
            lambda m, c, n, r: m + r.standard_normal((n, 2)) @ np.linalg.cholesky(c).T,
            "for a Gaussian in 3-D",
            "d = len(mean)",
        ),
        (lambda m, c, n, r: m + _z(m, n, r) @ np.sqrt(c), "covariance of your points", "L z"),
        (lambda m, c, n, r: 2 * m + _z(m, n, r), "your points average", "mean + L z"),
    ],
)
def test_sample_gaussian_names_typical_mistakes(fn, message, hint):
    feedback = ex.check_sample_gaussian(fn)
    assert feedback.status == WRONG
    assert message in feedback.message and hint in feedback.hint


def test_every_check_falls_back_to_a_working_reference():
    x, y = ex._parameter_data()
    priors, means, covs = ex.check_class_parameters(...).value(x, y)
    assert np.isclose(np.sum(priors), 1.0) and means.shape == (2, 2) and covs.shape == (2, 2, 2)
    post = ex.check_posterior(...).value(np.array([0.02, 0.05]), np.array([0.7, 0.3]))
    assert np.allclose(post, [0.014 / 0.029, 0.015 / 0.029])
    samples = ex.check_sample_gaussian(...).value(
        np.zeros(2), np.eye(2), 10, np.random.default_rng(0)
    )
    assert samples.shape == (10, 2)
