"""gancourse.tfgan: the real TF-GAN library on current TensorFlow, giving correct numbers."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.linalg
import tensorflow as tf

from gancourse import tfgan as loader


def test_load_returns_the_real_library(tfgan):
    assert tfgan.__name__ == "tensorflow_gan"
    assert "site-packages" in tfgan.__file__ or "dist-packages" in tfgan.__file__
    assert loader.load() is tfgan
    for name in (
        "minimax_discriminator_loss",
        "modified_generator_loss",
        "wasserstein_generator_loss",
    ):
        assert callable(getattr(tfgan.losses.wargs, name))


def test_load_works_in_a_fresh_interpreter():
    code = (
        "import gancourse.tfgan as t, tensorflow as tf; g = t.load();"
        "print(g.__name__, hasattr(tf, 'estimator'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["tensorflow_gan", "True"]


def test_estimator_standin_fails_loudly(tfgan):
    if not getattr(tf.estimator, "__gancourse_standin__", False):
        pytest.skip("this TensorFlow still ships tf.estimator; no stand-in was needed")
    with pytest.raises(loader.EstimatorUnavailableError, match="TensorFlow 2.16"):
        tf.estimator.Estimator(model_fn=None)
    fn = lambda *args, **kwargs: None  # noqa: E731
    with pytest.raises(loader.EstimatorUnavailableError, match="GANEstimator"):
        tfgan.estimator.GANEstimator(
            generator_fn=fn,
            discriminator_fn=fn,
            generator_loss_fn=fn,
            discriminator_loss_fn=fn,
            generator_optimizer=fn,
            discriminator_optimizer=fn,
        )


def test_minimax_loss_matches_the_formula(tfgan):
    real = np.array([1.0, -0.5, 2.0], np.float32)
    fake = np.array([-1.0, 0.3, 0.0], np.float32)
    got = tfgan.losses.wargs.minimax_discriminator_loss(real, fake, label_smoothing=0.0)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    # TF-GAN sums the two mean cross-entropies.
    want = -np.mean(np.log(sigmoid(real))) - np.mean(np.log(1 - sigmoid(fake)))
    assert float(got) == pytest.approx(want, abs=1e-5)


def test_frechet_distance_matches_numpy(tfgan):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 6))
    b = rng.normal(loc=0.7, scale=1.5, size=(400, 6))
    got = tfgan.eval.frechet_classifier_distance_from_activations(
        tf.constant(a, tf.float32), tf.constant(b, tf.float32)
    )
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(cov_a @ cov_b).real
    want = np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a + cov_b - 2 * covmean)
    assert float(got) == pytest.approx(want, rel=2e-3)
    same = tfgan.eval.frechet_classifier_distance_from_activations(
        tf.constant(a, tf.float32), tf.constant(a, tf.float32)
    )
    assert abs(float(same)) < 1e-2


def test_classifier_score_matches_numpy(tfgan):
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=3.0, size=(200, 10)).astype(np.float32)
    got = float(tfgan.eval.classifier_score_from_logits(tf.constant(logits)))
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    marginal = p.mean(0)
    want = np.exp(np.mean(np.sum(p * (np.log(p) - np.log(marginal)), axis=1)))
    assert got == pytest.approx(want, rel=1e-4)
    # One confident class per image, all ten classes equally often: the score is 10.
    confident = np.full((100, 10), -30.0, np.float32)
    confident[np.arange(100), np.arange(100) % 10] = 30.0
    assert float(tfgan.eval.classifier_score_from_logits(tf.constant(confident))) == pytest.approx(
        10.0, rel=1e-3
    )


def test_image_grid_places_images_row_by_row(tfgan):
    images = np.stack([np.full((28, 28, 1), float(i), np.float32) for i in range(6)])
    grid = tfgan.eval.image_grid(images, grid_shape=(2, 3), image_shape=(28, 28), num_channels=1)
    grid = np.asarray(grid)[0, :, :, 0]
    assert grid.shape == (56, 84)
    for i in range(6):
        row, col = divmod(i, 3)
        assert np.all(grid[row * 28 : (row + 1) * 28, col * 28 : (col + 1) * 28] == i)


# --------------------------------------------------------------------------- the GANModel API


def test_getargspec_is_given_to_tfgan_alone(tfgan):
    import inspect

    import tensorflow_gan.python.train as tfgan_train

    if sys.version_info >= (3, 11):
        assert not hasattr(inspect, "getargspec"), "Python's own inspect must stay unchanged"
    spec = tfgan_train.inspect.getargspec(lambda a, b=2, *rest, **named: None)
    assert spec.args == ["a", "b"] and spec.varargs == "rest" and spec.keywords == "named"
    assert spec.defaults == (2,)
    assert tfgan_train.inspect.signature is inspect.signature  # everything else is Python's


def test_hook_classes_are_tensorflows_own(tfgan):
    for name in ("SessionRunHook", "StopAtStepHook", "LoggingTensorHook", "FinalOpsHook"):
        assert getattr(tf.estimator, name) is getattr(tf.compat.v1.train, name)
    assert issubclass(tfgan.RunTrainOpsHook, tf.compat.v1.train.SessionRunHook)


def _small_keras_gan():
    import keras

    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)], name="g")
    discriminator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)], name="d")
    return generator, discriminator


def test_gan_loss_works_eagerly_on_a_ganmodel_of_keras_models(tfgan):
    generator, discriminator = _small_keras_gan()
    rng = np.random.default_rng(0)
    noise = tf.constant(rng.normal(size=(8, 2)), tf.float32)
    real = tf.constant(rng.normal(loc=2.0, size=(8, 3)), tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        model = loader.keras_gan_model(generator, discriminator, noise, real)
        loss = tfgan.gan_loss(
            model,
            generator_loss_fn=tfgan.losses.modified_generator_loss,
            discriminator_loss_fn=tfgan.losses.modified_discriminator_loss,
        )
    fake_logits = discriminator(generator(noise)).numpy().ravel()
    real_logits = discriminator(real).numpy().ravel()

    def softplus(x):
        return np.log1p(np.exp(x))

    # non-saturating G loss: -log sigmoid(D(G(z))). D's loss: TF-GAN smooths the real labels by
    # 0.25 by default, as TensorFlow does: 1 * (1 - 0.25) + 0.5 * 0.25 = 0.875.
    assert float(loss.generator_loss) == pytest.approx(np.mean(softplus(-fake_logits)), rel=1e-5)
    smoothed = 0.875 * softplus(-real_logits) + 0.125 * softplus(real_logits)
    want_d = np.mean(smoothed) + np.mean(softplus(fake_logits))
    assert float(loss.discriminator_loss) == pytest.approx(want_d, rel=1e-5)
    g_grads = tape.gradient(loss.generator_loss, generator.trainable_variables)
    d_grads = tape.gradient(loss.discriminator_loss, discriminator.trainable_variables)
    assert all(g is not None and np.any(g.numpy() != 0) for g in g_grads + d_grads)
    # TF-GAN's default losses are the Wasserstein ones.
    wasserstein = tfgan.gan_loss(model)
    assert float(wasserstein.generator_loss) == pytest.approx(-fake_logits.mean(), rel=1e-5)


def _graph_generator(noise):
    """G(z) = a z + b, TF1 variables (TF-GAN's graph mode collects them by scope)."""
    a = tf.compat.v1.get_variable("a", initializer=1.0)
    b = tf.compat.v1.get_variable("b", initializer=0.0)
    return a * noise + b


def _graph_discriminator(data, unused_inputs):
    """A logistic regression on (x, x^2): it can tell two bumps apart by mean and spread."""
    w = tf.compat.v1.get_variable("w", initializer=tf.zeros([2, 1]))
    c = tf.compat.v1.get_variable("c", initializer=0.0)
    return tf.matmul(tf.concat([data, data**2], axis=1), w) + c


def test_the_tf1_pipeline_trains_in_graph_mode(tfgan, tmp_path):
    class KeepFinalValues(tf.compat.v1.train.SessionRunHook):
        def __init__(self, variables):
            self.variables, self.values = variables, None

        def end(self, session):
            self.values = dict(zip([v.name for v in self.variables], session.run(self.variables)))

    steps = 400
    with tf.Graph().as_default():
        tf.compat.v1.set_random_seed(0)
        real = 3.0 + 0.5 * tf.random.normal([64, 1])
        noise = tf.random.normal([64, 1])
        model = tfgan.gan_model(_graph_generator, _graph_discriminator, real, noise)
        loss = tfgan.gan_loss(
            model,
            generator_loss_fn=tfgan.losses.modified_generator_loss,
            discriminator_loss_fn=tfgan.losses.modified_discriminator_loss,
        )
        train_ops = tfgan.gan_train_ops(
            model,
            loss,
            generator_optimizer=tf.compat.v1.train.AdamOptimizer(0.05, beta1=0.5),
            discriminator_optimizer=tf.compat.v1.train.AdamOptimizer(0.05, beta1=0.5),
        )
        keep = KeepFinalValues(model.generator_variables)
        final_step = tfgan.gan_train(
            train_ops,
            logdir=str(tmp_path),
            get_hooks_fn=tfgan.get_sequential_train_hooks(),
            hooks=[tf.compat.v1.train.StopAtStepHook(num_steps=steps), keep],
            save_checkpoint_secs=None,
            save_summaries_steps=None,
        )
    assert final_step == steps
    assert sorted(keep.values) == ["Generator/a:0", "Generator/b:0"]
    # G starts at N(0, 1); the real data is N(3, 0.5). Training moved G's mean most of the way.
    assert abs(keep.values["Generator/b:0"] - 3.0) < 1.0, keep.values


def test_estimators_are_still_refused(tfgan):
    with pytest.raises(loader.EstimatorUnavailableError, match="tf.estimator.Estimator"):
        tf.estimator.Estimator(model_fn=None)
    with pytest.raises(loader.EstimatorUnavailableError, match="tf.estimator.RunConfig"):
        tf.estimator.RunConfig()


# --------------------------------------------------------------------------- tfgan.eval, more


def test_kernel_distance_is_near_zero_for_one_distribution_and_grows_with_a_shift(tfgan):
    rng = np.random.default_rng(2)
    a = tf.constant(rng.normal(size=(300, 5)), tf.float32)
    b = tf.constant(rng.normal(size=(300, 5)), tf.float32)
    shifted = tf.constant(rng.normal(loc=1.0, size=(300, 5)), tf.float32)
    same = float(tfgan.eval.kernel_classifier_distance_from_activations(a, b))
    far = float(tfgan.eval.kernel_classifier_distance_from_activations(a, shifted))
    assert abs(same) < 0.05 and far > 0.3 and far > 10 * abs(same)


def _squares(seed: int, n: int = 64) -> np.ndarray:
    """RGB 16x16 images: a bright 6x6 square at a random place on faint noise."""
    rng = np.random.default_rng(seed)
    images = 0.1 * rng.uniform(size=(n, 16, 16, 3)).astype(np.float32)
    for image, (row, col) in zip(images, rng.integers(0, 10, size=(n, 2))):
        image[row : row + 6, col : col + 6] += 0.9
    return images


def test_sliced_wasserstein_ranks_noise_and_blur_behind_real_images(tfgan):
    real, other = _squares(0), _squares(1)
    padded = np.pad(real, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    blurred = sum(padded[:, i : i + 16, j : j + 16] for i in range(3) for j in range(3)) / 9
    noise = np.random.default_rng(2).uniform(size=real.shape).astype(np.float32)

    def distance(fake):
        levels = tfgan.eval.sliced_wasserstein_distance(tf.constant(real), tf.constant(fake))
        return float(levels[0][1])  # (real vs real, real vs fake) at 16x16: the second

    same, blur, far = distance(other), distance(blurred), distance(noise)
    assert far > blur > 1.8 * same, (same, blur, far)  # measured: 0.036, 0.098, 0.151


def test_image_reshaper_tiles_eleven_images_three_by_four(tfgan):
    images = tf.constant(np.ones((11, 5, 5, 1), np.float32))
    tiled = tfgan.eval.image_reshaper(images)
    assert tuple(tiled.shape) == (1, 15, 20, 1)
    assert float(tf.reduce_sum(tiled)) == 11 * 25  # the twelfth tile is empty
