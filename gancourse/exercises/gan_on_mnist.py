"""Exercises of notebook 05, a GAN on MNIST.

1. :func:`check_to_model_scale`: pixels 0..255 to the model's scale [-1, 1].
2. :func:`check_make_noise`: a batch of noise vectors shaped for a given generator.
3. :func:`check_generator_loss`: the non-saturating generator loss from D's logits.
4. :func:`check_discriminator_update`: D's half of a training step (one update of D).
5. :func:`check_generator_update`: G's half of a training step (one update of G through D).
6. :func:`check_class_coverage`: class coverage from predicted classes (entropy / log 10).

Each check calls the student's function on small inputs of its own, compares with the
reference, and names the usual mistakes. Checks 2 to 5 import TensorFlow; 1 and 6 do not.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import Mistake, as_array, call, exercise, expect_close, number

__all__ = [
    "check_class_coverage",
    "check_discriminator_update",
    "check_generator_loss",
    "check_generator_update",
    "check_make_noise",
    "check_to_model_scale",
    "class_coverage",
    "discriminator_update",
    "generator_loss",
    "generator_update",
    "make_noise",
    "to_model_scale",
]

NUM_CLASSES = 10


# --------------------------------------------------------------------------- reference solutions


def to_model_scale(pixels):
    return np.asarray(pixels, dtype=np.float32) / 127.5 - 1.0


def make_noise(n, generator):
    noise_dim = generator.input_shape[-1]
    return np.random.standard_normal((n, noise_dim)).astype(np.float32)


def generator_loss(fake_logits):
    import tensorflow as tf

    return -tf.reduce_mean(tf.math.log_sigmoid(fake_logits))


def class_coverage(predicted):
    counts = np.bincount(predicted, minlength=10)
    p = counts[counts > 0] / counts.sum()
    return -np.sum(p * np.log(p)) / np.log(10)


# --------------------------------------------------------------------------- exercise 1


@exercise("Exercise 1: pixels to the model's scale [-1, 1]", to_model_scale)
def check_to_model_scale(fn: Any) -> str:
    """Check a function that maps uint8 pixels 0..255 to floats in [-1, 1], same shape."""
    pixels = np.arange(256, dtype=np.uint8).reshape(4, 8, 8)
    result = call(fn, pixels.copy())
    got = as_array(result, "The result")
    if got.shape != pixels.shape:
        raise Mistake(
            f"the shape should stay {pixels.shape}, yours is {got.shape}.",
            "Scale every pixel on its own; there is no need to reshape.",
        )
    want = pixels.astype(np.float64) / 127.5 - 1.0
    if np.allclose(got, want, atol=1e-3):
        return "0 becomes -1, 255 becomes +1, and 128 lands just above 0: the range of tanh."
    lo, hi = float(got.min()), float(got.max())
    if np.issubdtype(np.asarray(result).dtype, np.integer) or np.all(got == np.round(got)):
        raise Mistake(
            f"your values are whole numbers only ({sorted(set(np.unique(got).tolist()))[:6]}...).",
            "Integer division (//) or integer arithmetic throws the fractions away: convert "
            "first, pixels.astype(np.float32), then divide with /.",
        )
    if np.any(np.diff(got.ravel()) < -1e-9) and not np.allclose(got, -want, atol=1e-3):
        raise Mistake(
            "brighter pixels do not always get larger values: pixel 127 becomes "
            f"{got.ravel()[127]:.4g}, pixel 128 becomes {got.ravel()[128]:.4g}.",
            "uint8 arithmetic wraps around at 256 (200 * 2 is 144 in uint8): convert to "
            "float before multiplying.",
        )
    if np.allclose(got, -want, atol=1e-3):
        raise Mistake(
            "the colours are inverted: black (0) becomes +1 and white ink (255) becomes -1.",
            "Map 0 to -1 and 255 to +1: x / 127.5 - 1.",
        )
    if np.isclose(lo, 0.0, atol=1e-3) and np.isclose(hi, 1.0, atol=1e-3):
        raise Mistake(
            "your values lie in [0, 1], the range of a sigmoid, not of tanh.",
            "Stretch [0, 1] to [-1, 1]: multiply by 2 and subtract 1 (or x / 127.5 - 1).",
        )
    if np.isclose(lo, 0.0, atol=1e-3) and np.isclose(hi, 2.0, atol=1e-3):
        raise Mistake(
            "your values lie in [0, 2]: the scale is right but not the centre.",
            "Subtract 1 after dividing by 127.5.",
        )
    if np.isclose(hi - lo, 255.0, atol=1e-2):
        raise Mistake(
            f"your values lie in [{lo:.4g}, {hi:.4g}]: centred, maybe, but not scaled.",
            "Divide by 127.5 as well.",
        )
    raise Mistake(
        f"pixel 200 should become {want.ravel()[200]:.4f}, yours is {got.ravel()[200]:.4g} "
        f"(your values lie in [{lo:.4g}, {hi:.4g}]).",
        "The map is a straight line through (0, -1) and (255, +1): x / 127.5 - 1.",
    )


# --------------------------------------------------------------------------- exercise 2


def _test_generator(noise_dim: int) -> Any:
    """Return a small Keras model with a noise input of ``noise_dim``, standing in for G."""
    from ..models import toy_generator

    return toy_generator(data_dim=1, noise_dim=noise_dim, hidden=(4,), name="generator")


def _noise_shape_mistake(shape: tuple[int, ...], n: int, noise_dim: int) -> Mistake | None:
    """Return a Mistake describing a wrong noise ``shape``, or None if it is (n, noise_dim)."""
    if shape == (n, noise_dim):
        return None
    if len(shape) == 4 and shape[0] == n:
        return Mistake(
            f"your function returned images of shape {shape}.",
            "Return the noise itself, not generator(noise): the notebook feeds it to G next.",
        )
    if shape == (n,):
        return Mistake(
            f"the shape should be ({n}, {noise_dim}), yours is {shape}: one number per example.",
            "Each example needs a whole vector of noise_dim numbers: shape (n, noise_dim).",
        )
    if shape == (noise_dim, n):
        return Mistake(
            f"the shape should be ({n}, {noise_dim}), yours is {shape}: rows and columns swapped.",
            "Keras puts the batch first: one row per example.",
        )
    if len(shape) == 2 and shape[0] == n:
        return Mistake(
            f"for a generator whose input has {noise_dim} numbers the shape should be "
            f"({n}, {noise_dim}), yours is {shape}.",
            "Read the size from the generator instead of typing it: generator.input_shape[-1].",
        )
    return Mistake(
        f"the shape should be ({n}, {noise_dim}), yours is {shape}.",
        "One row per example, one column per noise number: (n, generator.input_shape[-1]).",
    )


@exercise("Exercise 2: noise for the generator", make_noise)
def check_make_noise(fn: Any) -> str:
    """Check a function ``make_noise(n, generator)`` returning standard normal (n, noise_dim)."""
    samples = {}
    for n, noise_dim in ((3, 64), (2000, 100), (5, 7)):
        noise = as_array(call(fn, n, _test_generator(noise_dim)), "The noise")
        mistake = _noise_shape_mistake(noise.shape, n, noise_dim)
        if mistake is not None:
            raise mistake
        if not np.all(np.isfinite(noise)):
            raise Mistake("the noise contains NaN or infinite values.")
        samples[noise_dim] = noise
    big = samples[100]
    mean, std = float(big.mean()), float(big.std())
    if std < 1e-6:
        raise Mistake(
            f"every number is {mean:.3g}: that is not noise.",
            "Draw random numbers: np.random.standard_normal(...) or tf.random.normal(...).",
        )
    if big.min() >= 0 and abs(mean - 0.5) < 0.05:
        raise Mistake(
            f"your numbers look uniform in [0, 1) (mean {mean:.2f}, none negative).",
            "The course's generators are trained on standard normal noise (mean 0, "
            "standard deviation 1): np.random.standard_normal or tf.random.normal.",
        )
    if abs(mean) > 0.05 or abs(std - 1.0) > 0.05:
        raise Mistake(
            f"for 200,000 numbers the mean should be close to 0 and the standard deviation "
            f"close to 1; yours are {mean:.3f} and {std:.3f}.",
            "Use standard normal noise: np.random.standard_normal or tf.random.normal.",
        )
    again = as_array(call(fn, 5, _test_generator(7)), "The noise")
    if np.array_equal(again, samples[7]):
        raise Mistake(
            "two calls returned exactly the same noise.",
            "Don't fix a seed inside the function: every batch should get fresh noise.",
        )
    return "Shape (n, noise_dim), mean 0, standard deviation 1, fresh each call."


# --------------------------------------------------------------------------- exercise 3


def _softplus(x: np.ndarray) -> np.ndarray:
    """Return log(1 + e^x), computed without overflow."""
    return np.logaddexp(0.0, x)


def _loss_value(fn: Any, logits: np.ndarray) -> tuple[float, tuple[int, ...]]:
    """Return the student's loss for ``logits`` (N, 1) as a float (may be NaN) and its shape."""
    import tensorflow as tf

    result = call(fn, tf.constant(logits, tf.float32))
    values = as_array(result, "Your loss")
    return (float(values.reshape(())) if values.size == 1 else math.nan), values.shape


@exercise("Exercise 3: the non-saturating generator loss", generator_loss)
def check_generator_loss(fn: Any) -> str:
    """Check a function ``generator_loss(fake_logits)`` = -mean log sigmoid(fake_logits)."""
    logits = np.array([[2.0], [-1.0], [0.5], [-3.0]])
    x = logits.ravel()
    want = float(np.mean(_softplus(-x)))
    got, shape = _loss_value(fn, logits)
    if len(shape) and int(np.prod(shape)) != 1:
        raise Mistake(
            f"your loss has shape {shape}; a loss is one number.",
            "Average over the batch: tf.reduce_mean(...).",
        )
    if math.isnan(got):
        raise Mistake(
            "your loss is NaN for logits (2, -1, 0.5, -3).",
            "D returns logits, which can be negative: turn them into probabilities with "
            "tf.sigmoid before taking a log, or use tf.math.log_sigmoid(logits) directly.",
        )
    wrong = {
        float(np.mean(-_softplus(x))): (
            "that is the saturating loss mean log(1 - D(G(z))) of the original minimax game.",
            "The non-saturating loss is -mean log D(G(z)): G pushes D(G(z)) up towards 1.",
        ),
        float(np.mean(_softplus(x))): (
            "that is the discriminator's loss on the fakes, -mean log(1 - D(G(z))) "
            "(target 'fake').",
            "G wants D to answer 'real': -mean log D(G(z)), target 1.",
        ),
        -want: (
            "your loss has the wrong sign.",
            "A loss is minimised: -mean log D(G(z)). Did you forget the minus sign?",
        ),
        want * len(x): (
            "your loss is the sum over the batch, not the mean.",
            "Use tf.reduce_mean, so the loss does not grow with the batch size.",
        ),
    }
    for value, (message, hint) in wrong.items():
        if np.isclose(got, value, rtol=1e-4):
            raise Mistake(
                f"for logits (2, -1, 0.5, -3) the loss should be {want:.4f}, yours is "
                f"{got:.4f}: {message}",
                hint,
            )
    expect_close(
        got,
        want,
        "For logits (2, -1, 0.5, -3) the loss",
        hint="-mean log D(G(z)) with D(G(z)) = sigmoid(logit).",
    )
    extreme = np.array([[-200.0], [5.0]])
    far = float(np.mean(_softplus(-extreme.ravel())))
    got_far, _ = _loss_value(fn, extreme)
    if not math.isfinite(got_far) or not np.isclose(got_far, far, rtol=1e-3):
        shown = f"{got_far:.4g}" if math.isfinite(got_far) else str(got_far)
        raise Mistake(
            f"right for ordinary logits, but for logits (-200, 5), a fake D is very sure "
            f"about, the loss should be {far:.2f}, yours is {shown}.",
            "sigmoid(-200) rounds to 0 in float32 and log(0) is -inf (or a clipped "
            "probability caps the loss). Work from the logits: -tf.reduce_mean("
            "tf.math.log_sigmoid(fake_logits)).",
        )
    return "And it stays finite even when D is very sure a sample is fake."


# --------------------------------------------------------------------------- exercises 4 and 5
#
# The two halves of one training step. The checks run the student's half once on two tiny
# models (G: 3 noise numbers -> 2D points, D: 2D points -> a logit) with plain SGD, so that
# the size of every gradient shows in the weights, and compare with the reference half.

_STEP_NOISE_DIM, _STEP_DATA_DIM, _STEP_BATCH = 3, 2, 8


def discriminator_update(generator, discriminator, optimizer, real_images, noise):
    import tensorflow as tf

    from gancourse.losses import minimax_discriminator_loss as discriminator_loss

    fake_images = generator(noise, training=True)
    with tf.GradientTape() as tape:
        real_logits = discriminator(real_images, training=True)
        fake_logits = discriminator(fake_images, training=True)
        d_loss = discriminator_loss(real_logits, fake_logits)
    grads = tape.gradient(d_loss, discriminator.trainable_variables)
    optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    return d_loss


def generator_update(generator, discriminator, optimizer, noise):
    import tensorflow as tf

    from gancourse.losses import non_saturating_generator_loss as generator_loss

    with tf.GradientTape() as tape:
        fake_images = generator(noise, training=True)
        fake_logits = discriminator(fake_images, training=True)
        g_loss = generator_loss(fake_logits)
    grads = tape.gradient(g_loss, generator.trainable_variables)
    optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return g_loss


@functools.lru_cache(maxsize=1)
def _step_models() -> tuple[Any, Any]:
    """Return a tiny G (with batch normalisation, as the DCGAN's) and D, built once."""
    import keras

    from ..models import toy_discriminator

    noise = keras.Input(shape=(_STEP_NOISE_DIM,), name="noise")
    h = keras.layers.Dense(5, name="g_dense")(noise)
    h = keras.layers.BatchNormalization(name="g_bn")(h)
    h = keras.layers.LeakyReLU(0.2, name="g_lrelu")(h)
    generator = keras.Model(noise, keras.layers.Dense(_STEP_DATA_DIM)(h), name="generator")
    discriminator = toy_discriminator(_STEP_DATA_DIM, hidden=(5,), name="discriminator")
    return generator, discriminator


def _step_inputs() -> dict[str, np.ndarray]:
    """Return the fixed real batch and noise of the checks."""
    rng = np.random.default_rng(5)
    shapes = {"real": (_STEP_BATCH, _STEP_DATA_DIM), "noise": (_STEP_BATCH, _STEP_NOISE_DIM)}
    return {k: (rng.standard_normal(s) + (1.5 if k == "real" else 0)).astype(np.float32)
            for k, s in shapes.items()}  # fmt: skip


def _start_weights(model: Any, rng: np.random.Generator) -> None:
    """Give ``model`` fixed weights: random kernels and biases, neutral batch statistics."""
    neutral = {"gamma": 1.0, "moving_variance": 1.0, "beta": 0.0, "moving_mean": 0.0}
    for variable in model.weights:
        name = variable.name.split("/")[-1].split(":")[0]
        shape = tuple(variable.shape)
        value = np.full(shape, neutral[name]) if name in neutral else rng.normal(0, 0.6, shape)
        variable.assign(value.astype(np.float32))


def _trainable(model: Any) -> np.ndarray:
    return np.concatenate([np.ravel(v.numpy()) for v in model.trainable_variables])


def _run_update(update: Callable[..., Any], half: str, student: bool = False) -> dict[str, Any]:
    """Run one half of a training step from the fixed start; return loss, weights before/after."""
    import keras
    import tensorflow as tf

    generator, discriminator = _step_models()
    rng = np.random.default_rng(7)
    for model in (generator, discriminator):
        _start_weights(model, rng)
    start = {"g": _trainable(generator), "d": _trainable(discriminator)}
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    inputs = {k: tf.constant(v) for k, v in _step_inputs().items()}
    args = (inputs["real"], inputs["noise"]) if half == "d" else (inputs["noise"],)
    if student:
        loss = call(update, generator, discriminator, optimizer, *args)
    else:
        loss = update(generator, discriminator, optimizer, *args)
    after = {"g": _trainable(generator), "d": _trainable(discriminator)}
    return {"loss": loss, "start": start, **after}


def _logits_at_start() -> dict[str, np.ndarray]:
    """Return D's logits from the fixed start: on the real batch, on G(noise) made in
    training mode, and on G(noise) made in inference mode."""
    seen = {}

    def look(generator, discriminator, optimizer, real, noise):
        # Inference mode first: training mode moves batch normalisation's stored averages.
        seen["fake_inference"] = discriminator(generator(noise, training=False)).numpy().ravel()
        seen["fake"] = discriminator(generator(noise, training=True)).numpy().ravel()
        seen["real"] = discriminator(real).numpy().ravel()
        return 0.0

    _run_update(look, "d")
    return seen


def _changed(after: np.ndarray, before: np.ndarray) -> bool:
    return not np.allclose(after, before, rtol=0, atol=1e-7)


def _check_update(fn: Any, half: str, reference: Callable[..., Any],
                  wrong_losses: dict[float, tuple[str, str]], loss_hint: str) -> None:  # fmt: skip
    """Run the student's half and the reference; raise the Mistake that names the difference."""
    me, other = ("D", "G") if half == "d" else ("G", "D")
    mine = "discriminator" if half == "d" else "generator"
    key, other_key = me.lower(), other.lower()
    try:
        got = _run_update(fn, half, student=True)
    except Mistake as mistake:
        if "gradient" in str(mistake).lower():
            raise Mistake(
                f"no gradient reached {me}'s weights: {mistake}",
                f"Compute everything the loss depends on inside `with tf.GradientTape() as "
                f"tape:`, then ask tape.gradient for {mine}.trainable_variables."
                + (
                    " G's images must be made inside the tape too: the gradient flows back "
                    "through D into G."
                    if half == "g"
                    else ""
                ),
            ) from None
        raise
    want = _run_update(reference, half)
    loss = number(got["loss"], "The loss your function returned")
    if _changed(got[other_key], got["start"][other_key]):
        raise Mistake(
            f"your {me} update changed {other}'s weights: one half of a training step "
            f"updates one player only.",
            f"Take the gradients of {mine}.trainable_variables only, and hand only those to "
            "optimizer.apply_gradients.",
        )
    if not _changed(got[key], got["start"][key]):
        raise Mistake(
            f"{me}'s weights did not change: the update was never applied.",
            f"grads = tape.gradient(loss, {mine}.trainable_variables), then "
            f"optimizer.apply_gradients(zip(grads, {mine}.trainable_variables)).",
        )
    want_loss = float(want["loss"])
    if not np.isclose(loss, want_loss, rtol=1e-4, atol=1e-6):
        for value, (message, hint) in wrong_losses.items():
            if np.isclose(loss, value, rtol=1e-4, atol=1e-6):
                raise Mistake(
                    f"your loss is {loss:.4f}, it should be {want_loss:.4f}: {message}", hint
                )
        raise Mistake(
            f"your loss is {loss:.4f}, it should be {want_loss:.4f} for the check's tiny "
            "models and batch.",
            loss_hint,
        )
    step = want[key] - want["start"][key]
    moved = got[key] - got["start"][key]
    if np.allclose(moved, -step, rtol=1e-3, atol=1e-6):
        raise Mistake(
            f"{me} moved up its loss instead of down: the gradients have the wrong sign.",
            "optimizer.apply_gradients already steps downhill: hand it tape.gradient(loss, "
            "...) as it is, not its negative.",
        )
    if not np.allclose(moved, step, rtol=1e-3, atol=1e-6):
        raise Mistake(
            f"the loss is right, but {me}'s weights moved differently from one step down "
            "that loss.",
            f"Take the gradient of the loss you return with respect to "
            f"{mine}.trainable_variables, and apply it once.",
        )


_INFERENCE_MODE = (
    "G drew the images in inference mode (training=False), so its batch normalisation used "
    "stored averages instead of the batch's own statistics.",
    "In a training step call generator(noise, training=True) (and the discriminator with "
    "training=True too).",
)


@exercise("Exercise 4: the discriminator's half of a training step", discriminator_update)
def check_discriminator_update(fn: Any) -> str:
    """Check ``discriminator_update(generator, discriminator, optimizer, real, noise)``."""
    seen = _logits_at_start()
    real, fake, fake_inference = seen["real"], seen["fake"], seen["fake_inference"]
    mean = lambda values: float(np.mean(values))  # noqa: E731
    wrong_losses = {
        mean(_softplus(-real)) + mean(_softplus(fake_inference)): _INFERENCE_MODE,
        mean(_softplus(real)) + mean(_softplus(-fake)): (
            "real and fake are swapped: that teaches D to call real digits fake.",
            "Real images get the label 'real' (1), generated ones 'fake' (0): "
            "discriminator_loss(real_logits, fake_logits), in that order.",
        ),
        mean(_softplus(-real)): (
            "only the real batch counts; D must also learn to reject G's images.",
            "Score both batches with D and pass both logits to discriminator_loss.",
        ),
        mean(_softplus(fake)): (
            "only the generated batch counts; D must also learn to accept real digits.",
            "Score both batches with D and pass both logits to discriminator_loss.",
        ),
        mean(_softplus(-real) * 0.875 + _softplus(real) * 0.125) + mean(_softplus(fake)): (
            "that is the loss with one-sided label smoothing 0.25 (TF-GAN's default).",
            "Use the course's losses.minimax_discriminator_loss, or pass "
            "label_smoothing=0.0 to TF-GAN's loss.",
        ),
        mean(_softplus(-fake)): (
            "that is G's loss, not D's.",
            "D's loss scores the real batch and the generated batch: "
            "discriminator_loss(real_logits, fake_logits).",
        ),
    }
    hint = (
        "d_loss = discriminator_loss(real_logits, fake_logits), with D's logits on the real "
        "batch and on generator(noise, training=True), both inside the tape."
    )
    _check_update(fn, "d", discriminator_update, wrong_losses, hint)
    return "D learned from one real and one generated batch, and G did not change."


@exercise("Exercise 5: the generator's half of a training step", generator_update)
def check_generator_update(fn: Any) -> str:
    """Check ``generator_update(generator, discriminator, optimizer, noise)``."""
    seen = _logits_at_start()
    fake, fake_inference = seen["fake"], seen["fake_inference"]
    mean = lambda values: float(np.mean(values))  # noqa: E731
    wrong_losses = {
        mean(_softplus(-fake_inference)): _INFERENCE_MODE,
        mean(-_softplus(fake)): (
            "that is the saturating loss mean log(1 - D(G(z))) of the original minimax game.",
            "Use the non-saturating loss from Exercise 3: generator_loss(fake_logits).",
        ),
        mean(_softplus(fake)): (
            "that is D's loss on the fakes (target 'fake'); G wants D to answer 'real'.",
            "generator_loss(fake_logits), the loss from Exercise 3.",
        ),
    }
    hint = (
        "g_loss = generator_loss(fake_logits), where fake_logits is D's verdict on "
        "generator(noise, training=True), both inside the tape."
    )
    _check_update(fn, "g", generator_update, wrong_losses, hint)
    return "G moved towards what D calls real, through D's gradients, and D did not change."


# --------------------------------------------------------------------------- exercise 6

_COVERAGE_CASES = (
    ("every digit equally often", np.arange(100) % NUM_CLASSES),
    ("only 3s and 8s, equally often", np.array([3, 8] * 25)),
    ("only 7s", np.full(50, 7)),
    ("all ten digits, but 1s nine times out of ten", np.array([1] * 91 + list(range(10)))),
)


def _coverage(predicted: np.ndarray) -> float:
    """Return the reference class coverage of predicted classes."""
    counts = np.bincount(predicted, minlength=NUM_CLASSES)
    p = counts[counts > 0] / counts.sum()
    return float(max(0.0, -np.sum(p * np.log(p)) / math.log(NUM_CLASSES)))


def _coverage_answers(fn: Any) -> dict[str, tuple[float, float]]:
    """Return {case: (the student's value or NaN, the reference)} for every test case."""
    answers = {}
    for name, predicted in _COVERAGE_CASES:
        value = as_array(call(fn, predicted.copy()), f"Coverage for {name}")
        if value.size != 1:
            raise Mistake(
                f"for {name} your function returned shape {value.shape}; coverage is one number.",
                "Sum p * log(p) over the classes to get one number.",
            )
        answers[name] = (float(value.reshape(())), _coverage(predicted))
    return answers


@exercise("Exercise 6: class coverage", class_coverage)
def check_class_coverage(fn: Any) -> str:
    """Check ``class_coverage(predicted)``: entropy of the class histogram / log 10."""
    answers = _coverage_answers(fn)
    (uniform, _), (pair, pair_want), _, (skewed, skewed_want) = answers.values()
    if np.isclose(uniform, math.log(NUM_CLASSES), rtol=1e-3):
        raise Mistake(
            f"for every digit equally often the coverage should be 1, yours is {uniform:.4f} "
            "= log 10: the entropy itself.",
            "Divide the entropy by its largest possible value, log 10.",
        )
    if np.isclose(uniform, math.log2(NUM_CLASSES), rtol=1e-3):
        raise Mistake(
            f"for every digit equally often the coverage should be 1, yours is {uniform:.4f} "
            "= log2(10): the entropy in bits.",
            "Divide the entropy by log2(10), or use natural logs throughout.",
        )
    if np.isclose(uniform, -1.0, rtol=1e-3) or pair < 0:
        raise Mistake(
            "your coverage is negative.",
            "log p is negative for p < 1, so the entropy is -sum p log p: mind the minus sign.",
        )
    if np.isclose(pair, 1.0, rtol=1e-3):
        raise Mistake(
            f"for only 3s and 8s the coverage should be {pair_want:.4f} (log 2 / log 10), "
            "yours is 1: you divided by the log of the number of classes that appear.",
            "Divide by log 10, all ten classes, so that two classes can never score 1.",
        )
    if any(math.isnan(got) for got, _ in answers.values()):
        raise Mistake(
            "your coverage is NaN when some digits never appear.",
            "A class with p = 0 contributes 0 (0 log 0 counts as 0): keep only p > 0, "
            "for example p = p[p > 0].",
        )
    if np.isclose(skewed, 1.0, rtol=1e-3):
        raise Mistake(
            f"when all ten digits appear but 1s make up 91% the coverage should be "
            f"{skewed_want:.4f}, yours is 1: that counts which digits appear, not how evenly.",
            "Use the entropy of the class frequencies, -sum p log p, divided by log 10.",
        )
    for name, (got, want) in answers.items():
        expect_close(
            got,
            want,
            f"For predictions with {name}, the coverage",
            hint="p = counts / counts.sum(); coverage = -sum p log p / log 10.",
        )
    return "1 for all ten digits equally often, 0 for a single digit, and in between otherwise."
