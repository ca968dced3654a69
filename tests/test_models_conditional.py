"""gancourse.models for notebook 07: the ACGAN's and the InfoGAN's discriminators."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from gancourse import models
from gancourse.conditional_gans import InfoGANCodes

BATCH = 5


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).uniform(-1, 1, (BATCH, 28, 28, 1)).astype(np.float32)


def _outputs(model, x):
    return [keras.ops.convert_to_numpy(y) for y in model(x, training=False)]


def test_acgan_discriminator_has_a_real_or_fake_logit_and_class_logits(images):
    d = models.acgan_discriminator(num_classes=7)
    assert not models.is_conditional(d), "it reads the digit from the image, never a label"
    logits, classes = _outputs(d, images)
    assert logits.shape == (BATCH, 1) and classes.shape == (BATCH, 7)
    assert np.all(np.isfinite(logits)) and np.all(np.isfinite(classes))
    assert d.get_layer("class_logits").activation is keras.activations.linear
    assert d.name == "acgan_discriminator"


def test_infogan_discriminator_has_a_logit_and_q_s_guesses(images):
    d = models.infogan_discriminator(categories=4, continuous=3)
    assert not models.is_conditional(d)
    logits, code_logits, code_means = _outputs(d, images)
    assert logits.shape == (BATCH, 1)
    assert code_logits.shape == (BATCH, 4) and code_means.shape == (BATCH, 3)
    assert d.name == "infogan_discriminator"


def test_the_heads_share_the_slim_dcgan_features():
    """Same convolutions as the slim DCGAN D: only the heads differ."""
    plain = models.dcgan_discriminator()
    convs = [layer.name for layer in plain.layers if isinstance(layer, keras.layers.Conv2D)]
    for d in (models.acgan_discriminator(), models.infogan_discriminator()):
        assert [layer.name for layer in d.layers if isinstance(layer, keras.layers.Conv2D)] == convs
        conv_params = sum(d.get_layer(name).count_params() for name in convs)
        assert conv_params == sum(plain.get_layer(name).count_params() for name in convs)
    extra = models.acgan_discriminator().count_params() - plain.count_params()
    assert extra == (7 * 7 * 32 + 1) * 10, "one Dense class head on the flat features"


@pytest.mark.parametrize(
    ("build", "kwargs", "argument"),
    [
        (models.acgan_discriminator, {"num_classes": 0}, "num_classes"),
        (models.infogan_discriminator, {"categories": 1.5}, "categories"),
        (models.infogan_discriminator, {"continuous": -2}, "continuous"),
    ],
)
def test_bad_sizes_name_the_argument(build, kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        build(**kwargs)


def test_the_acgan_pair_fits_together(images):
    g, d = models.conditional_dcgan_generator(num_classes=6), models.acgan_discriminator(6)
    assert models.is_conditional(g) and not models.is_conditional(d)
    fake = keras.ops.convert_to_numpy(g([np.zeros((BATCH, 64)), np.arange(BATCH)]))
    assert fake.shape == (BATCH, 28, 28, 1)
    assert _outputs(d, fake)[1].shape == (BATCH, 6)


def test_the_infogan_pair_takes_the_codes_as_g_s_noise(images):
    codes = InfoGANCodes()
    g, d = models.dcgan_generator(noise_dim=codes.size), models.infogan_discriminator()
    assert codes.size == models.noise_dim_of(models.dcgan_generator()), "the default noise size"
    fake = keras.ops.convert_to_numpy(g(codes.sample(BATCH, seed=0)))
    assert fake.shape == (BATCH, 28, 28, 1)
    assert [y.shape for y in _outputs(d, fake)] == [(BATCH, 1), (BATCH, 10), (BATCH, 2)]


@pytest.mark.parametrize("name", ["acgan", "infogan"])
def test_multi_output_pairs_are_not_in_the_registry(name):
    """build_gan's pairs all have one-output discriminators (GANTrainer and the shared tests
    rely on it); notebook 07 builds these two pairs itself."""
    assert name not in models.GAN_MODELS
    with pytest.raises(ValueError, match="Valid choices"):
        models.build_gan(name)


def test_save_and_reload_keeps_both_heads(tmp_path, images):
    d = models.infogan_discriminator()
    d.save(tmp_path / "d.keras")
    again = keras.models.load_model(tmp_path / "d.keras")
    for a, b in zip(_outputs(d, images), _outputs(again, images), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
