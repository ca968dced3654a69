"""Two ways to classify 2-D points: discriminative and generative, in NumPy only.

* :class:`LogisticRegression` (discriminative) models p(y=1 | x) = sigmoid(w . x + b) directly:
  it learns the boundary between the classes and nothing else.
* :class:`GaussianClassifier` (generative) models how each class produces its points,
  p(x | y=k) = N(x; mean_k, cov_k), and how common each class is, p(y=k). From these it can
  sample new labelled points and, through Bayes' rule, still classify:
  p(y=k | x) = p(x | y=k) p(y=k) / p(x).

Fit them with :func:`fit_logistic_regression` and :func:`fit_gaussian_classifier`; make the
notebook's data with :func:`two_class_data`. Nothing here imports TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import argchecks

__all__ = [
    "TRUE_COVARIANCES",
    "TRUE_MEANS",
    "GaussianClassifier",
    "LogisticRegression",
    "accuracy",
    "evaluate_grid",
    "fit_gaussian_classifier",
    "fit_logistic_regression",
    "gaussian_log_density",
    "gaussian_parameter_count",
    "parameter_counts",
    "sample_gaussian",
    "two_class_data",
]

#: The two classes of :func:`two_class_data`: class 0 is a wide tilted cloud, class 1 a
#: tighter one to its right, so the best boundary between them is curved.
TRUE_MEANS = np.array([[0.0, 0.0], [2.2, 0.6]])
TRUE_COVARIANCES = np.array([[[1.2, 0.8], [0.8, 1.0]], [[0.35, -0.12], [-0.12, 0.6]]])


# --------------------------------------------------------------------------- checks


def _covariance(name: str, value: Any, dim: int) -> np.ndarray:
    """Return a symmetric positive definite (dim, dim) matrix, or raise ValueError."""
    cov = np.asarray(value, dtype=np.float64)
    if cov.shape != (dim, dim):
        raise ValueError(f"{name} must have shape ({dim}, {dim}), got {cov.shape}.")
    if not np.all(np.isfinite(cov)) or not np.allclose(cov, cov.T, rtol=1e-8, atol=1e-10):
        raise ValueError(f"{name} must be a finite symmetric matrix.")
    try:
        np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"{name} is not positive definite (some direction has zero or negative variance). "
            "Add a small number to its diagonal, e.g. fit_gaussian_classifier(..., reg=1e-3)."
        ) from None
    return cov


# --------------------------------------------------------------------------- Gaussians


def gaussian_log_density(x: Any, mean: Any, cov: Any) -> np.ndarray:
    """Return log N(x; mean, cov) for each row of ``x`` (N, d), as an array (N,)."""
    mean = np.asarray(mean, dtype=np.float64)
    if mean.ndim != 1:
        raise ValueError(f"mean must be a vector of shape (d,), got {mean.shape}.")
    x = argchecks.points("x", x, mean.shape[0], min_rows=1, finite=True)
    cov = _covariance("cov", cov, mean.shape[0])
    chol = np.linalg.cholesky(cov)
    # Solve L z = (x - mean): then |z|^2 is the squared Mahalanobis distance.
    z = np.linalg.solve(chol, (x - mean).T)
    log_det = 2.0 * np.log(np.diag(chol)).sum()
    d = mean.shape[0]
    return -0.5 * (np.sum(z**2, axis=0) + log_det + d * np.log(2.0 * np.pi))


def sample_gaussian(
    mean: Any, cov: Any, n: int, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """Return ``n`` samples (n, d) of N(mean, cov): mean + z L^T with z ~ N(0, I), cov = L L^T."""
    mean = np.asarray(mean, dtype=np.float64)
    if mean.ndim != 1:
        raise ValueError(f"mean must be a vector of shape (d,), got {mean.shape}.")
    chol = np.linalg.cholesky(_covariance("cov", cov, mean.shape[0]))
    n = argchecks.positive_int("n", n)
    z = argchecks.rng(seed).standard_normal((n, mean.shape[0]))
    return mean + z @ chol.T


def gaussian_parameter_count(d: int, covariance: str = "full") -> int:
    """Return how many numbers a Gaussian in ``d`` dimensions needs: mean plus covariance.

    ``covariance`` is "full" (d(d+1)/2 distinct entries of a symmetric matrix), "diagonal"
    (d variances) or "isotropic" (one variance).
    """
    d = argchecks.positive_int("d", d)
    argchecks.choice("covariance", covariance, ("full", "diagonal", "isotropic"))
    extra = {"full": d * (d + 1) // 2, "diagonal": d, "isotropic": 1}[covariance]
    return d + extra


def parameter_counts(d: int, classes: int = 2) -> dict[str, int]:
    """Return the number of parameters of each classifier on ``d``-dimensional inputs.

    Logistic regression (one weight vector and bias per class beyond the first) against a
    generative classifier with one full-covariance Gaussian per class plus class priors.
    """
    d = argchecks.positive_int("d", d)
    classes = argchecks.positive_int("classes", classes)
    if classes < 2:
        raise ValueError(f"classes must be at least 2, got {classes}.")
    return {
        "logistic regression": (classes - 1) * (d + 1),
        "class-conditional Gaussians": classes * gaussian_parameter_count(d) + classes - 1,
    }


# ---------------------------------------------------------------------------- the generative model


@dataclass(frozen=True)
class GaussianClassifier:
    """A generative classifier: priors p(y=k), and p(x | y=k) = N(x; means[k], covariances[k])."""

    priors: np.ndarray
    means: np.ndarray
    covariances: np.ndarray

    def __post_init__(self) -> None:
        priors = np.asarray(self.priors, dtype=np.float64)
        means = np.asarray(self.means, dtype=np.float64)
        covs = np.asarray(self.covariances, dtype=np.float64)
        if priors.ndim != 1 or priors.shape[0] < 2:
            raise ValueError(f"priors must be a vector (K,) with K >= 2, got {priors.shape}.")
        k = priors.shape[0]
        if np.any(priors < 0) or not np.isclose(priors.sum(), 1.0, atol=1e-6):
            raise ValueError(
                f"priors must be probabilities that sum to 1, got {priors} (sum {priors.sum():g})."
            )
        if means.ndim != 2 or means.shape[0] != k or not np.all(np.isfinite(means)):
            raise ValueError(
                f"means must have shape ({k}, d), one row per class, got {means.shape}."
            )
        d = means.shape[1]
        if covs.shape != (k, d, d):
            raise ValueError(
                f"covariances must have shape ({k}, {d}, {d}), one matrix per class, "
                f"got {covs.shape}."
            )
        for i in range(k):
            _covariance(f"covariances[{i}]", covs[i], d)
        object.__setattr__(self, "priors", priors)
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "covariances", covs)

    @property
    def num_classes(self) -> int:
        """Return the number of classes K."""
        return self.priors.shape[0]

    @property
    def dim(self) -> int:
        """Return the dimension d of a point."""
        return self.means.shape[1]

    def log_likelihoods(self, x: Any) -> np.ndarray:
        """Return log p(x | y=k) for every point and class, an array (N, K)."""
        x = argchecks.points("x", x, self.dim, min_rows=1, finite=True)
        return np.stack(
            [gaussian_log_density(x, m, c) for m, c in zip(self.means, self.covariances)], axis=1
        )

    def likelihoods(self, x: Any) -> np.ndarray:
        """Return p(x | y=k) for every point and class, an array (N, K)."""
        return np.exp(self.log_likelihoods(x))

    def log_joint(self, x: Any) -> np.ndarray:
        """Return log p(x, y=k) = log p(x | y=k) + log p(y=k), an array (N, K)."""
        with np.errstate(divide="ignore"):
            return self.log_likelihoods(x) + np.log(self.priors)

    def log_density(self, x: Any) -> np.ndarray:
        """Return log p(x) = log sum_k p(x, y=k) for every point, an array (N,)."""
        joint = self.log_joint(x)
        top = joint.max(axis=1, keepdims=True)
        return (top + np.log(np.exp(joint - top).sum(axis=1, keepdims=True)))[:, 0]

    def density(self, x: Any) -> np.ndarray:
        """Return p(x) = sum_k p(x | y=k) p(y=k) for every point, an array (N,)."""
        return np.exp(self.log_density(x))

    def posterior(self, x: Any) -> np.ndarray:
        """Return p(y=k | x) by Bayes' rule, an array (N, K) whose rows sum to 1."""
        joint = self.log_joint(x)
        return np.exp(joint - self.log_density(x)[:, None])

    def predict_proba(self, x: Any) -> np.ndarray:
        """Return p(y=1 | x) for every point, an array (N,); needs two classes."""
        if self.num_classes != 2:
            raise ValueError(
                f"predict_proba gives p(y=1 | x) for two classes; this model has "
                f"{self.num_classes}: use posterior(x) instead."
            )
        return self.posterior(x)[:, 1]

    def predict(self, x: Any) -> np.ndarray:
        """Return the most probable class of every point, an int array (N,)."""
        return np.argmax(self.log_joint(x), axis=1)

    def sample(
        self, n: int, seed: int | np.random.Generator | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return ``n`` new labelled points (x (n, d), y (n,)): y ~ p(y), then x ~ p(x | y)."""
        n = argchecks.positive_int("n", n)
        rng = argchecks.rng(seed)
        y = rng.choice(self.num_classes, size=n, p=self.priors)
        x = np.empty((n, self.dim))
        for k in range(self.num_classes):
            members = y == k
            if members.any():
                x[members] = sample_gaussian(
                    self.means[k], self.covariances[k], int(members.sum()), rng
                )
        return x, y

    @property
    def num_parameters(self) -> int:
        """Return the number of free parameters: K - 1 priors, K means and K covariances."""
        return self.num_classes * gaussian_parameter_count(self.dim) + self.num_classes - 1


def fit_gaussian_classifier(x: Any, y: Any, *, reg: float = 0.0) -> GaussianClassifier:
    """Return the maximum-likelihood GaussianClassifier for points ``x`` (N, d), labels ``y``.

    Priors are the class fractions, means and covariances the sample mean and covariance
    (divided by the class size, the maximum-likelihood estimate) of each class. ``reg`` is
    added to every covariance's diagonal, which keeps it invertible when d is large.
    """
    x = argchecks.points("x", x, min_rows=1, finite=True)
    y = argchecks.labels("y", y, x.shape[0])
    if reg != 0.0:
        reg = argchecks.positive_float("reg", reg)
    classes = int(y.max()) + 1
    counts = np.bincount(y, minlength=classes)
    if classes < 2 or np.any(counts < 2):
        raise ValueError(
            f"every class 0..{max(classes - 1, 1)} needs at least 2 points to fit a Gaussian; "
            f"the class sizes are {counts.tolist()}."
        )
    means = np.stack([x[y == k].mean(axis=0) for k in range(classes)])
    covs = np.stack(
        [
            np.cov(x[y == k], rowvar=False, bias=True).reshape(x.shape[1], x.shape[1])
            + reg * np.eye(x.shape[1])
            for k in range(classes)
        ]
    )
    try:
        return GaussianClassifier(counts / counts.sum(), means, covs)
    except ValueError as error:
        if "positive definite" not in str(error):
            raise
        raise ValueError(
            f"{error} This happens when a class has fewer points than dimensions "
            "or a feature is constant within a class."
        ) from None


# ------------------------------------------------------------------------ the discriminative model


def _sigmoid(t: np.ndarray) -> np.ndarray:
    """Return 1 / (1 + exp(-t)) without overflow warnings."""
    return np.exp(-np.logaddexp(0.0, -t))


@dataclass(frozen=True)
class LogisticRegression:
    """A discriminative classifier: p(y=1 | x) = sigmoid(weights . x + bias)."""

    weights: np.ndarray
    bias: float

    def __post_init__(self) -> None:
        weights = np.asarray(self.weights, dtype=np.float64)
        if weights.ndim != 1 or not np.all(np.isfinite(weights)):
            raise ValueError(f"weights must be a finite vector (d,), got shape {weights.shape}.")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "bias", float(self.bias))

    def logits(self, x: Any) -> np.ndarray:
        """Return weights . x + bias for every point, an array (N,)."""
        return (
            argchecks.points("x", x, self.weights.shape[0], min_rows=1, finite=True) @ self.weights
            + self.bias
        )

    def predict_proba(self, x: Any) -> np.ndarray:
        """Return p(y=1 | x) for every point, an array (N,)."""
        return _sigmoid(self.logits(x))

    def predict(self, x: Any) -> np.ndarray:
        """Return the predicted class (1 where p(y=1 | x) > 1/2), an int array (N,)."""
        return (self.logits(x) > 0).astype(np.int64)

    @property
    def num_parameters(self) -> int:
        """Return the number of parameters: d weights and one bias."""
        return self.weights.shape[0] + 1


def fit_logistic_regression(
    x: Any, y: Any, *, l2: float = 1e-3, max_steps: int = 50
) -> LogisticRegression:
    """Return the logistic regression that maximises the likelihood of labels ``y`` (0 or 1).

    Newton's method on the mean cross-entropy plus ``l2`` / 2 times the squared weights; the
    small penalty keeps the weights finite when the classes are perfectly separable.
    """
    x = argchecks.points("x", x, min_rows=1, finite=True)
    y = argchecks.labels("y", y, x.shape[0], classes=2)
    l2 = argchecks.positive_float("l2", l2)
    max_steps = argchecks.positive_int("max_steps", max_steps)
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])  # a column of ones carries the bias
    penalty = l2 * np.diag([1.0] * d + [0.0])  # the bias is not penalised
    theta = np.zeros(d + 1)
    for _ in range(max_steps):
        p = _sigmoid(design @ theta)
        gradient = design.T @ (p - y) / n + penalty @ theta
        hessian = (design.T * (p * (1 - p))) @ design / n + penalty + 1e-12 * np.eye(d + 1)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return LogisticRegression(theta[:d], theta[d])


# --------------------------------------------------------------------------- data and helpers


def two_class_data(
    n: int = 500, seed: int | np.random.Generator | None = 0, prior: float = 0.4
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n`` labelled 2-D points (x (n, 2), y (n,)), each of class 1 with ``prior``.

    Class 0 is drawn from N(TRUE_MEANS[0], TRUE_COVARIANCES[0]), class 1 from the second pair.
    """
    prior = argchecks.in_range("prior", prior, 0.0, 1.0)
    truth = GaussianClassifier(np.array([1 - prior, prior]), TRUE_MEANS, TRUE_COVARIANCES)
    return truth.sample(n, seed)


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Return the fraction of predictions that equal the true labels."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(
            f"y_true and y_pred must be non-empty vectors of the same length, got shapes "
            f"{y_true.shape} and {y_pred.shape}."
        )
    return float(np.mean(y_true == y_pred))


def evaluate_grid(
    fn: Callable[[np.ndarray], Any],
    bounds: tuple[tuple[float, float], tuple[float, float]],
    steps: int = 150,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (xs, ys, v) with v[i, j] = fn([[xs[j], ys[i]]]) on a steps x steps grid.

    ``fn`` takes points (N, 2) and returns one number per point, e.g. ``model.predict_proba``
    (p(y=1 | x), for a decision-boundary map) or ``model.density`` (p(x)).
    """
    if not callable(fn):
        raise ValueError(
            "fn must be a function of points (N, 2), e.g. model.predict_proba or model.density."
        )
    try:
        (xlo, xhi), (ylo, yhi) = bounds
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xlo, xhi), (ylo, yhi)), got {bounds!r}.") from None
    if not (xlo < xhi and ylo < yhi):
        raise ValueError(f"bounds must have lo < hi on both axes, got {bounds!r}.")
    steps = argchecks.positive_int("steps", steps)
    xs, ys = np.linspace(xlo, xhi, steps), np.linspace(ylo, yhi, steps)
    gx, gy = np.meshgrid(xs, ys)
    values = np.asarray(fn(np.column_stack([gx.ravel(), gy.ravel()])), dtype=np.float64)
    if values.shape != (steps * steps,):
        raise ValueError(f"fn must return one number per point, got shape {values.shape}.")
    return xs, ys, values.reshape(steps, steps)
