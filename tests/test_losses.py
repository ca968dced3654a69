"""gancourse.losses: the same numbers as TF-GAN, hand-checked values, penalty, registry."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse import losses

SEEDS = (0, 1, 2)
LOG2 = math.log(2.0)


@pytest.fixture(scope="module")
def wargs(tfgan):
    """TF-GAN's tensor-level losses (``tfgan`` is the session fixture in conftest.py)."""
    return tfgan.losses.wargs


def _logits(seed: int, n: int = 16, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Random logits with a wide spread, so the tails of each loss are exercised."""
    return (3.0 * np.random.default_rng(seed).standard_normal((n, *shape))).astype(np.float32)


def _close(ours, theirs, tol: float = 1e-5) -> None:
    np.testing.assert_allclose(float(ours), float(theirs), rtol=tol, atol=tol)


# --------------------------------------------------------------------------- against TF-GAN

# (our discriminator loss, TF-GAN's name, keyword arguments for both)
D_PAIRS = [
    (losses.minimax_discriminator_loss, "minimax_discriminator_loss", {"label_smoothing": 0.0}),
    (losses.minimax_discriminator_loss, "minimax_discriminator_loss", {"label_smoothing": 0.2}),
    (losses.minimax_discriminator_loss, "minimax_discriminator_loss", {"label_smoothing": 0.25}),
    (losses.least_squares_discriminator_loss, "least_squares_discriminator_loss", {}),
    (losses.wasserstein_discriminator_loss, "wasserstein_discriminator_loss", {}),
    (losses.hinge_discriminator_loss, "wasserstein_hinge_discriminator_loss", {}),
]
# (our generator loss, TF-GAN's name, explicit keyword arguments for TF-GAN's)
G_PAIRS = [
    (losses.non_saturating_generator_loss, "modified_generator_loss", {"label_smoothing": 0.0}),
    (losses.least_squares_generator_loss, "least_squares_generator_loss", {}),
    (losses.wasserstein_generator_loss, "wasserstein_generator_loss", {}),
    (losses.hinge_generator_loss, "wasserstein_hinge_generator_loss", {}),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(), (1,)], ids=["N", "Nx1"])
@pytest.mark.parametrize(
    "ours, theirs, kwargs", D_PAIRS, ids=lambda p: getattr(p, "__name__", None)
)
def test_discriminator_losses_match_tfgan(wargs, ours, theirs, kwargs, seed, shape):
    real, fake = _logits(seed, shape=shape), _logits(seed + 100, shape=shape)
    _close(ours(real, fake, **kwargs), getattr(wargs, theirs)(real, fake, **kwargs))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "ours, theirs, kwargs", G_PAIRS, ids=lambda p: getattr(p, "__name__", None)
)
def test_generator_losses_match_tfgan(wargs, ours, theirs, kwargs, seed):
    fake = _logits(seed)
    _close(ours(fake), getattr(wargs, theirs)(fake, **kwargs))


def test_least_squares_targets_match_tfgan(wargs):
    real, fake = _logits(3), _logits(4)
    ours = losses.least_squares_discriminator_loss(real, fake, real_label=0.9, fake_label=-1.0)
    theirs = wargs.least_squares_discriminator_loss(real, fake, real_label=0.9, fake_label=-1.0)
    _close(ours, theirs)
    _close(
        losses.least_squares_generator_loss(fake, real_label=0.5),
        wargs.least_squares_generator_loss(fake, real_label=0.5),
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_minimax_generator_loss_is_tfgan_up_to_a_constant(wargs, seed, smoothing):
    """TF-GAN computes -minimax_D_loss(real_logits=1, fake): our loss plus a constant.

    The constant is the cross-entropy of a logit of 1 against TF-GAN's real target, so the
    gradients are identical.
    """
    fake = tf.constant(_logits(seed))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(fake)
        ours = losses.minimax_generator_loss(fake)
        theirs = wargs.minimax_generator_loss(fake, label_smoothing=smoothing)
    target = 1.0 - smoothing / 2
    constant = math.log1p(math.e) - target  # sigmoid cross-entropy at logit 1
    _close(ours - constant, theirs)
    np.testing.assert_allclose(tape.gradient(ours, fake), tape.gradient(theirs, fake), atol=1e-6)


# --------------------------------------------------------------------------- by hand


def test_minimax_at_zero_logits_is_log2_terms():
    zeros = np.zeros(4, np.float32)
    _close(losses.minimax_discriminator_loss(zeros, zeros), 2 * LOG2)
    _close(losses.minimax_generator_loss(zeros), -LOG2)
    _close(losses.non_saturating_generator_loss(zeros), LOG2)
    # At logit 0, D = 1/2: smoothing changes the target but not the cross-entropy.
    _close(losses.minimax_discriminator_loss(zeros, zeros, label_smoothing=0.2), 2 * LOG2)


def test_label_smoothing_targets_point_nine():
    real = np.array([2.0, -1.0], np.float32)
    expected = np.mean([math.log1p(math.exp(-x)) + (1 - 0.9) * x for x in real])
    _close(losses.minimax_discriminator_loss(real, [-50.0], label_smoothing=0.2), expected)


def test_saturating_and_non_saturating_gradients():
    """Against a confident D (fake logit -5) the saturating loss barely moves G."""
    fake = tf.constant([-5.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(fake)
        saturating = losses.minimax_generator_loss(fake)
        non_saturating = losses.non_saturating_generator_loss(fake)
    assert abs(float(tape.gradient(saturating, fake)[0])) < 0.01
    assert abs(float(tape.gradient(non_saturating, fake)[0])) > 0.99


def test_least_squares_by_hand():
    _close(losses.least_squares_discriminator_loss([1.0, 0.0], [1.0, 0.0]), 0.25 + 0.25)
    _close(losses.least_squares_discriminator_loss([1.0], [0.0]), 0.0)
    _close(losses.least_squares_generator_loss([1.0, 0.0]), 0.25)


def test_wasserstein_by_hand():
    _close(losses.wasserstein_discriminator_loss([3.0, 1.0], [0.5, -0.5]), 0.0 - 2.0)
    _close(losses.wasserstein_generator_loss([0.5, 1.5]), -1.0)


def test_hinge_by_hand():
    _close(losses.hinge_discriminator_loss([2.0], [-2.0]), 0.0)
    _close(losses.hinge_discriminator_loss([0.0, 2.0], [0.5, -3.0]), 0.5 + 0.75)
    _close(losses.hinge_generator_loss([2.0, -2.0, 3.0]), -1.0)


def test_inputs_of_other_dtypes_are_converted():
    out = losses.minimax_discriminator_loss(np.zeros(3, np.float64), tf.zeros([3, 1], tf.float16))
    assert out.dtype == tf.float32 and out.shape == ()
    _close(out, 2 * LOG2)
    _close(losses.wasserstein_generator_loss(np.array([1, 2, 3])), -2.0)


# --------------------------------------------------------------------------- shape errors


@pytest.mark.parametrize("bad", [np.zeros((4, 2)), np.zeros((2, 2, 1)), np.float32(1.0)])
def test_wrong_logits_shape_names_the_argument(bad):
    good = np.zeros(4, np.float32)
    with pytest.raises(ValueError, match="fake_logits.*shape"):
        losses.minimax_discriminator_loss(good, bad)
    with pytest.raises(ValueError, match="real_logits.*shape"):
        losses.hinge_discriminator_loss(bad, good)
    with pytest.raises(ValueError, match="fake_logits"):
        losses.non_saturating_generator_loss(bad)


def test_label_smoothing_out_of_range():
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.minimax_discriminator_loss([0.0], [0.0], label_smoothing=1.5)


# --------------------------------------------------------------------------- tf.function


def test_losses_work_inside_tf_function():
    spec = tf.TensorSpec([None, 1], tf.float32)

    @tf.function(input_signature=[spec, spec])
    def all_losses(real, fake):
        return [
            loss.discriminator(real, fake) + loss.generator(fake) for loss in losses.LOSSES.values()
        ]

    real, fake = _logits(5, shape=(1,)), _logits(6, shape=(1,))
    for value, loss in zip(all_losses(real, fake), losses.LOSSES.values(), strict=True):
        _close(value, loss.discriminator(real, fake) + loss.generator(fake))


def test_static_shape_check_inside_tf_function():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def bad(fake):
        return losses.wasserstein_generator_loss(fake)

    with pytest.raises(ValueError, match="fake_logits"):
        bad(np.zeros((2, 3), np.float32))


# --------------------------------------------------------------------------- gradient penalty


def _linear_critic(w: np.ndarray, conditional: bool = False) -> keras.Model:
    """D(x) = w . flatten(x), plus a per-label offset if conditional (no effect on grad_x)."""
    x = keras.Input(shape=(2, 2, 1))
    dense = keras.layers.Dense(1, use_bias=False)
    score = dense(keras.layers.Flatten()(x))
    if not conditional:
        model = keras.Model(x, score)
    else:
        labels = keras.Input(shape=(), dtype="int32")
        offset = keras.layers.Embedding(3, 1)(labels)
        model = keras.Model([x, labels], keras.layers.Add()([score, offset]))
    dense.set_weights([w.reshape(4, 1).astype(np.float32)])
    return model


def _batch(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((5, 2, 2, 1)).astype(np.float32)


@pytest.mark.parametrize("norm, expected", [(1.0, 0.0), (2.0, 1.0), (3.0, 4.0)])
def test_gradient_penalty_of_linear_critic(norm, expected):
    w = np.array([1.0, -1.0, 1.0, 1.0]) / 2 * norm  # ||w|| = norm
    penalty = losses.gradient_penalty(_linear_critic(w), _batch(0), _batch(1), seed=3)
    _close(penalty, 10.0 * expected)
    _close(losses.gradient_penalty(_linear_critic(w), _batch(0), _batch(1), weight=1.0), expected)


def test_gradient_penalty_conditional_and_in_tf_function():
    w = np.array([0.0, 2.0, 0.0, 0.0])
    critic = _linear_critic(w, conditional=True)
    labels = np.array([0, 1, 2, 1, 0], np.int32)

    @tf.function
    def penalty(real, fake):
        return losses.gradient_penalty(critic, real, fake, labels=labels, weight=5.0)

    _close(penalty(_batch(0), _batch(1)), 5.0)


def test_gradient_penalty_trains_the_critic():
    """The penalty is differentiable in the critic's weights (a second-order gradient)."""
    critic = keras.Sequential(
        [keras.Input((2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    with tf.GradientTape() as tape:
        penalty = losses.gradient_penalty(critic, _batch(0), _batch(1))
    kernel_grad = tape.gradient(penalty, critic.layers[-1].kernel)
    assert np.all(np.isfinite(kernel_grad)) and np.any(kernel_grad != 0)


def test_gradient_penalty_checks_its_arguments():
    critic = _linear_critic(np.ones(4))
    with pytest.raises(ValueError, match="same shape"):
        losses.gradient_penalty(critic, _batch(0), _batch(1)[:, :1])
    with pytest.raises(ValueError, match="weight"):
        losses.gradient_penalty(critic, _batch(0), _batch(1), weight=-1.0)


# --------------------------------------------------------------------------- registry


def test_registry_names_resolve():
    assert losses.LOSS_NAMES == (
        "minimax",
        "non_saturating",
        "least_squares",
        "wasserstein",
        "wasserstein_gp",
        "hinge",
    )
    zeros = np.zeros(2, np.float32)
    for name in losses.LOSS_NAMES:
        loss = losses.get_loss(name)
        assert isinstance(loss, losses.GANLoss) and loss.name == name and loss.description
        assert loss.discriminator(zeros, zeros).shape == ()
        assert loss.generator(zeros).shape == ()
        assert loss.gradient_penalty == (name == "wasserstein_gp")
    assert losses.get_loss().name == losses.DEFAULT_LOSS == "non_saturating"
    assert losses.get_loss("minimax").generator is losses.minimax_generator_loss
    with pytest.raises(AttributeError):
        losses.get_loss("hinge").name = "other"  # frozen


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="wgan") as info:
        losses.get_loss("wgan")
    for name in losses.LOSS_NAMES:
        assert repr(name) in str(info.value)
