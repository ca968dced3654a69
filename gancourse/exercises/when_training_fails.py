"""Exercises of notebook 06: when GAN training fails, and the losses that help.

1. :func:`check_ls_discriminator_loss` and :func:`check_ls_generator_loss`: the
   least-squares (LSGAN) losses from logits, with the course's (and TF-GAN's) factor 1/2.
2. :func:`check_critic_loss`: the Wasserstein critic's loss, mean critic(fake) - mean
   critic(real), from raw scores.
3. :func:`check_gradient_penalty`: the WGAN-GP penalty, checked exactly where the random
   interpolation plays no part, statistically where it does, and against TF-GAN's
   ``wasserstein_gradient_penalty`` on the same inputs.

The losses get TensorFlow tensors of shape ``(N, 1)`` and must stay differentiable (the
checks take their gradient), because the notebook trains with them. The penalty gets a
critic that is either a Keras model or a plain function ``(N, ...) -> (N, 1)``, and is also
run inside a ``tf.function``, as training runs it. TensorFlow is imported inside the checks.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from ._core import Mistake, NotAttempted, call, exercise

__all__ = [
    "check_critic_loss",
    "check_gradient_penalty",
    "check_ls_discriminator_loss",
    "check_ls_generator_loss",
    "critic_loss",
    "gradient_penalty",
    "ls_discriminator_loss",
    "ls_generator_loss",
]

# --------------------------------------------------------------------------- reference solutions


def ls_discriminator_loss(real_logits, fake_logits):
    import tensorflow as tf

    real_term = 0.5 * tf.reduce_mean(tf.square(real_logits - 1.0))
    fake_term = 0.5 * tf.reduce_mean(tf.square(fake_logits))
    return real_term + fake_term


def ls_generator_loss(fake_logits):
    import tensorflow as tf

    return 0.5 * tf.reduce_mean(tf.square(fake_logits - 1.0))


def critic_loss(real_scores, fake_scores):
    import tensorflow as tf

    return tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores)


def gradient_penalty(critic, real, fake, weight=10.0):
    import tensorflow as tf

    real = tf.convert_to_tensor(real, tf.float32)
    fake = tf.convert_to_tensor(fake, tf.float32)
    eps_shape = [tf.shape(real)[0]] + [1] * (len(real.shape) - 1)  # (N, 1, ..., 1)
    eps = tf.random.uniform(eps_shape)  # one eps per example
    x_hat = real + eps * (fake - real)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
    grads = tape.gradient(scores, x_hat)  # (N, ...): each example's own gradient
    axes = list(range(1, len(real.shape)))  # every axis but the batch axis
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=axes) + 1e-10)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))


# --------------------------------------------------------------------------- shared helpers


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x: np.ndarray) -> np.ndarray:
    """Return log(1 + e^x), computed without overflow."""
    return np.logaddexp(0.0, x)


def _show(values: np.ndarray) -> str:
    """Return ``values`` as "(1.5, -0.5, 2)" for a message."""
    return "(" + ", ".join(f"{v:g}" for v in np.ravel(values)) + ")"


def _run_loss(fn: Any, *inputs: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Return the student's loss on ``inputs`` (as tensors) and its gradients w.r.t. them."""
    import tensorflow as tf

    tensors = [tf.constant(x, tf.float32) for x in inputs]
    with tf.GradientTape() as tape:
        for tensor in tensors:
            tape.watch(tensor)
        result = call(fn, *tensors)
    try:
        value = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise Mistake(f"your loss should be a number, got {type(result).__name__}.") from error
    grads = tape.gradient(result, tensors) if tf.is_tensor(result) else [None] * len(tensors)
    return value, [None if g is None else g.numpy() for g in grads]


def _check_loss(
    fn: Any,
    inputs: tuple[np.ndarray, ...],
    want: float,
    want_grads: tuple[np.ndarray, ...],
    wrongs: dict[float, tuple[str, str]],
    where: str,
    hint: str,
) -> None:
    """Run the student's loss and raise the Mistake that names how it differs from ``want``."""
    value, grads = _run_loss(fn, *inputs)
    if value.size != 1:
        raise Mistake(
            f"your loss has shape {value.shape}; a loss is one number.",
            "Average over the batch: tf.reduce_mean(...).",
        )
    got = float(value.reshape(()))
    if not math.isfinite(got):
        raise Mistake(f"{where} your loss is {got}.", hint)
    if not np.isclose(got, want, rtol=1e-4, atol=1e-6):
        for wrong, (message, wrong_hint) in wrongs.items():
            if np.isclose(got, wrong, rtol=1e-4, atol=1e-6):
                raise Mistake(
                    f"{where} the loss should be {want:.4f}, yours is {got:.4f}: {message}",
                    wrong_hint,
                )
        raise Mistake(f"{where} the loss should be {want:.4f}, yours is {got:.4f}.", hint)
    if all(g is None for g in grads):
        raise Mistake(
            "the number is right, but TensorFlow cannot take its gradient, so nothing could "
            "train with it.",
            "Compute it with TensorFlow operations on the tensors you get (tf.reduce_mean, "
            "tf.square), not NumPy (np.mean) or float(...).",
        )
    for grad, expected in zip(grads, want_grads, strict=True):
        grad = np.zeros_like(expected) if grad is None else np.reshape(grad, np.shape(expected))
        if not np.allclose(grad, expected, rtol=1e-3, atol=1e-6):
            raise Mistake(
                "the number is right, but its gradient is not: part of your loss is cut off "
                "from the logits (tf.stop_gradient, or a value computed outside TensorFlow).",
                hint,
            )


def _tfgan_loss(name: str, *inputs: np.ndarray) -> float:
    """Return TF-GAN's ``tfgan.losses.wargs.<name>`` on ``inputs`` (loaded once, then cached)."""
    import tensorflow as tf

    from ..tfgan import load

    loss = getattr(load().losses.wargs, name)
    return float(loss(*(tf.constant(x, tf.float32) for x in inputs), loss_collection=None))


# --------------------------------------------------------------------------- exercise 1


#: Logits of the least-squares checks: D's raw outputs on real and on generated examples.
_LS_REAL = np.array([[1.5], [-0.5], [2.0], [0.25]])
_LS_FAKE = np.array([[0.5], [-1.5], [1.0], [-0.25]])


@exercise("Exercise 1a: the least-squares discriminator loss", ls_discriminator_loss)
def check_ls_discriminator_loss(fn: Any) -> str:
    """Check ``ls_discriminator_loss(real_logits, fake_logits)`` = mean (r-1)^2/2 + mean f^2/2."""
    r, f = _LS_REAL.ravel(), _LS_FAKE.ravel()
    n = len(r)
    want = 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2)
    sr, sf = _sigmoid(r), _sigmoid(f)
    wrongs = {
        0.5 * np.mean((sr - 1) ** 2) + 0.5 * np.mean(sf**2): (
            "you applied a sigmoid to the logits first.",
            "The least-squares loss works on D's raw output (no sigmoid): (logit - target)^2.",
        ),
        2 * want: ("the factor 1/2 is missing.", "Multiply each mean by 0.5."),
        n * want: (
            "that is the sum over the batch, not the mean.",
            "Use tf.reduce_mean, so the loss does not grow with the batch size.",
        ),
        2 * n * want: ("that is a sum, without the 1/2.", "Use 0.5 * tf.reduce_mean(...)."),
        0.5 * np.mean(r**2) + 0.5 * np.mean((f - 1) ** 2): (
            "the targets are swapped: real examples should be pulled to 1, fakes to 0.",
            "(real_logits - 1)^2 and fake_logits^2.",
        ),
        0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean((f + 1) ** 2): (
            "your fakes' target is -1 (a variant in the LSGAN paper); ours, like TF-GAN's, is 0.",
            "Use fake_logits^2: target 0 for fakes.",
        ),
        0.5 * (np.mean(r) - 1) ** 2 + 0.5 * np.mean(f) ** 2: (
            "that is the square of the mean logit, not the mean of the squares.",
            "Square each example's distance first, then average: tf.reduce_mean(tf.square(...)).",
        ),
        0.5 * np.mean((r - 1) ** 2): (
            "only the real examples count.",
            "Add the fake examples' term, 0.5 * mean fake_logits^2.",
        ),
        0.5 * np.mean(f**2): (
            "only the generated examples count.",
            "Add the real examples' term, 0.5 * mean (real_logits - 1)^2.",
        ),
        np.mean(_softplus(-r)) + np.mean(_softplus(f)): (
            "that is the cross-entropy (minimax) loss of notebook 05, not least squares.",
            "Square the distance of each logit to its target instead.",
        ),
    }
    _check_loss(
        fn,
        (_LS_REAL, _LS_FAKE),
        want,
        ((_LS_REAL - 1) / n, _LS_FAKE / n),
        wrongs,
        f"For real logits {_show(r)} and fake logits {_show(f)}",
        "mean (real_logits - 1)^2 / 2 + mean fake_logits^2 / 2, on the raw logits.",
    )
    theirs = _tfgan_loss("least_squares_discriminator_loss", _LS_REAL, _LS_FAKE)
    return (
        f"For these logits yours gives {want:.4f}, as TF-GAN's "
        f"wargs.least_squares_discriminator_loss does ({theirs:.4f}). D is pulled towards 1 "
        "on real examples and 0 on fakes, and a logit far on the wrong side costs its squared "
        "distance, not a saturated log."
    )


@exercise("Exercise 1b: the least-squares generator loss", ls_generator_loss)
def check_ls_generator_loss(fn: Any) -> str:
    """Check ``ls_generator_loss(fake_logits)`` = mean (f - 1)^2 / 2."""
    f = _LS_FAKE.ravel()
    n = len(f)
    want = 0.5 * np.mean((f - 1) ** 2)
    sf = _sigmoid(f)
    wrongs = {
        0.5 * np.mean((sf - 1) ** 2): (
            "you applied a sigmoid to the logits first.",
            "Work on D's raw output: (fake_logits - 1)^2.",
        ),
        2 * want: ("the factor 1/2 is missing.", "Multiply the mean by 0.5."),
        n * want: (
            "that is the sum over the batch, not the mean.",
            "Use tf.reduce_mean, so the loss does not grow with the batch size.",
        ),
        2 * n * want: ("that is a sum, without the 1/2.", "Use 0.5 * tf.reduce_mean(...)."),
        0.5 * np.mean(f**2): (
            "your generator pushes its fakes' logits towards 0, the target D uses for fakes.",
            "G wants D to see its samples as real: target 1, (fake_logits - 1)^2.",
        ),
        -0.5 * np.mean(f**2): (
            "that is minus D's loss on the fakes (the minimax idea).",
            "In LSGAN, G pulls its logits towards the real target instead: (fake_logits - 1)^2.",
        ),
        0.5 * (np.mean(f) - 1) ** 2: (
            "that is the square of the mean logit, not the mean of the squares.",
            "Square each example's distance first, then average.",
        ),
        np.mean(_softplus(-f)): (
            "that is the non-saturating cross-entropy loss of notebook 05.",
            "Square the distance of each logit to 1 instead.",
        ),
    }
    _check_loss(
        fn,
        (_LS_FAKE,),
        want,
        ((_LS_FAKE - 1) / n,),
        wrongs,
        f"For fake logits {_show(f)}",
        "mean (fake_logits - 1)^2 / 2, on the raw logits.",
    )
    theirs = _tfgan_loss("least_squares_generator_loss", _LS_FAKE)
    return (
        f"For these logits yours gives {want:.4f}, as TF-GAN's "
        f"wargs.least_squares_generator_loss does ({theirs:.4f}): G pulls every fake's logit "
        "towards 1."
    )


# --------------------------------------------------------------------------- exercise 2

_CRITIC_REAL = np.array([[3.0], [-1.0], [5.5], [0.5]])
_CRITIC_FAKE = np.array([[-2.0], [1.5], [-4.0], [0.0]])


@exercise("Exercise 2: the Wasserstein critic's loss", critic_loss)
def check_critic_loss(fn: Any) -> str:
    """Check ``critic_loss(real_scores, fake_scores)`` = mean fake_scores - mean real_scores."""
    r, f = _CRITIC_REAL.ravel(), _CRITIC_FAKE.ravel()
    n = len(r)
    want = np.mean(f) - np.mean(r)
    not_probabilities = (
        "A critic's scores are not probabilities: there is no sigmoid and no log. Use the "
        "raw scores: tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores)."
    )
    wrongs = {
        -want: (
            "the sign is flipped: minimising yours would push real scores down.",
            "The critic wants real scores high and fake scores low; a loss is minimised, so "
            "mean fake - mean real.",
        ),
        n * want: (
            "that is a sum over the batch, not a mean.",
            "Use tf.reduce_mean, so the loss does not grow with the batch size.",
        ),
        np.mean(_sigmoid(f)) - np.mean(_sigmoid(r)): (
            "you applied a sigmoid to the scores.",
            not_probabilities,
        ),
        np.mean(-_softplus(-f)) - np.mean(-_softplus(-r)): (
            "you took log sigmoid of the scores.",
            not_probabilities,
        ),
        np.mean(_softplus(-r)) + np.mean(_softplus(f)): (
            "that is the cross-entropy (minimax) loss of notebook 05.",
            not_probabilities,
        ),
        -np.mean(r): (
            "only the real scores count: the fake term is missing.",
            "Add tf.reduce_mean(fake_scores).",
        ),
        np.mean(f): (
            "only the fake scores count: the real term is missing.",
            "Subtract tf.reduce_mean(real_scores).",
        ),
        -np.mean(f): (
            "that is the generator's Wasserstein loss, -mean critic(fake).",
            "The critic's loss uses both batches: mean fake - mean real.",
        ),
        np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)): (
            "that is the hinge loss, which comes later in this notebook.",
            "The Wasserstein critic's loss has no relu and no margin: mean fake - mean real.",
        ),
    }
    _check_loss(
        fn,
        (_CRITIC_REAL, _CRITIC_FAKE),
        want,
        (np.full((n, 1), -1.0 / n), np.full((n, 1), 1.0 / n)),
        wrongs,
        f"For real scores {_show(r)} and fake scores {_show(f)}",
        "tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores).",
    )
    theirs = _tfgan_loss("wasserstein_discriminator_loss", _CRITIC_REAL, _CRITIC_FAKE)
    return (
        f"For these scores yours gives {want:.4f}, as TF-GAN's "
        f"wargs.wasserstein_discriminator_loss does ({theirs:.4f}): minus the critic's "
        "estimate of how far "
        "apart the real and generated distributions are, which the critic makes as large as "
        "it can."
    )


# --------------------------------------------------------------------------- exercise 3
#
# Three critics whose input gradient is known: the half square 0.5 ||x||^2 (gradient x), a
# linear Keras model on (N, 2, 3) batches (gradient w everywhere), and a small tanh MLP (for
# the comparison with TF-GAN). Where real == fake, or the critic is linear, the random eps
# plays no part and the penalty is exact.

#: Points whose norms are 0.5, 2, 3, 1.5, 1, 0.1: the critic 0.5 ||x||^2 has gradient x.
_GP_POINTS = np.array([[0.3, 0.4], [1.2, 1.6], [0.0, 3.0], [-0.9, 1.2], [0.6, -0.8], [-0.1, 0.0]])
#: Weights of the linear critic on (N, 2, 3) batches; their norm is 1.5.
_GP_LINEAR_W = np.array([0.5, -0.5, 1.0, 0.5, -0.5, 0.5])
#: Examples in the statistical check of eps, and the calls made.
_GP_STAT_N, _GP_STAT_CALLS = 4000, 5


def _half_square(x: Any) -> Any:
    """A critic that is a plain function: 0.5 ||x||^2 per example, shape (N, 1)."""
    import tensorflow as tf

    return 0.5 * tf.reduce_sum(tf.square(x), axis=-1, keepdims=True)


@functools.lru_cache(maxsize=1)
def _linear_critic() -> Any:
    """Return a Keras model (N, 2, 3) -> (N, 1), linear with weights ``_GP_LINEAR_W``."""
    import keras

    model = keras.Sequential(
        [keras.Input((2, 3)), keras.layers.Flatten(), keras.layers.Dense(1)], name="critic"
    )
    model.layers[-1].set_weights([_GP_LINEAR_W.reshape(6, 1).astype(np.float32), np.ones(1)])
    return model


@functools.lru_cache(maxsize=1)
def _mlp_critic() -> Any:
    """Return a small Keras critic 2 -> 8 (tanh) -> 1 with fixed weights."""
    import keras

    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)],
        name="mlp_critic",
    )
    rng = np.random.default_rng(6)
    model.set_weights([rng.normal(0, 1.2, w.shape).astype(np.float32) for w in model.weights])
    return model


def _mlp_points() -> np.ndarray:
    return np.random.default_rng(8).normal(0, 1.5, (16, 2)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _tfgan_penalty_on_equal_batches(weight: float = 10.0) -> float:
    """Return TF-GAN's ``wasserstein_gradient_penalty`` for the MLP critic on real == fake.

    TF-GAN's penalty runs only inside a ``tf.function`` (or a graph), with a variable-scope
    name; its ``weights`` argument scales the mean, as ``weight`` does here.
    """
    import tensorflow as tf

    from ..tfgan import load

    penalty_fn = load().losses.wargs.wasserstein_gradient_penalty
    critic = _mlp_critic()

    @tf.function
    def penalty(real: Any, fake: Any) -> Any:
        return penalty_fn(real, fake, None, lambda x, _: critic(x), "critic", weights=weight)

    points = tf.constant(_mlp_points())
    return float(penalty(points, points))


def _penalty(fn: Any, critic: Any, real: np.ndarray, fake: np.ndarray, **kwargs: Any) -> float:
    """Return the student's penalty as a float; name the usual crashes."""
    import tensorflow as tf

    args = (critic, tf.constant(real, tf.float32), tf.constant(fake, tf.float32))
    try:
        result = call(fn, *args, **kwargs)
    except Mistake as mistake:
        _name_crash(mistake.__cause__, real.shape)
        raise
    try:
        value = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise Mistake(f"your penalty should be a number, got {type(result).__name__}.") from error
    if value.size != 1:
        raise Mistake(
            f"your penalty has shape {value.shape}; it should be one number.",
            "Average the squared distances (norm - 1)^2 over the batch: tf.reduce_mean(...).",
        )
    return float(value.reshape(()))


def _name_crash(error: BaseException | None, shape: tuple[int, ...]) -> None:
    """Raise a Mistake naming a usual cause of ``error``, if it is one."""
    if error is None:
        return
    text = str(error)
    if isinstance(error, AttributeError) and ("variables" in text or "weights" in text):
        raise Mistake(
            f"your function asked the critic for its weights ({text}), but this critic is a "
            "plain function, which has none.",
            "The penalty needs the gradient with respect to the critic's input x_hat, not its "
            "weights: tape.watch(x_hat), then tape.gradient(scores, x_hat).",
        )
    if isinstance(error, TypeError) and "training" in text:
        raise Mistake(
            f"your function called the critic with training=..., which this critic, a plain "
            f"function, does not take ({text}).",
            "Call it as critic(x_hat): the notebook's critics are not all Keras models.",
        )
    if "Incompatible shapes" in text or "broadcast" in text:
        ones = ", ".join(["1"] * (len(shape) - 1))
        raise Mistake(
            f"for a batch of shape {shape} your function failed to combine shapes: {text}",
            f"Draw one eps per example with shape (N, {ones}), so that it broadcasts over the "
            "other axes: [tf.shape(real)[0]] + [1] * (len(real.shape) - 1).",
        )


def _gp_exact(fn: Any) -> float:
    """Check the penalty for the half-square critic on real == fake (eps cancels)."""
    x = _GP_POINTS
    norms = np.linalg.norm(x, axis=1)
    want = 10.0 * np.mean((norms - 1) ** 2)
    got = _penalty(fn, _half_square, x, x)
    where = (
        "With real == fake (6 points, so eps does not matter) and the critic 0.5 ||x||^2, "
        "whose gradient at x is x,"
    )
    norm_hint = "One norm per example: tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, ...]))."
    wrongs = {
        np.mean((norms - 1) ** 2): (
            "the weight is missing.",
            "Multiply by weight (10 by default).",
        ),
        10.0 * np.mean(norms - 1): (
            "the square is missing.",
            "Square each (norm - 1) before averaging: a norm of 0.5 is as wrong as one of 1.5.",
        ),
        10.0 * np.mean(np.abs(norms - 1)): (
            "you took |norm - 1| instead of its square.",
            "Square each (norm - 1) before averaging.",
        ),
        10.0 * np.mean(norms**2): (
            'the "- 1" is missing: the penalty pulls the gradient norm towards 1, not 0.',
            "weight * mean (norm - 1)^2.",
        ),
        10.0 * np.mean((norms**2 - 1) ** 2): (
            "you used the squared norm: the square root is missing.",
            norm_hint,
        ),
        10.0 * (np.sqrt(np.sum(norms**2)) - 1) ** 2: (
            "that is one norm over the whole batch; the penalty takes one norm per example.",
            norm_hint,
        ),
        10.0 * np.mean(np.maximum(norms - 1, 0) ** 2): (
            "only norms above 1 are penalised (a one-sided penalty, another variant).",
            "WGAN-GP penalises both sides: (norm - 1)^2 for every example.",
        ),
        10.0 * np.sum((norms - 1) ** 2): (
            "that is a sum over the batch, not a mean.",
            "Use tf.reduce_mean.",
        ),
        10.0 * np.mean((norms / len(x) - 1) ** 2): (
            "you took the gradient of the mean score, which divides every gradient by N.",
            "Take the gradient of the scores themselves, tape.gradient(scores, x_hat): "
            "each example then gets its own gradient.",
        ),
    }
    if not np.isclose(got, want, rtol=1e-4, atol=1e-6):
        for wrong, (message, hint) in wrongs.items():
            if np.isclose(got, wrong, rtol=1e-4, atol=1e-6):
                raise Mistake(f"{where} the penalty should be {want:.4f}, yours is {got:.4f}: "
                              f"{message}", hint)  # fmt: skip
        raise Mistake(
            f"{where} the penalty should be {want:.4f}, yours is {got:.4f}.",
            "weight * mean over examples of (||gradient of critic at x_hat|| - 1)^2.",
        )
    got = _penalty(fn, _half_square, x, x, weight=2.5)
    if not np.isclose(got, want / 4, rtol=1e-4, atol=1e-6):
        raise Mistake(
            f"with weight=2.5 the penalty should be {want / 4:.4f}, yours is {got:.4f}.",
            "Use the argument weight, not a fixed 10.",
        )
    return want


def _gp_linear(fn: Any) -> None:
    """Check the penalty for a linear Keras critic on (N, 2, 3) batches, twice."""
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(2, 5, 2, 3))
    norm = np.linalg.norm(_GP_LINEAR_W)
    want = 10.0 * (norm - 1) ** 2
    where = (
        "For a linear Keras critic on batches of shape (5, 2, 3), whose gradient is its "
        f"weight vector (norm {norm:g}) everywhere, so that eps does not matter,"
    )
    first = _penalty(fn, _linear_critic(), real, fake)
    second = _penalty(fn, _linear_critic(), real, fake)
    if np.isclose(first, want, rtol=1e-4, atol=1e-6) and np.isclose(second, want, rtol=1e-4):
        return
    if not np.isclose(first, second, rtol=1e-4, atol=1e-6):
        raise Mistake(
            f"{where} the penalty should be {want:.4f} at every call; yours changed from "
            f"{first:.4f} to {second:.4f}.",
            "Take the gradient with respect to the critic's input, tape.gradient(scores, "
            "x_hat), not its weights (critic.trainable_variables): that one depends on x_hat.",
        )
    rows = np.linalg.norm(_GP_LINEAR_W.reshape(2, 3), axis=1)
    if np.isclose(first, 10.0 * np.mean((rows - 1) ** 2), rtol=1e-4):
        raise Mistake(
            f"{where} the penalty should be {want:.4f}, yours is {first:.4f}: your norm runs "
            "over the last axis only.",
            "Sum the squares over every axis but the first: axis=list(range(1, len(x.shape))).",
        )
    raise Mistake(
        f"{where} the penalty should be {want:.4f}, yours is {first:.4f}.",
        "Your function works for (N, 2) points; make it work for any (N, ...) batch: eps of "
        "shape (N, 1, ..., 1), and a norm over every axis but the first.",
    )


def _gp_statistics(fn: Any) -> None:
    """Check, inside a tf.function, that eps is drawn per example, uniformly, at every call.

    Real points at 0, fakes at (sqrt 2, sqrt 2), critic 0.5 ||x||^2: x_hat = eps * fake has
    gradient norm 2 eps, so the penalty is 10 * mean (2 eps - 1)^2, about 10/3 for 4000
    examples with eps ~ U(0, 1) each (standard deviation 0.05). One eps for the batch
    gives 10 (2 eps - 1)^2, anywhere in [0, 10].
    """
    import tensorflow as tf

    n = _GP_STAT_N
    real = tf.zeros((n, 2))
    fake = tf.fill((n, 2), math.sqrt(2.0))

    @tf.function(autograph=False)  # the student's code as written, traced into a graph
    def in_graph(real: Any, fake: Any) -> Any:
        return fn(_half_square, real, fake)

    values = []
    for _ in range(_GP_STAT_CALLS):
        try:
            values.append(_one_number(call(in_graph, real, fake)))
        except NotAttempted as error:  # np.* on a symbolic tensor raises NotImplementedError
            raise _graph_mistake(error.__cause__) from error
        except Mistake as mistake:
            if mistake.__cause__ is None:
                raise
            raise _graph_mistake(mistake.__cause__) from mistake
    ratios = np.array(values) / 10.0
    where = (
        f"Inside a tf.function (as in training), {_GP_STAT_CALLS} calls with {n} real points "
        "at (0, 0), fakes at (1.41, 1.41) and the critic 0.5 ||x||^2 (gradient norm 2 eps at "
        "x_hat)"
    )
    shown = ", ".join(f"{v:.3f}" for v in values)
    if np.ptp(ratios) < 1e-6:
        if abs(ratios[0] - 1 / 3) < 0.03:
            raise Mistake(
                f"{where} gave the same penalty every time ({values[0]:.4f}): your eps was drawn "
                "once, when TensorFlow traced the function, and is reused at every step.",
                "Draw eps with tf.random.uniform, not NumPy: NumPy's random numbers become "
                "constants inside a tf.function.",
            )
        raise Mistake(
            f"{where} gave {values[0]:.4f} every time; the penalty should vary a little "
            "around 3.33 (the mean of 10 (2 eps - 1)^2 over eps ~ U(0, 1)).",
            "x_hat must be a random point on the line from real to fake: real + eps * "
            "(fake - real), with eps = tf.random.uniform(...) drawn anew at every call.",
        )
    if np.all(np.abs(ratios - 1 / 3) < 0.03):
        return
    mean = float(np.mean(ratios))
    known = {
        0.169: "one eps per coordinate (eps has the shape of real), not one per example; "
        "x_hat then leaves the line from real to fake.",
        1.809: "eps seems to be drawn from a normal distribution, not uniformly from [0, 1].",
    }
    for value, message in known.items():
        if abs(mean - value) < 0.05 * max(value, 1.0) and np.std(ratios) < 0.1 * value + 0.02:
            raise Mistake(
                f"{where} gave {shown}, not about 3.33: {message}",
                "eps = tf.random.uniform([tf.shape(real)[0], 1]) for points (N, 2).",
            )
    if np.std(ratios) > 0.05:
        raise Mistake(
            f"{where} gave {shown}; with one eps per example these would all be close to "
            "3.33. Yours jump around: one eps serves the whole batch.",
            "Draw one eps per example: shape (N, 1) for points (N, 2).",
        )
    raise Mistake(
        f"{where} gave {shown}; they should all be close to 3.33.",
        "x_hat = real + eps * (fake - real), with eps ~ U(0, 1), one per example.",
    )


def _one_number(value: Any) -> float:
    """Return a one-number result as a float (a Mistake otherwise)."""
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise Mistake(f"your penalty has shape {array.shape}; it should be one number.")
    return float(array.reshape(()))


def _graph_mistake(error: BaseException | None) -> Mistake:
    """Return the Mistake of a function that works eagerly but fails in a tf.function."""
    return Mistake(
        "your function works when called directly, but fails inside a tf.function, where "
        f"training runs it: {type(error).__name__}: {error}",
        "Use TensorFlow operations only (tf.random.uniform, tf.reduce_sum, tf.sqrt): no "
        ".numpy(), no NumPy functions on the tensors.",
    )


def _gp_tfgan(fn: Any) -> float:
    """Check value and weight gradient against TF-GAN's penalty, MLP critic, real == fake."""
    import tensorflow as tf

    critic = _mlp_critic()
    points = _mlp_points()
    theirs = _tfgan_penalty_on_equal_batches()
    tensor = tf.constant(points)
    with tf.GradientTape() as tape:
        mine = call(fn, critic, tensor, tensor)
    grads = tape.gradient(mine, critic.trainable_variables) if tf.is_tensor(mine) else [None]
    got = _one_number(mine)
    where = (
        "For a small Keras critic (2 -> 8 tanh -> 1) on 16 points with real == fake, where "
        "the random eps cancels and TF-GAN's tfgan.losses.wargs.wasserstein_gradient_penalty "
        f"gives {theirs:.4f},"
    )
    if not np.isclose(got, theirs, rtol=1e-4, atol=1e-5):
        raise Mistake(
            f"{where} yours gives {got:.4f}.",
            "weight * mean over examples of (||gradient of critic at x_hat|| - 1)^2.",
        )
    if all(g is None for g in grads):  # (the output bias never gets one: it has no slope)
        raise Mistake(
            f"{where} yours gives the same number, but TensorFlow cannot take its gradient "
            "with respect to the critic's weights, so the penalty would not train the critic.",
            "Keep every step in TensorFlow (no .numpy(), np.linalg.norm or float(...)), and "
            "do not wrap the result in tf.stop_gradient.",
        )
    with tf.GradientTape() as tape:
        reference = gradient_penalty(critic, tensor, tensor)
    want_grads = tape.gradient(reference, critic.trainable_variables)
    for grad, want in zip(grads, want_grads, strict=True):
        grad, want = (0.0 if g is None else g.numpy() for g in (grad, want))
        if not np.allclose(grad, want, rtol=1e-3, atol=1e-5):
            raise Mistake(
                f"{where} yours gives the same number, but its gradient with respect to the "
                "critic's weights differs from the reference's.",
                "Part of your penalty is cut off from the critic (tf.stop_gradient?).",
            )
    return theirs


@exercise("Exercise 3: the gradient penalty (WGAN-GP)", gradient_penalty)
def check_gradient_penalty(fn: Any) -> str:
    """Check ``gradient_penalty(critic, real, fake, weight=10.0)``, the WGAN-GP penalty.

    Exact where eps plays no part (real == fake; a linear critic), statistical where it does
    (the spread over calls shows one eps per example), and equal to TF-GAN's on the same
    inputs where eps cancels. Loads TF-GAN on first use (a few seconds).
    """
    exact = _gp_exact(fn)
    _gp_linear(fn)
    _gp_statistics(fn)
    theirs = _gp_tfgan(fn)
    return (
        f"Exact where eps plays no part ({exact:.4f} for the half-square critic; 10 (1.5 - "
        "1)^2 = 2.5 for a linear Keras critic on (N, 2, 3) batches), one uniform eps per "
        "example inside a tf.function, and on real == fake, where eps cancels, the same "
        f"penalty as TF-GAN's wasserstein_gradient_penalty ({theirs:.4f}), with the same "
        "gradient for the critic's weights."
    )
