"""Exercises of notebook 01, types of machine learning.

1. :func:`check_gradient_step`: one gradient-descent step for a line under the squared error;
2. :func:`check_assign_clusters`: the assignment step of k-means;
3. :func:`check_choose_arm`: the epsilon-greedy choice of a slot machine's arm;
4. :func:`check_kinds`: name the kind of learning in six scenarios (a dict answer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import Mistake, NotAttempted, call, exercise

# --------------------------------------------------------------------------- 1. gradient step


def gradient_step(
    w: float, b: float, x: np.ndarray, y: np.ndarray, learning_rate: float
) -> tuple[float, float]:
    """One step of gradient descent on J(w, b) = mean((w x + b - y) ** 2)."""
    error = w * x + b - y  # prediction minus target, one per example
    grad_w = 2 * np.mean(error * x)  # dJ/dw
    grad_b = 2 * np.mean(error)  # dJ/db
    return w - learning_rate * grad_w, b - learning_rate * grad_b


#: A small example where each typical mistake gives a different answer.
_STEP_X = np.array([1.0, 2.0, 3.0, 4.0])
_STEP_Y = np.array([3.0, 5.5, 6.5, 9.5])
_STEP_W, _STEP_B, _STEP_LR = 0.5, 0.2, 0.05


def _step_mistakes(w: float, b: float, x: np.ndarray, y: np.ndarray, lr: float) -> list:
    """Return [(what is wrong, hint, (w_new, b_new))] for the usual wrong steps."""
    error = w * x + b - y
    gw, gb = 2 * np.mean(error * x), 2 * np.mean(error)
    n = len(x)
    uphill = (
        "Subtract the gradient: w - learning_rate * dJ/dw. (If you wrote the error as "
        "y - prediction, its sign flips, and so must the step's.)"
    )
    return [
        ("the step goes uphill: the loss grows", uphill, (w + lr * gw, b + lr * gb)),
        (
            "it is half the right size",
            "The derivative of e**2 is 2 e: keep the factor 2.",
            (w - lr * gw / 2, b - lr * gb / 2),
        ),
        (
            f"it is {n} times too big",
            "Average over the examples (np.mean), do not sum them.",
            (w - lr * gw * n, b - lr * gb * n),
        ),
        (
            "w changes exactly as much as b",
            "dJ/dw = 2 mean(error * x): each error is weighted by its x.",
            (w - lr * gb, b - lr * gb),
        ),
        (
            "w and b are swapped",
            "Return (new w, new b), in this order.",
            (b - lr * gb, w - lr * gw),
        ),
        (
            "the learning rate is missing",
            "Multiply the gradient by learning_rate.",
            (w - gw, b - gb),
        ),
        (
            "it returns the gradient, not the new values",
            "Return w - learning_rate * dJ/dw and b - learning_rate * dJ/db.",
            (gw, gb),
        ),
    ]


def _pair(result: Any) -> tuple[float, float]:
    """Return the student's result as two floats, or raise Mistake."""
    try:
        values = [float(np.asarray(v, dtype=float).reshape(())) for v in result]
    except (TypeError, ValueError) as error:
        raise Mistake(
            f"expected two numbers (new w, new b), got {result!r}.",
            "Return a pair: `return new_w, new_b`, each a single number.",
        ) from error
    if len(values) != 2:
        raise Mistake(
            f"expected two numbers (new w, new b), got {len(values)}.",
            "Return a pair: `return new_w, new_b`.",
        )
    return values[0], values[1]


@exercise("Exercise 1 · one gradient-descent step", gradient_step)
def check_gradient_step(fn: Callable[..., Any]) -> str:
    """Check ``fn(w, b, x, y, learning_rate) -> (new_w, new_b)`` against the reference."""
    cases = [
        (_STEP_W, _STEP_B, _STEP_X, _STEP_Y, _STEP_LR),
        (-1.0, 3.0, np.array([-2.0, 0.5, 1.5]), np.array([1.0, -0.5, 4.0]), 0.1),
    ]
    for w, b, x, y, lr in cases:
        got = _pair(call(fn, w, b, x.copy(), y.copy(), lr))
        want = gradient_step(w, b, x, y, lr)
        if np.allclose(got, want, rtol=1e-6, atol=1e-9):
            continue
        where = f"for w={w}, b={b}, x={x.tolist()}, y={y.tolist()}, learning_rate={lr}:"
        shown = (
            f"the new (w, b) should be ({want[0]:.4g}, {want[1]:.4g}), "
            f"yours is ({got[0]:.4g}, {got[1]:.4g})"
        )
        for what, hint, wrong in _step_mistakes(w, b, x, y, lr):
            if np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
                raise Mistake(f"{where} {shown}: {what}.", hint)
        if np.isclose(got[1], want[1]):
            raise Mistake(f"{where} {shown}: b is right, w is not.", "dJ/dw = 2 mean(error * x).")
        if np.isclose(got[0], want[0]):
            raise Mistake(f"{where} {shown}: w is right, b is not.", "dJ/db = 2 mean(error).")
        raise Mistake(
            f"{where} {shown}.",
            "error = w * x + b - y; dJ/dw = 2 mean(error * x); dJ/db = 2 mean(error); "
            "then step against the gradient.",
        )
    return "Each step moves (w, b) a little downhill on the loss surface."


# --------------------------------------------------------------------------- 2. k-means


def assign_clusters(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Return, for each point, the index of its nearest centroid (the k-means assignment)."""
    differences = points[:, None, :] - centroids[None, :, :]  # (n, k, 2)
    squared_distances = np.sum(differences**2, axis=-1)  # (n, k)
    return np.argmin(squared_distances, axis=1)  # (n,)


_POINTS = np.array([[0.0, 0.0], [0.4, 0.3], [5.0, 5.0], [4.6, 5.2], [0.2, 4.8], [2.4, 2.7]])
_CENTROIDS = np.array([[0.5, 0.5], [4.0, 4.0], [0.0, 5.0]])


def _labels_of(result: Any, n: int) -> np.ndarray:
    """Return the student's result as n integer labels, or raise Mistake saying what is off."""
    array = np.asarray(result)
    if array.ndim == 2 and array.shape[0] == n:
        raise Mistake(
            f"your function returns an array of shape {array.shape}: a value per point and "
            "centroid, probably the distances.",
            "Keep the index of the smallest distance in each row: np.argmin(..., axis=1).",
        )
    if array.shape != (n,):
        raise Mistake(
            f"expected one label per point, shape ({n},), got shape {array.shape}.",
            "Take np.argmin over the centroid axis (axis=1) of the (points, centroids) "
            "distance table.",
        )
    if not np.issubdtype(array.dtype, np.number) or not np.all(array == np.round(array)):
        raise Mistake(
            f"the labels should be whole numbers (centroid indices), got {array.tolist()}.",
            "np.argmin gives indices.",
        )
    return array.astype(int)


@exercise("Exercise 2 · the k-means assignment step", assign_clusters)
def check_assign_clusters(fn: Callable[..., Any]) -> str:
    """Check ``fn(points, centroids)`` returns the index of each point's nearest centroid."""
    rng = np.random.default_rng(3)
    big_points = rng.normal(size=(40, 2)) * 3
    cases = [(_POINTS, _CENTROIDS), (big_points, big_points[[0, 7]] + 0.1)]
    for points, centroids in cases:
        got = _labels_of(call(fn, points.copy(), centroids.copy()), len(points))
        want = assign_clusters(points, centroids)
        if np.array_equal(got, want):
            continue
        k = len(centroids)
        if len(points) <= 10:
            shown = (
                f"for the points {points.tolist()} and centroids {centroids.tolist()}, "
                f"the labels should be {want.tolist()}, yours are {got.tolist()}"
            )
        else:
            shown = (
                f"on {len(points)} random points and {k} centroids, {np.sum(got != want)} "
                "labels are not the nearest centroid's"
            )
        distances = np.linalg.norm(points[:, None] - centroids[None], axis=-1)
        if np.array_equal(got, np.argmax(distances, axis=1)):
            raise Mistake(f"{shown}: that is the farthest centroid.", "Use argmin, not argmax.")
        if np.array_equal(got, want + 1):
            raise Mistake(f"{shown}: off by one.", "Python counts from 0: the first centroid is 0.")
        if got.min() < 0 or got.max() >= k:
            raise Mistake(
                f"{shown}: a label must be a centroid index, 0 to {k - 1}.",
                "Take np.argmin over the centroids' axis (axis=1), not over the points.",
            )
        raise Mistake(
            f"{shown}.",
            "For every point, compute its distance to each centroid and keep the index of "
            "the smallest.",
        )
    return "Every point joins its nearest centroid."


# --------------------------------------------------------------------------- 3. epsilon-greedy


def choose_arm(values: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """Return an arm index: a random arm with probability epsilon, else the best-valued one."""
    if rng.random() < epsilon:
        return int(rng.integers(len(values)))  # explore: try any arm
    return int(np.argmax(values))  # exploit: the arm that looks best so far


_VALUES = np.array([0.1, -0.4, 0.6, 0.2])
_DRAWS = 4000


def _choices(fn: Callable[..., Any], epsilon: float, seed: int) -> np.ndarray:
    """Return the arms the student's function picks in ``_DRAWS`` calls."""
    rng = np.random.default_rng(seed)
    picks = np.empty(_DRAWS, dtype=int)
    for i in range(_DRAWS):
        arm = call(fn, _VALUES.copy(), epsilon, rng)
        if isinstance(arm, (bool, np.bool_)) or not isinstance(arm, (int, np.integer)):
            raise Mistake(
                f"choose_arm should return an arm index (an int), got {arm!r}.",
                "Return int(np.argmax(values)) or int(rng.integers(len(values))).",
            )
        if not 0 <= arm < len(_VALUES):
            raise Mistake(
                f"for {len(_VALUES)} arms the index must be 0 to {len(_VALUES) - 1}, got {arm}.",
                "rng.integers(len(values)) draws 0, 1, ..., len(values) - 1.",
            )
        picks[i] = arm
    return picks


@exercise("Exercise 3 · the epsilon-greedy choice", choose_arm)
def check_choose_arm(fn: Callable[..., Any]) -> str:
    """Check ``fn(values, epsilon, rng)`` explores with probability epsilon, else exploits."""
    best, worst, k = int(np.argmax(_VALUES)), int(np.argmin(_VALUES)), len(_VALUES)
    greedy = _choices(fn, 0.0, seed=1)
    if np.all(greedy == worst):
        raise Mistake(
            f"with epsilon = 0 it always picks arm {worst}, the one with the LOWEST value.",
            "Exploit the best-looking arm: np.argmax(values).",
        )
    if not np.all(greedy == best):
        share = np.mean(greedy == best)
        raise Mistake(
            f"with epsilon = 0 it should always pick arm {best} (the highest value), "
            f"but it did so in only {share:.0%} of {_DRAWS} calls.",
            "epsilon = 0 means never explore: compare rng.random() < epsilon.",
        )
    explore = np.bincount(_choices(fn, 1.0, seed=2), minlength=k) / _DRAWS
    if explore.min() < 0.8 / k:
        raise Mistake(
            f"with epsilon = 1 every arm should be picked about equally often, "
            f"but the shares were {np.round(explore, 2).tolist()}.",
            "Explore with a uniformly random arm: rng.integers(len(values)).",
        )
    epsilon = 0.2
    share = np.mean(_choices(fn, epsilon, seed=3) == best)
    # right: 1 - eps + eps / k = 0.85 (or 0.8 if exploring skips the best arm)
    if share < 0.76:
        hint = (
            "It explores with probability 1 - epsilon: explore when rng.random() < epsilon."
            if share < 0.5
            else "Explore with probability epsilon only: if rng.random() < epsilon."
        )
        raise Mistake(
            f"with epsilon = {epsilon} the best arm should be picked about "
            f"{1 - epsilon + epsilon / k:.0%} of the time, yours {share:.0%}.",
            hint,
        )
    if share > 0.93:
        raise Mistake(
            f"with epsilon = {epsilon} the best arm should be picked about "
            f"{1 - epsilon + epsilon / k:.0%} of the time, yours {share:.0%}: "
            "it explores too rarely.",
            "Explore when rng.random() < epsilon (draw once per call).",
        )
    return "Mostly exploit, sometimes explore: the agent keeps learning about every arm."


# --------------------------------------------------------------------------- 4. kinds

KINDS = ("supervised", "unsupervised", "reinforcement")

#: scenario -> (kind, the finer name that also counts as right, why)
SCENARIOS: dict[str, tuple[str, str | None, str]] = {
    "sort emails into spam and not spam, learning from emails people have marked": (
        "supervised",
        "classification",
        "every training email comes with its answer (spam or not): those are labels",
    ),
    "predict tomorrow's rainfall in mm from past days' weather and the rain that followed": (
        "supervised",
        "regression",
        "past days come with the rainfall that followed: a number to predict, learned "
        "from labelled examples",
    ),
    "split a shop's customers into groups by what they buy, with no groups given": (
        "unsupervised",
        "clustering",
        "nobody says which groups exist: the method must find the structure by itself",
    ),
    "a robot learns to walk: it gets points for moving forward and loses points when it falls": (
        "reinforcement",
        None,
        "nobody shows the right move; the robot acts and learns from rewards and penalties",
    ),
    "flag unusual card payments among millions of payments that nobody has labelled": (
        "unsupervised",
        None,
        "there are no labels: it learns what normal payments look like and flags the rest",
    ),
    "a program learns Go by playing against itself, winning or losing each game": (
        "reinforcement",
        None,
        "the only feedback is the reward at the end of a game: win or lose",
    ),
}

#: Finer names a student may write, and the kind they belong to.
_FINER = {"classification": "supervised", "regression": "supervised", "clustering": "unsupervised"}
_SYNONYMS = {"rl": "reinforcement", "semi-supervised": "semisupervised"}


def _normalise(text: str) -> str:
    """Return an answer lower-cased, without "learning": "Supervised learning" -> "supervised"."""
    words = str(text).lower().replace("_", " ").replace("-", " ").split()
    words = [w for w in words if w != "learning"]
    joined = " ".join(words)
    joined = {"un supervised": "unsupervised", "non supervised": "unsupervised"}.get(joined, joined)
    return _SYNONYMS.get(joined, joined)


def _key(text: str) -> str:
    """Return a scenario text with case and spacing ignored, to match the student's keys."""
    return " ".join(str(text).lower().split())


KINDS_SOLUTION = {scenario: kind for scenario, (kind, _, _) in SCENARIOS.items()}


def _answers(answer: Any) -> dict[str, Any]:
    """Return the student's dict keyed by our scenarios; raise Mistake for a wrong shape."""
    if not isinstance(answer, dict):
        raise Mistake(
            f"expected a dict from scenario to kind, got {type(answer).__name__}.",
            'Keep the dict of the template and replace each ... with "supervised", '
            '"unsupervised" or "reinforcement".',
        )
    given = {_key(k): v for k, v in answer.items()}
    missing = [s for s in SCENARIOS if _key(s) not in given]
    if missing:
        raise Mistake(
            f"the scenario {missing[0]!r} is missing"
            + (f" (and {len(missing) - 1} more)." if len(missing) > 1 else "."),
            "Keep the scenario texts of the template as they are; change only the values.",
        )
    return {s: given[_key(s)] for s in SCENARIOS}


@exercise("Exercise 4 · kinds of learning", KINDS_SOLUTION)
def check_kinds(answer: Any) -> str:
    """Check a dict scenario -> "supervised" / "unsupervised" / "reinforcement"."""
    answers = _answers(answer)
    open_ = [s for s, a in answers.items() if a is Ellipsis]
    if len(open_) == len(answers):
        raise NotAttempted(
            'Replace each `...` with "supervised", "unsupervised" or "reinforcement" and run again.'
        )
    if open_:
        raise Mistake(
            f"{len(open_)} of {len(answers)} scenarios still have `...`, for example {open_[0]!r}.",
            'Write "supervised", "unsupervised" or "reinforcement" for each.',
        )
    wrong, finer_mix_up = [], []
    for scenario, given in answers.items():
        kind, finer, why = SCENARIOS[scenario]
        name = _normalise(given)
        if name == kind or (finer is not None and name == finer):
            continue
        if name in _FINER and _FINER[name] == kind:
            finer_mix_up.append(f"{scenario!r}: {kind}, yes, but {finer or 'not ' + name}")
            continue
        if name not in KINDS and name not in _FINER:
            raise Mistake(
                f"{given!r} (for {scenario!r}) is not one of the kinds.",
                'Use one of "supervised", "unsupervised" or "reinforcement".',
            )
        wrong.append((scenario, why))
    if wrong:
        names = "; ".join(repr(s) for s, _ in wrong)
        raise Mistake(
            f"{len(wrong)} of {len(answers)} {'is' if len(wrong) == 1 else 'are'} not right: "
            f"{names}.",
            f"For {wrong[0][0]!r}: {wrong[0][1]}. Ask of each: are there labels (answers) "
            "given for the examples, no labels at all, or only rewards for actions?",
        )
    if finer_mix_up:
        raise Mistake(
            "the kind is right, but the finer name is not: " + "; ".join(finer_mix_up) + ".",
            "Regression predicts a number, classification a category, clustering finds groups.",
        )
    return "All six right: labels mean supervised, no labels unsupervised, rewards reinforcement."
