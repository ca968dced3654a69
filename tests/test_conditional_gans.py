"""gancourse.conditional_gans: TF-GAN's numbers, valid codes, steps that train the right player."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

import gancourse
from gancourse import conditional_gans as cg
from gancourse import models
from gancourse.step_trainer import StepTrainer

N = 12
STEPS_TO_LEARN = 10


def acgan_pair():
    """The ACGAN's models: the conditional DCGAN generator, a D with a class head."""
    return models.conditional_dcgan_generator(), models.acgan_discriminator()


def infogan_pair():
    """The InfoGAN's models: a DCGAN generator fed InfoGANCodes(), a D with a Q head."""
    return models.dcgan_generator(noise_dim=cg.InfoGANCodes().size), models.infogan_discriminator()


@pytest.fixture(scope="module")
def tfp():
    from gancourse.tfgan import load

    load()  # TF-GAN needs TensorFlow Probability imported first; load() does it in order
    import tensorflow_probability

    return tensorflow_probability


@pytest.fixture(scope="module")
def tiny():
    """64 random images in [-1, 1] and labels 0..9: enough for one step of each player."""
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (64, 28, 28, 1)).astype(np.float32), np.arange(64) % 10


def _logits(seed, n=N, k=10):
    return np.random.default_rng(seed).normal(0, 2, (n, k)).astype(np.float32)


def _weights(model):
    return [w.numpy().copy() for w in model.trainable_variables]


def _changed(before, model) -> bool:
    return any(not np.allclose(a, b.numpy()) for a, b in zip(before, model.trainable_variables))


# --------------------------------------------------------------------------- losses vs TF-GAN


def test_acgan_class_losses_equal_tf_gan_s(tfgan):
    real, fake = _logits(0), _logits(1)
    labels = np.random.default_rng(2).integers(0, 10, N)
    one_hot = tf.one_hot(labels, 10)
    d_class, g_class = cg.acgan_class_losses(real, fake, labels)
    expected_d = tfgan.losses.wargs.acgan_discriminator_loss(real, fake, one_hot)
    expected_g = tfgan.losses.wargs.acgan_generator_loss(fake, one_hot)
    np.testing.assert_allclose(d_class.numpy(), expected_d.numpy(), rtol=1e-5)
    np.testing.assert_allclose(g_class.numpy(), expected_g.numpy(), rtol=1e-5)
    assert d_class.numpy() > g_class.numpy() > 0


def test_acgan_class_losses_take_float_labels_and_are_zero_for_sure_right_logits():
    labels = np.array([3.0, 0.0, 9.0])
    sure = 50.0 * np.eye(10, dtype=np.float32)[labels.astype(int)]
    d_class, g_class = cg.acgan_class_losses(sure, sure, labels)
    assert d_class.numpy() == pytest.approx(0.0, abs=1e-6)
    assert g_class.numpy() == pytest.approx(0.0, abs=1e-6)


def _tfgan_penalty(tfgan, tfp, categories, values, code_logits, code_means, one_hot):
    """TF-GAN's penalty: Categorical takes class indices, OneHotCategorical one-hot rows."""
    if one_hot:
        inputs = [tf.one_hot(categories, code_logits.shape[1]), values]
        categorical = tfp.distributions.OneHotCategorical(logits=code_logits)
    else:
        inputs = [categories, values]
        categorical = tfp.distributions.Categorical(logits=code_logits)
    normal = tfp.distributions.Normal(loc=code_means, scale=1.0)
    return tfgan.losses.wargs.mutual_information_penalty(inputs, [categorical, normal])


@pytest.mark.parametrize("one_hot", [False, True], ids=["Categorical", "OneHotCategorical"])
def test_mutual_information_penalty_equals_tf_gan_s(tfgan, tfp, one_hot):
    rng = np.random.default_rng(3)
    categories = rng.integers(0, 10, N)
    values = rng.uniform(-1, 1, (N, 2)).astype(np.float32)
    code_logits, code_means = _logits(4), rng.normal(0, 1, (N, 2)).astype(np.float32)
    ours = cg.mutual_information_penalty(categories, values, code_logits, code_means)
    theirs = _tfgan_penalty(tfgan, tfp, categories, values, code_logits, code_means, one_hot)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)

    @tf.function
    def both(c, v, lg, m):
        return (
            cg.mutual_information_penalty(c, v, lg, m),
            _tfgan_penalty(tfgan, tfp, c, v, lg, m, one_hot),
        )

    ours_c, theirs_c = both(tf.constant(categories), values, code_logits, code_means)
    np.testing.assert_allclose(ours_c.numpy(), theirs_c.numpy(), rtol=1e-5)
    np.testing.assert_allclose(ours_c.numpy(), ours.numpy(), rtol=1e-5)


def test_tf_gan_s_categorical_refuses_one_hot_codes(tfgan, tfp):
    """So the notebook must hand TF-GAN's Categorical the class indices, not the one-hot rows."""
    rng = np.random.default_rng(5)
    categories, values = rng.integers(0, 10, N), rng.uniform(-1, 1, (N, 2)).astype(np.float32)
    inputs = [tf.one_hot(categories, 10), values]
    dists = [
        tfp.distributions.Categorical(logits=_logits(6)),
        tfp.distributions.Normal(loc=np.zeros((N, 2), np.float32), scale=1.0),
    ]
    with pytest.raises((tf.errors.InvalidArgumentError, ValueError)):
        tfgan.losses.wargs.mutual_information_penalty(inputs, dists)


def test_mutual_information_penalty_is_lowest_when_q_reads_the_codes_back():
    rng = np.random.default_rng(7)
    categories = rng.integers(0, 10, N)
    values = rng.uniform(-1, 1, (N, 2)).astype(np.float32)
    sure = 40.0 * np.eye(10, dtype=np.float32)
    right = cg.mutual_information_penalty(categories, values, sure[categories], values)
    wrong = cg.mutual_information_penalty(categories, values, sure[(categories + 1) % 10], -values)
    # A perfect Q leaves only the unit normal's constant: 0.5 * log(2 pi) / 2.
    assert right.numpy() == pytest.approx(0.25 * np.log(2 * np.pi), abs=1e-4)
    assert wrong.numpy() > right.numpy() + 10


def test_mutual_information_penalty_takes_float64_numpy_arrays():
    rng = np.random.default_rng(8)
    categories, values = rng.integers(0, 10, N), rng.uniform(-1, 1, (N, 2))
    logits, means = rng.normal(size=(N, 10)), rng.normal(size=(N, 2))
    expected = cg.mutual_information_penalty(
        categories, values, logits.astype(np.float32), means.astype(np.float32)
    )
    got = cg.mutual_information_penalty(categories, values, logits, means)
    assert float(got) == pytest.approx(float(expected), rel=1e-5)


# --------------------------------------------------------------------------- InfoGANCodes


def test_codes_size_and_sample_shapes():
    codes = cg.InfoGANCodes(noise=5, categories=4, continuous=3)
    assert codes.size == 12
    assert cg.InfoGANCodes().size == 64 == models.noise_dim_of(models.dcgan_generator())
    assert tuple(codes.sample(7).shape) == (7, 12)
    assert tuple(codes.sample(7, seed=1).shape) == (7, 12)
    assert codes.sample(3, seed=1).dtype == tf.float32 == codes.sample(3).dtype


@pytest.mark.parametrize("seed", [None, 2])
def test_code_samples_are_valid(seed):
    codes = cg.InfoGANCodes(noise=6, categories=5, continuous=2)
    vectors = codes.sample(400, seed=seed).numpy()
    one_hot, values = vectors[:, 6:11], vectors[:, 11:]
    assert set(np.unique(one_hot)) == {0.0, 1.0}
    np.testing.assert_array_equal(one_hot.sum(axis=1), 1.0)
    assert set(np.argmax(one_hot, axis=1)) == set(range(5)), "every category drawn"
    assert values.min() >= -1 and values.max() <= 1 and values.std() > 0.4
    assert abs(vectors[:, :6].std() - 1.0) < 0.1, "the noise part is standard normal"


def test_seeded_samples_repeat_and_unseeded_ones_do_not():
    codes = cg.InfoGANCodes()
    np.testing.assert_array_equal(codes.sample(5, seed=3), codes.sample(5, seed=3))
    assert not np.allclose(codes.sample(5, seed=3), codes.sample(5, seed=4))
    assert not np.allclose(codes.sample(5), codes.sample(5))


def test_join_and_split_round_trip():
    codes = cg.InfoGANCodes(noise=3, categories=4, continuous=2)
    rng = np.random.default_rng(0)
    noise, category, values = (
        rng.normal(size=(6, 3)),
        rng.integers(0, 4, 6),
        rng.uniform(-1, 1, (6, 2)),
    )
    joined = codes.join(noise, category, values)
    assert tuple(joined.shape) == (6, 9)
    back_noise, back_category, back_values = codes.split(joined)
    np.testing.assert_allclose(back_noise, noise, rtol=1e-6)
    np.testing.assert_array_equal(back_category, category)
    np.testing.assert_allclose(back_values, values, rtol=1e-6)
    again = codes.split(codes.sample(10, seed=1))
    np.testing.assert_allclose(codes.join(*again), codes.sample(10, seed=1))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"noise": 0}, "noise"),
        ({"categories": -1}, "categories"),
        ({"continuous": 1.5}, "continuous"),
    ],
)
def test_bad_code_sizes_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cg.InfoGANCodes(**kwargs)


def test_seeded_sample_refuses_a_bad_count():
    with pytest.raises(ValueError, match="n must"):
        cg.InfoGANCodes().sample(0, seed=1)


# --------------------------------------------------------------------------- reference steps


def _trainer(kind, **kwargs):
    gancourse.seed(0)
    if kind == "infogan":
        g, d = infogan_pair()
        steps = (cg.infogan_discriminator_step, cg.infogan_generator_step)
        return StepTrainer(g, d, *steps, codes=cg.InfoGANCodes(), **kwargs)
    g, d = models.build_gan("cdcgan") if kind == "cgan" else acgan_pair()
    steps = {
        "cgan": (cg.cgan_discriminator_step, cg.cgan_generator_step),
        "acgan": (cg.acgan_discriminator_step, cg.acgan_generator_step),
    }[kind]
    return StepTrainer(g, d, *steps, **kwargs)


STEPS = {
    "cgan": (cg.cgan_discriminator_step, cg.cgan_generator_step),
    "acgan": (cg.acgan_discriminator_step, cg.acgan_generator_step),
    "infogan": (cg.infogan_discriminator_step, cg.infogan_generator_step),
}


@pytest.mark.parametrize("kind", ["cgan", "acgan", "infogan"])
def test_each_reference_step_trains_only_its_player(tiny, kind):
    """Called eagerly (fast); tests/test_step_trainer.py runs them compiled in training.train."""
    images, labels = tiny
    trainer = _trainer(kind)
    d_step, g_step = STEPS[kind]
    labels = None if kind == "infogan" else tf.constant(labels[:32], tf.int32)
    real, noise = tf.constant(images[:32]), trainer.sample_noise(32, seed=0)
    g, d = _weights(trainer.generator), _weights(trainer.discriminator)
    out = {k: float(v) for k, v in d_step(trainer, real, labels, noise).items()}
    assert set(out) >= {"d_loss", "d_real", "d_fake"} and np.all(np.isfinite(list(out.values())))
    assert 0 < out["d_real"] < 1 and 0 < out["d_fake"] < 1
    assert _changed(d, trainer.discriminator) and not _changed(g, trainer.generator)
    d = _weights(trainer.discriminator)
    assert np.isfinite(float(g_step(trainer, labels, noise)["g_loss"]))
    assert _changed(g, trainer.generator) and not _changed(d, trainer.discriminator)


def test_acgan_d_loss_is_the_adversarial_loss_plus_the_class_loss(tiny):
    images, labels = tiny
    trainer = _trainer("acgan")
    real, y = tf.constant(images[:32]), tf.constant(labels[:32], tf.int32)
    noise = trainer.sample_noise(32, seed=0)
    fake = trainer.generator([noise, y], training=True)
    (r, rc), (f, fc) = trainer.discriminator(real), trainer.discriminator(fake)
    adversarial = trainer.loss.discriminator(r, f).numpy()
    d_class = cg.acgan_class_losses(rc, fc, y)[0].numpy()
    out = cg.acgan_discriminator_step(trainer, real, y, noise)
    assert float(out["d_loss"]) == pytest.approx(adversarial + d_class, rel=1e-4)
    assert d_class > 1.0, "an untrained class head is unsure among 10 digits"


def test_acgan_generator_step_lowers_the_class_loss_for_the_requested_labels():
    trainer = _trainer("acgan", g_learning_rate=1e-3)
    head = trainer.discriminator.get_layer("class_logits")
    head.kernel.assign(head.kernel * 30.0)  # a D that tells classes apart, so G has a signal
    labels = tf.constant(np.arange(64) % 10, tf.int32)
    noise = trainer.sample_noise(64, seed=1)

    def class_loss():
        fake = trainer.generator([noise, labels], training=False)
        return float(cg.acgan_class_losses(*[trainer.discriminator(fake)[1]] * 2, labels)[1])

    before = class_loss()
    for _ in range(STEPS_TO_LEARN):
        cg.acgan_generator_step(trainer, labels, noise)
    after = class_loss()
    assert after < 0.8 * before, (before, after)


def test_infogan_d_step_teaches_q_to_read_the_codes():
    trainer = _trainer("infogan", d_learning_rate=1e-3)
    noise = trainer.sample_noise(64, seed=2)
    real = tf.constant(np.random.default_rng(3).uniform(-1, 1, (64, 28, 28, 1)), tf.float32)

    def penalty():
        _, logits, means = trainer.discriminator(trainer.generator(noise, training=False))
        return float(cg._information(trainer, noise, logits, means))

    before = penalty()
    for _ in range(STEPS_TO_LEARN):
        cg.infogan_discriminator_step(trainer, real, None, noise)
    after = penalty()
    assert after < before - 0.02, (before, after)
