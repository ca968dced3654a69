"""Exercises of notebook 02, generative vs discriminative models.

1. :func:`check_model_kinds`: is each model generative or discriminative?
2. :func:`check_class_parameters`: the maximum-likelihood priors, means and covariances.
3. :func:`check_posterior`: Bayes' rule, p(y | x) from p(x | y) and p(y).
4. :func:`check_sample_gaussian`: sampling from a Gaussian with a Cholesky factor.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Feedback, Mistake, call, exercise, name_mistake

__all__ = [
    "MODEL_KINDS",
    "check_class_parameters",
    "check_model_kinds",
    "check_posterior",
    "check_sample_gaussian",
]

GENERATIVE, DISCRIMINATIVE = "generative", "discriminative"

#: Exercise 1: each model, its kind, and why (shown when the answer is wrong).
MODEL_KINDS: dict[str, tuple[str, str]] = {
    "a spam filter that outputs p(spam | e-mail)": (
        DISCRIMINATIVE,
        "it only learns where the line between spam and not-spam lies, p(y | x).",
    ),
    "a model that writes new e-mails that read like spam": (
        GENERATIVE,
        "to write new e-mails it must know what spam looks like, p(x | spam): it samples x.",
    ),
    "logistic regression": (
        DISCRIMINATIVE,
        "sigmoid(w . x + b) is p(y = 1 | x), a boundary; it says nothing about p(x).",
    ),
    "a naive Bayes spam filter, which learns p(words | spam), p(words | not spam), p(spam)": (
        GENERATIVE,
        "it classifies, but through Bayes' rule from a model of how each class writes its "
        "words, p(x | y) p(y) = p(x, y). Such a model can also sample words.",
    ),
    "a model of p(x) for photos of faces that can draw new faces": (
        GENERATIVE,
        "it models the data itself, p(x), and samples from it.",
    ),
    "a GAN's discriminator, which outputs p(real | image)": (
        DISCRIMINATIVE,
        "it is part of a generative system, but on its own it is a classifier of real vs "
        "generated images: p(y | x).",
    ),
    "a GAN's generator, which turns random noise into images": (
        GENERATIVE,
        "it draws new samples x; its samples follow the distribution p_g(x) it has learned.",
    ),
}


# --------------------------------------------------------------------------- exercise 1


def _kind(text: Any) -> str | None:
    """Return "generative" or "discriminative" for an answer such as "Generative model"."""
    if not isinstance(text, str):
        return None
    word = text.strip().lower()
    if word.startswith("gen"):
        return GENERATIVE
    if word.startswith("disc"):
        return DISCRIMINATIVE
    return None


@exercise(
    "Exercise 1: generative or discriminative?",
    {model: kind for model, (kind, _) in MODEL_KINDS.items()},
)
def _check_kinds(answers: Any) -> str:
    """Check a dict {model: "generative" or "discriminative"} against MODEL_KINDS."""
    if not isinstance(answers, dict):
        raise Mistake(
            f"answers should be the dict from the exercise cell, got {type(answers).__name__}.",
            "Run the exercise cell again as it was and fill in each `...`.",
        )
    missing = [model for model in MODEL_KINDS if model not in answers]
    if missing:
        raise Mistake(
            f"the dict is missing {len(missing)} of the models, e.g. {missing[0]!r}.",
            "Keep the keys (the model descriptions) as they are; only replace each `...`.",
        )
    open_ = [model for model in MODEL_KINDS if answers[model] is Ellipsis]
    if open_:
        raise Mistake(
            f"{len(open_)} of the {len(MODEL_KINDS)} models still have `...`, e.g. {open_[0]!r}.",
            'Write "generative" or "discriminative" for every one.',
        )
    unclear = [(m, answers[m]) for m in MODEL_KINDS if _kind(answers[m]) is None]
    if unclear:
        model, value = unclear[0]
        raise Mistake(
            f"for {model!r} you wrote {value!r}.",
            'Write the string "generative" or "discriminative" (in quotes).',
        )
    wrong = [m for m in MODEL_KINDS if _kind(answers[m]) != MODEL_KINDS[m][0]]
    if wrong:
        reasons = " ".join(
            f"{model[0].upper()}{model[1:]} is {MODEL_KINDS[model][0]}: {MODEL_KINDS[model][1]}"
            for model in wrong
        )
        raise Mistake(
            f"{len(wrong)} of {len(MODEL_KINDS)} are not right. {reasons}",
            "Ask of each model: does it learn only p(y | x), or how the data x itself comes "
            "about (p(x) or p(x | y))?",
        )
    return (
        "All seven right. Note the pair at the end: a GAN is a generative model built from a "
        "generator (generative) and a discriminator (a discriminative classifier)."
    )


def check_model_kinds(answers: Any = ...) -> Feedback:
    """Return the feedback on a dict {model: "generative" or "discriminative"}."""
    if isinstance(answers, dict) and all(answers.get(m, ...) is Ellipsis for m in MODEL_KINDS):
        answers = ...  # the untouched template: "replace the `...`", not "fill in the function"
    return _check_kinds(answers)


check_model_kinds.solution = _check_kinds.solution  # type: ignore[attr-defined]
check_model_kinds.title = _check_kinds.title  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- exercise 2


def _parameters_solution(x, y):
    priors = np.array([np.mean(y == k) for k in (0, 1)])
    means = np.array([x[y == k].mean(axis=0) for k in (0, 1)])
    covariances = np.array([np.cov(x[y == k], rowvar=False, bias=True) for k in (0, 1)])
    return priors, means, covariances


def _parameter_data() -> tuple[np.ndarray, np.ndarray]:
    """Return the small fixed data set the check uses: 12 points of class 0, 8 of class 1."""
    rng = np.random.default_rng(2)
    x0 = rng.multivariate_normal([0.0, 1.0], [[1.0, 0.6], [0.6, 0.8]], size=12)
    x1 = rng.multivariate_normal([3.0, -1.0], [[0.5, -0.3], [-0.3, 1.2]], size=8)
    x = np.vstack([x0, x1])
    y = np.array([0] * 12 + [1] * 8)
    order = rng.permutation(len(y))
    return x[order], y[order]


def _array(value: Any, what: str, shape: tuple[int, ...], hint: str) -> np.ndarray:
    """Return ``value`` as a float array of ``shape``, or raise a Mistake naming ``what``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Mistake(
            f"{what} could not be turned into one array of shape {shape}; the parts have "
            "different shapes.",
            hint,
        ) from None
    if arr.shape != shape:
        raise Mistake(f"{what} should have shape {shape}, yours has shape {arr.shape}.", hint)
    return arr


def _close(a: np.ndarray, b: np.ndarray, tol: float = 1e-6) -> bool:
    """Return True when two arrays of the same shape agree to ``tol``."""
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def _check_priors(priors: np.ndarray, want: np.ndarray, counts: np.ndarray) -> None:
    """Raise a Mistake that says how ``priors`` differs from the class fractions ``want``."""
    if _close(priors, want):
        return
    if _close(priors, counts):
        raise Mistake(
            f"your priors {priors} are the class counts.",
            "A prior is a probability: divide the count of class k by the number of points.",
        )
    if _close(priors, want[::-1]):
        raise Mistake(f"your priors {priors} are in the wrong order.", "priors[k] is p(y = k).")
    if _close(priors, np.full(2, 0.5)):
        raise Mistake(
            f"the priors should be {np.round(want, 4)}, yours are 1/2 each.",
            "The classes are not equally common here: p(y = k) is the fraction of points "
            "with label k, e.g. np.mean(y == k).",
        )
    raise Mistake(
        f"the priors should be {np.round(want, 4)}, yours are {np.round(priors, 4)}.",
        "p(y = k) is the fraction of points with label k, e.g. np.mean(y == k).",
    )


def _check_means(means: np.ndarray, want: np.ndarray, x: np.ndarray) -> None:
    """Raise a Mistake that says how ``means`` differs from the class means ``want``."""
    if _close(means, want):
        return
    if _close(means, np.tile(x.mean(axis=0), (2, 1))):
        raise Mistake(
            "both of your means are the mean of all points.",
            "Select the points of class k first: x[y == k].mean(axis=0).",
        )
    raise Mistake(
        f"the mean of class 0 should be {np.round(want[0], 4)}, yours is {np.round(means[0], 4)}.",
        "means[k] = x[y == k].mean(axis=0): the average over the points (rows) of class k.",
    )


def _covariance_mistakes(x: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, str, str]]:
    """Return (wrong covariances, message, hint) for the typical mistakes on data (x, y)."""
    classes = [x[y == k] for k in (0, 1)]
    centred = [c - c.mean(axis=0) for c in classes]
    return [
        (
            np.array([np.cov(x, rowvar=False, bias=b)] * 2),
            "both of your covariances are the covariance of all points together.",
            "Each class has its own covariance: use the points x[y == k] of class k only.",
        )
        for b in (True, False)
    ] + [
        (
            np.array([np.diag(np.var(c, axis=0)) for c in classes]),
            "your covariances have only the variances on the diagonal; the off-diagonal "
            "entries (how x1 and x2 vary together) are 0.",
            "Use the full covariance: np.cov(points, rowvar=False, bias=True).",
        ),
        (
            np.array([np.diag(np.std(c, axis=0)) for c in classes]),
            "your covariance matrices hold standard deviations on the diagonal.",
            "Use the full covariance: np.cov(points, rowvar=False, bias=True).",
        ),
        (
            np.array([c.T @ c / len(c) for c in classes]),
            "your covariances are the average of x x^T without subtracting the mean.",
            "Centre each class first: (x_k - mean_k).T @ (x_k - mean_k) / n_k.",
        ),
        (
            np.array([d.T @ d for d in centred]),
            "your covariances are sums, not averages.",
            "Divide the sum of (x - mean)(x - mean)^T by the number of points of the class.",
        ),
    ]


def _check_covariances(covs: np.ndarray, want: np.ndarray, x: np.ndarray, y: np.ndarray) -> str:
    """Raise a Mistake that says how ``covs`` differs from the MLE covariances ``want``."""
    if _close(covs, want):
        return ""
    unbiased = np.array([np.cov(x[y == k], rowvar=False) for k in (0, 1)])
    if _close(covs, unbiased):
        return (
            " (Your covariances divide by n_k - 1, as np.cov does by default; the maximum-"
            "likelihood estimate divides by n_k, np.cov(..., bias=True). With many points "
            "the two hardly differ.)"
        )
    name_mistake(covs, _covariance_mistakes(x, y), _close)
    raise Mistake(
        f"the covariance of class 0 should be {np.round(want[0], 4).tolist()}, yours is "
        f"{np.round(covs[0], 4).tolist()}.",
        "covariances[k] = np.cov(x[y == k], rowvar=False, bias=True).",
    )


@exercise("Exercise 2: fit one Gaussian per class", _parameters_solution)
def check_class_parameters(fn: Any) -> str:
    """Check a function (x, y) -> (priors (2,), means (2, 2), covariances (2, 2, 2))."""
    x, y = _parameter_data()
    result = call(fn, x.copy(), y.copy())
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Mistake(
            f"your function should return three things, got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
            + ".",
            "End it with `return priors, means, covariances`.",
        )
    want = _parameters_solution(x, y)
    counts = np.bincount(y).astype(float)
    priors = _array(result[0], "priors", (2,), "One probability per class: p(y=0), p(y=1).")
    _check_priors(priors, want[0], counts)
    means = _array(
        result[1],
        "means",
        (2, 2),
        "One row per class, one column per coordinate: x[y == k].mean(axis=0), not axis=1.",
    )
    _check_means(means, want[1], x)
    covs = _array(
        result[2],
        "covariances",
        (2, 2, 2),
        "One 2 x 2 matrix per class. np.cov treats rows as variables unless you pass "
        "rowvar=False (points are rows here).",
    )
    note = _check_covariances(covs, want[2], x, y)
    return "Priors, means and covariances are the maximum-likelihood estimates." + note


# --------------------------------------------------------------------------- exercise 3


def _posterior_solution(likelihood, prior):
    joint = np.asarray(likelihood) * np.asarray(prior)  # p(x | y=k) p(y=k) = p(x, y=k)
    return joint / joint.sum()  # divided by p(x) = sum over k of p(x, y=k)


#: Exercise 3's test cases: (p(x | y=k) for each class, p(y=k) for each class).
POSTERIOR_CASES = (
    (np.array([0.02, 0.05]), np.array([0.7, 0.3])),
    (np.array([0.1, 0.3, 0.05]), np.array([0.2, 0.3, 0.5])),
)


def _check_one_posterior(fn: Any, likelihood: np.ndarray, prior: np.ndarray) -> None:
    """Raise a Mistake unless ``fn`` gives the Bayes posterior for this case."""
    got = call(fn, likelihood.copy(), prior.copy())
    want = _posterior_solution(likelihood, prior)
    case = f"for p(x | y) = {likelihood.tolist()} and p(y) = {prior.tolist()}"
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Mistake(f"{case} your function returned {got!r}, not numbers.") from None
    if got.shape != want.shape:
        raise Mistake(
            f"{case} the posterior should have one probability per class, shape {want.shape}; "
            f"yours has shape {got.shape}.",
            "Work with whole arrays: likelihood * prior multiplies class by class.",
        )
    if _close(got, want):
        return
    joint = likelihood * prior
    wrong = [
        (
            joint,
            f"your numbers {np.round(got, 4).tolist()} sum to {got.sum():.4g}, not 1.",
            "These are p(x, y=k) = p(x | y=k) p(y=k). Divide them by p(x), their sum.",
        ),
        (
            likelihood / likelihood.sum(),
            "you normalised the likelihoods p(x | y) but left out the priors.",
            "Multiply each likelihood by its prior p(y=k) before dividing by the sum.",
        ),
        (
            (likelihood / prior) / (likelihood / prior).sum(),
            "you divided by the priors.",
            "Bayes' rule multiplies: p(y | x) is proportional to p(x | y) p(y).",
        ),
        (
            joint / likelihood.sum(),
            f"your numbers sum to {got.sum():.4g}, not 1: you divided by the sum of the "
            "likelihoods.",
            "p(x) = sum over k of p(x | y=k) p(y=k): sum the products, not the likelihoods.",
        ),
    ]
    name_mistake(got, wrong, _close)
    if not np.isclose(got.sum(), 1.0):
        raise Mistake(
            f"{case} your posterior sums to {got.sum():.4g}; probabilities over the classes "
            "must sum to 1.",
            "Divide p(x | y=k) p(y=k) by p(x), the sum of these products over k.",
        )
    raise Mistake(
        f"{case} the posterior should be {np.round(want, 4).tolist()}, "
        f"yours is {np.round(got, 4).tolist()}.",
        "p(y=k | x) = p(x | y=k) p(y=k) / sum over j of p(x | y=j) p(y=j).",
    )


@exercise("Exercise 3: Bayes' rule", _posterior_solution)
def check_posterior(fn: Any) -> str:
    """Check a function (likelihood (K,), prior (K,)) -> posterior p(y | x) (K,)."""
    for likelihood, prior in POSTERIOR_CASES:
        _check_one_posterior(fn, likelihood, prior)
    return (
        "For p(x | y) = [0.02, 0.05] and p(y) = [0.7, 0.3] you get [0.483, 0.517]: the point "
        "is 2.5 times likelier under class 1, but class 0 is more common, so it is nearly a tie."
    )


# --------------------------------------------------------------------------- exercise 4


def _sample_solution(mean, cov, n, rng):
    chol = np.linalg.cholesky(cov)  # cov = L @ L.T
    z = rng.standard_normal((n, len(mean)))  # n points of N(0, I)
    return mean + z @ chol.T  # each row is mean + L z


#: Exercise 4's Gaussians (mean, covariance) and the number of points drawn from each.
SAMPLE_CASES = (
    (np.array([2.0, -1.0]), np.array([[2.0, 1.2], [1.2, 1.0]])),
    (np.array([0.0, 1.0, -2.0]), np.array([[1.0, 0.5, 0.0], [0.5, 2.0, -0.6], [0.0, -0.6, 0.5]])),
)
SAMPLE_SIZE = 20_000


def _sample_mistakes(mean: np.ndarray, cov: np.ndarray) -> list[tuple[np.ndarray, str, str]]:
    """Return (covariance the samples would have, message, hint) for typical mistakes."""
    chol = np.linalg.cholesky(cov)
    return [
        (
            cov @ cov.T,
            "your points spread too far: their covariance is cov @ cov, not cov.",
            "Multiply z by the Cholesky factor L = np.linalg.cholesky(cov), not by cov.",
        ),
        (
            chol.T @ chol,
            "your points have the wrong covariance: you computed z @ L; that gives L^T L.",
            "Each point is mean + L z; for rows z that is z @ L.T.",
        ),
        (
            np.diag(np.diag(cov)),
            "your points have the right variances but no correlation between coordinates.",
            "Scaling each coordinate by its standard deviation ignores the off-diagonal "
            "entries: multiply by the Cholesky factor L instead.",
        ),
        (
            np.eye(len(mean)),
            "your points have covariance I: z was never scaled.",
            "Multiply z by the Cholesky factor: mean + z @ L.T.",
        ),
    ]


def _matches(sample_cov: np.ndarray, cov: np.ndarray) -> bool:
    """Return True when a sample covariance is within 5% (of the largest entry) of ``cov``."""
    return bool(np.abs(sample_cov - cov).max() <= 0.05 * np.abs(cov).max())


def _check_one_sample(fn: Any, mean: np.ndarray, cov: np.ndarray) -> None:
    """Raise a Mistake unless ``fn`` samples N(mean, cov) (checked through the moments)."""
    d = len(mean)
    try:
        got = call(fn, mean.copy(), cov.copy(), SAMPLE_SIZE, np.random.default_rng(0))
    except Mistake as mistake:
        if d == len(SAMPLE_CASES[0][0]):
            raise
        raise Mistake(
            f"your function works in 2-D, but for a Gaussian in {d}-D {mistake}",
            "Draw z with shape (n, d), with d = len(mean), so it works in any dimension.",
        ) from None
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Mistake(f"your function returned {type(got).__name__}, not numbers.") from None
    if got.shape == (d, SAMPLE_SIZE) and d != SAMPLE_SIZE:
        raise Mistake(
            f"your samples have shape {got.shape}: one column per point.",
            "Return one point per row, shape (n, d): transpose with .T.",
        )
    if got.shape != (SAMPLE_SIZE, d):
        raise Mistake(
            f"for n = {SAMPLE_SIZE} points in {d}-D the result should have shape "
            f"({SAMPLE_SIZE}, {d}), yours has shape {got.shape}.",
            "Draw z with shape (n, d), with d = len(mean), so it works in any dimension.",
        )
    mean_error = np.abs(got.mean(axis=0) - mean).max()
    sample_cov = np.cov(got, rowvar=False)
    if mean_error > 0.1:
        if np.abs(got.mean(axis=0)).max() < 0.1:
            raise Mistake(
                f"your points are centred on 0, not on the mean {mean.tolist()}.",
                "Add the mean: mean + z @ L.T.",
            )
        raise Mistake(
            f"your points average {np.round(got.mean(axis=0), 3).tolist()}, the mean is "
            f"{mean.tolist()}.",
            "Each point is mean + L z with z ~ N(0, I).",
        )
    if _matches(sample_cov, cov):
        return
    name_mistake(sample_cov, _sample_mistakes(mean, cov), _matches)
    raise Mistake(
        f"the covariance of your points is {np.round(sample_cov, 2).tolist()}, it should be "
        f"{cov.tolist()}.",
        "Each point is mean + L z with z ~ N(0, I) and L = np.linalg.cholesky(cov).",
    )


@exercise("Exercise 4: sample from a Gaussian", _sample_solution)
def check_sample_gaussian(fn: Any) -> str:
    """Check a function (mean (d,), cov (d, d), n, rng) -> n samples (n, d) of N(mean, cov)."""
    for mean, cov in SAMPLE_CASES:
        _check_one_sample(fn, mean, cov)
    return f"{SAMPLE_SIZE:,} of your points have the right mean and covariance, in 2-D and in 3-D."
