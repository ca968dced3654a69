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
