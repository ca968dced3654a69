"""gancourse.two_class_models: fitted parameters, sampling, Bayes' rule, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import two_class_models as tcm  # the module under test


@pytest.fixture(scope="module")
def data():
    return tcm.two_class_data(2000, seed=1)


@pytest.fixture(scope="module")
def model(data):
    return tcm.fit_gaussian_classifier(*data)


# --------------------------------------------------------------------------- data


def test_two_class_data_is_reproducible_and_follows_the_prior():
    x, y = tcm.two_class_data(4000, seed=3, prior=0.25)
    again, _ = tcm.two_class_data(4000, seed=3, prior=0.25)
    assert x.shape == (4000, 2) and y.shape == (4000,) and set(np.unique(y)) == {0, 1}
    assert np.array_equal(x, again)
    assert abs(y.mean() - 0.25) < 0.03
    assert np.allclose(x[y == 1].mean(axis=0), tcm.TRUE_MEANS[1], atol=0.08)


# --------------------------------------------------------------------------- generative model


def test_gaussian_mle_is_the_class_fraction_sample_mean_and_covariance(data, model):
    x, y = data
    for k in (0, 1):
        points = x[y == k]
        centred = points - points.mean(axis=0)
        assert np.isclose(model.priors[k], len(points) / len(x))
        assert np.allclose(model.means[k], points.mean(axis=0))
        assert np.allclose(model.covariances[k], centred.T @ centred / len(points))
    assert np.isclose(model.priors.sum(), 1.0)
    assert model.num_classes == 2 and model.dim == 2


def test_gaussian_mle_recovers_the_true_parameters(model):
    assert np.allclose(model.means, tcm.TRUE_MEANS, atol=0.1)
    assert np.allclose(model.covariances, tcm.TRUE_COVARIANCES, atol=0.12)


def test_reg_is_added_to_the_diagonal(data):
    plain = tcm.fit_gaussian_classifier(*data)
    regular = tcm.fit_gaussian_classifier(*data, reg=0.5)
    assert np.allclose(regular.covariances - plain.covariances, 0.5 * np.eye(2))


def test_log_density_matches_the_formula():
    mean, cov = np.array([1.0, -1.0]), np.array([[2.0, 0.3], [0.3, 0.5]])
    x = np.array([[0.0, 0.0], [1.0, -1.0], [3.0, 2.0]])
    diff = x - mean
    maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(cov), diff)
    want = -0.5 * maha - np.log(2 * np.pi * np.sqrt(np.linalg.det(cov)))
    assert np.allclose(tcm.gaussian_log_density(x, mean, cov), want)


def test_bayes_rule_posterior_sums_to_one_and_matches_the_formula(data, model):
    x = data[0][:50]
    posterior = model.posterior(x)
    assert posterior.shape == (50, 2)
    assert np.allclose(posterior.sum(axis=1), 1.0)
    joint = model.likelihoods(x) * model.priors
    assert np.allclose(posterior, joint / joint.sum(axis=1, keepdims=True))
    assert np.allclose(model.density(x), joint.sum(axis=1))
    assert np.allclose(model.predict_proba(x), posterior[:, 1])
    assert np.array_equal(model.predict(x), np.argmax(posterior, axis=1))


def test_posterior_is_stable_far_from_the_data(model):
    far = np.array([[40.0, -40.0], [-60.0, 60.0]])
    posterior = model.posterior(far)
    assert np.all(np.isfinite(posterior)) and np.allclose(posterior.sum(axis=1), 1.0)
    assert np.all(model.log_density(far) < -100)


def test_sampled_points_have_the_fitted_moments(model):
    x, y = model.sample(40_000, seed=5)
    assert x.shape == (40_000, 2) and abs(y.mean() - model.priors[1]) < 0.01
    for k in (0, 1):
        points = x[y == k]
        assert np.allclose(points.mean(axis=0), model.means[k], atol=0.03)
        assert np.allclose(np.cov(points, rowvar=False), model.covariances[k], atol=0.05)
    again, _ = model.sample(40_000, seed=5)
    assert np.array_equal(x, again)


def test_sample_gaussian_has_the_asked_moments_in_any_dimension():
    mean = np.array([1.0, 0.0, -2.0])
    cov = np.array([[1.0, 0.5, 0.2], [0.5, 2.0, -0.6], [0.2, -0.6, 0.7]])
    x = tcm.sample_gaussian(mean, cov, 50_000, seed=np.random.default_rng(0))
    assert x.shape == (50_000, 3)
    assert np.allclose(x.mean(axis=0), mean, atol=0.03)
    assert np.allclose(np.cov(x, rowvar=False), cov, atol=0.05)


def test_many_classes_and_dimensions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 5)) + np.repeat(np.eye(5)[:3] * 4, 100, axis=0)
    y = np.repeat([0, 1, 2], 100)
    model = tcm.fit_gaussian_classifier(x, y)
    assert model.posterior(x).shape == (300, 3)
    assert tcm.accuracy(y, model.predict(x)) > 0.9
    assert model.num_parameters == 3 * (5 + 15) + 2
    with pytest.raises(ValueError, match="use posterior"):
        model.predict_proba(x)


# --------------------------------------------------------------------------- discriminative model


def test_logistic_regression_separates_separable_data():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-3, 0.5, size=(50, 2)), rng.normal(3, 0.5, size=(50, 2))])
    y = np.repeat([0, 1], 50)
    model = tcm.fit_logistic_regression(x, y)
    assert tcm.accuracy(y, model.predict(x)) == 1.0
    assert np.all(np.isfinite(model.weights)) and model.weights.sum() > 0
    p = model.predict_proba(x)
    assert np.all(p[y == 1] > 0.9) and np.all(p[y == 0] < 0.1)
    assert model.num_parameters == 3


def test_logistic_regression_recovers_known_weights():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20_000, 2))
    p = 1 / (1 + np.exp(-(x @ np.array([2.0, -1.0]) + 0.5)))
    y = (rng.random(20_000) < p).astype(int)
    model = tcm.fit_logistic_regression(x, y, l2=1e-8)
    assert np.allclose(model.weights, [2.0, -1.0], atol=0.1)
    assert abs(model.bias - 0.5) < 0.1


def test_both_models_classify_the_course_data_well_and_mostly_agree(data):
    x, y = data
    test_x, test_y = tcm.two_class_data(1000, seed=2)
    logistic = tcm.fit_logistic_regression(x, y)
    gaussians = tcm.fit_gaussian_classifier(x, y)
    assert tcm.accuracy(test_y, logistic.predict(test_x)) > 0.85
    assert tcm.accuracy(test_y, gaussians.predict(test_x)) > 0.85
    assert tcm.accuracy(logistic.predict(test_x), gaussians.predict(test_x)) > 0.9


# --------------------------------------------------------------------------- counts and grids


def test_parameter_counts_grow_like_d_squared():
    assert tcm.gaussian_parameter_count(2) == 5
    assert tcm.gaussian_parameter_count(784) == 784 + 784 * 785 // 2
    assert tcm.gaussian_parameter_count(784, "diagonal") == 2 * 784
    assert tcm.gaussian_parameter_count(784, "isotropic") == 785
    counts = tcm.parameter_counts(784, classes=10)
    assert counts["logistic regression"] == 9 * 785
    assert counts["class-conditional Gaussians"] == 10 * 308_504 + 9


def test_evaluate_grid_evaluates_on_rows_and_columns():
    xs, ys, p = tcm.evaluate_grid(lambda pts: (pts[:, 0] > 0).astype(float), ((-1, 1), (0, 3)), 5)
    assert p.shape == (5, 5) and np.allclose(xs, np.linspace(-1, 1, 5))
    assert np.allclose(ys, np.linspace(0, 3, 5))
    assert np.all(p[:, xs > 0] == 1) and np.all(p[:, xs <= 0] == 0)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: tcm.fit_gaussian_classifier(np.zeros(10), np.zeros(10)),
            r"shape \(N, d\)",
        ),
        (
            lambda: tcm.fit_gaussian_classifier(np.zeros((10, 2)), np.zeros(9)),
            "one label",
        ),
        (
            lambda: tcm.fit_gaussian_classifier(np.zeros((10, 2)), np.full(10, 0.5)),
            "integer class labels",
        ),
        (
            lambda: tcm.fit_gaussian_classifier(np.random.rand(10, 2), np.r_[np.zeros(9), 1]),
            "at least 2 points",
        ),
        (
            lambda: tcm.fit_gaussian_classifier(np.random.rand(6, 8), np.r_[[0] * 3, [1] * 3]),
            "fewer points than dimensions",
        ),
        (
            lambda: tcm.fit_logistic_regression(np.zeros((4, 2)), [0, 1, 2, 1]),
            r"labels 0\.\.1",
        ),
        (
            lambda: tcm.fit_logistic_regression(np.zeros((4, 2)), [0, 1, 0, 1], l2=-1),
            "l2",
        ),
        (
            lambda: tcm.fit_logistic_regression(np.full((2, 2), np.nan), [0, 1]),
            "NaN or infinite",
        ),
        (
            lambda: tcm.GaussianClassifier([0.5, 0.6], np.zeros((2, 2)), [np.eye(2)] * 2),
            "sum to 1",
        ),
        (
            lambda: tcm.GaussianClassifier([0.5, 0.5], np.zeros((2, 3)), [np.eye(2)] * 2),
            r"\(2, 3, 3\)",
        ),
        (
            lambda: tcm.GaussianClassifier([0.5, 0.5], np.zeros((2, 2)), [np.eye(2), -np.eye(2)]),
            r"covariances\[1\] is not positive definite",
        ),
        (
            lambda: tcm.sample_gaussian([0.0, 0.0], [[1.0, 2.0], [0.0, 1.0]], 5),
            "symmetric",
        ),
        (
            lambda: tcm.sample_gaussian([0.0, 0.0], np.eye(2), 0),
            "n must be a positive",
        ),
        (lambda: tcm.sample_gaussian([0.0, 0.0], np.eye(2), 3, seed=-1), "seed"),
        (
            lambda: tcm.gaussian_log_density(np.zeros((3, 3)), [0.0, 0.0], np.eye(2)),
            r"\(N, 2\)",
        ),
        (lambda: tcm.gaussian_parameter_count(3, "banded"), "Valid choices"),
        (lambda: tcm.parameter_counts(3, classes=1), "at least 2"),
        (lambda: tcm.two_class_data(10, prior=1.5), "prior"),
        (lambda: tcm.accuracy([0, 1], [0, 1, 1]), "same length"),
        (lambda: tcm.evaluate_grid(None, ((0, 1), (0, 1))), "function"),
        (lambda: tcm.evaluate_grid(np.ones, ((1, 0), (0, 1))), "lo < hi"),
        (
            lambda: tcm.evaluate_grid(lambda p: p, ((0, 1), (0, 1)), 3),
            "one number per point",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_single_point_must_be_a_row(model):
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        model.posterior(np.array([1.0, 2.0]))
    assert model.posterior(np.array([1.0, 2.0]).reshape(1, -1)).shape == (1, 2)
