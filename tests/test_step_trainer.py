"""gancourse.step_trainer: your step functions, run compiled inside the course's training loop."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import tensorflow as tf

import gancourse
from gancourse import conditional_gans as cg
from gancourse import models, training
from gancourse.step_trainer import StepTrainer

BATCH = 32


def acgan_pair():
    """The ACGAN's models: the conditional DCGAN generator, a D with a class head."""
    return models.conditional_dcgan_generator(), models.acgan_discriminator()


def infogan_pair():
    """The InfoGAN's models: a DCGAN generator fed InfoGANCodes(), a D with a Q head."""
    return models.dcgan_generator(noise_dim=cg.InfoGANCodes().size), models.infogan_discriminator()


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype(np.float32)


def _weights(model):
    return [w.numpy().copy() for w in model.trainable_variables]


def _changed(before, model) -> bool:
    return any(not np.allclose(a, b.numpy()) for a, b in zip(before, model.trainable_variables))


def standard_d_step(trainer, real, labels, noise):
    """The plain GAN's D update, written as a step function."""
    fake = trainer.generator(noise, training=True)
    with tf.GradientTape() as tape:
        real_logits = trainer.discriminator(real, training=True)
        fake_logits = trainer.discriminator(fake, training=True)
        d_loss = trainer.loss.discriminator(real_logits, fake_logits)
    grads = tape.gradient(d_loss, trainer.discriminator.trainable_variables)
    trainer.d_optimizer.apply_gradients(zip(grads, trainer.discriminator.trainable_variables))
    return {
        "d_loss": d_loss,
        "d_real": tf.reduce_mean(tf.sigmoid(real_logits)),
        "d_fake": tf.reduce_mean(tf.sigmoid(fake_logits)),
    }


def idle_g_step(trainer, labels, noise):
    """A G "update" that changes nothing."""
    return {"g_loss": tf.constant(0.5)}


def other_d_step(trainer, real, labels, noise):
    return standard_d_step(trainer, real, labels, noise)


class Counted:
    """Step functions that count their calls (in a variable: they run compiled)."""

    def __init__(self, update=True):
        self.update = update  # False: return constants, a graph that traces at once
        self.d_calls = tf.Variable(0)
        self.g_calls = tf.Variable(0)
        self.labels_seen = []  # what the functions got when they were traced

    def d_step(self, trainer, real, labels, noise):
        self.d_calls.assign_add(1)
        self.labels_seen.append(labels)
        if not self.update:
            return {
                "d_loss": tf.constant(1.0),
                "d_real": tf.constant(0.5),
                "d_fake": tf.constant(0.5),
            }
        return standard_d_step(trainer, real, labels, noise)

    def g_step(self, trainer, labels, noise):
        self.g_calls.assign_add(1)
        self.labels_seen.append(labels)
        return idle_g_step(trainer, labels, noise)


@pytest.fixture(scope="module")
def counted():
    """A StepTrainer on the DCGAN pair whose G step does nothing, and its counters."""
    gancourse.seed(0)
    steps = Counted()
    g, d = models.build_gan("dcgan")
    return StepTrainer(g, d, steps.d_step, steps.g_step), steps


# --------------------------------------------------------------------------- the steps run


def test_train_step_runs_each_function_once_and_only_d_changes(counted, images):
    trainer, steps = counted
    g, d = _weights(trainer.generator), _weights(trainer.discriminator)
    before = int(steps.d_calls.numpy()), int(steps.g_calls.numpy())
    out = trainer.train_step(images[:BATCH])
    assert set(out) == {"d_loss", "d_real", "d_fake", "g_loss"}
    assert out["g_loss"] == pytest.approx(0.5)
    assert 0 < out["d_real"] < 1 and np.isfinite(out["d_loss"])
    assert _changed(d, trainer.discriminator), "the D step updated D"
    assert not _changed(g, trainer.generator), "the G step changed nothing, so G is the same"
    trainer.train_step(images[BATCH:])
    assert (int(steps.d_calls.numpy()), int(steps.g_calls.numpy())) == (
        before[0] + 2,
        before[1] + 2,
    )
    assert all(labels is None for labels in steps.labels_seen), "an unconditional G: no labels"


def test_works_inside_training_train_and_its_run_folder(counted, images, tmp_path):
    trainer, steps = counted
    run = tmp_path / "run"
    calls = int(steps.d_calls.numpy())
    history = training.train(
        trainer, images, epochs=1, batch_size=BATCH, run_dir=run, progress=False
    )
    assert history.num_steps == 2 and int(steps.d_calls.numpy()) == calls + 2
    assert history.samples[-1].shape == (16, 28, 28, 1)
    assert history.config["d_step"].endswith("Counted.d_step")
    assert history.config["g_step"].endswith("Counted.g_step")
    history = training.train(
        trainer, images, epochs=2, batch_size=BATCH, run_dir=run, resume=True, progress=False
    )
    assert history.num_epochs == 2, "the same step functions continue the run"
    other = StepTrainer(trainer.generator, trainer.discriminator, other_d_step, steps.g_step)
    with pytest.raises(ValueError, match="d_step") as refused:
        training.train(
            other, images, epochs=3, batch_size=BATCH, run_dir=run, resume=True, progress=False
        )
    assert "other_d_step" in str(refused.value) and "Counted.d_step" in str(refused.value)
    timed = training.train(trainer, images, max_seconds=0.01, batch_size=BATCH, progress=False)
    assert 1 <= timed.num_steps <= 2, "max_seconds stops within the first epoch"


def test_d_steps_runs_the_d_function_that_many_times(images):
    steps = Counted(update=False)
    g, d = models.build_gan("dcgan")
    trainer = StepTrainer(g, d, steps.d_step, steps.g_step, d_steps=2)
    history = training.train(trainer, images, epochs=1, batch_size=BATCH, progress=False)
    assert history.num_steps == 1
    assert (int(steps.d_calls.numpy()), int(steps.g_calls.numpy())) == (2, 1)


# --------------------------------------------------------------------------- conditional


def test_a_conditional_g_with_an_unconditional_d_gets_the_labels_and_noise(images):
    gancourse.seed(0)
    g, d = acgan_pair()
    seen = {
        "d_labels": tf.Variable(tf.zeros([BATCH], tf.int32)),
        "g_labels": tf.Variable(tf.zeros([BATCH], tf.int32)),
        "d_noise": tf.Variable(tf.zeros([BATCH, 64])),
        "g_noise": tf.Variable(tf.zeros([BATCH, 64])),
    }

    def d_step(trainer, real, labels, noise):  # records only: a cheap graph to trace
        seen["d_labels"].assign(labels)
        seen["d_noise"].assign(noise)
        return {"d_loss": tf.constant(1.0), "d_real": tf.constant(0.5), "d_fake": tf.constant(0.5)}

    def g_step(trainer, labels, noise):
        seen["g_labels"].assign(labels)
        seen["g_noise"].assign(noise)
        return {"g_loss": tf.constant(1.0)}

    trainer = StepTrainer(g, d, d_step, g_step)
    assert trainer.conditional and trainer.num_classes == 10
    labels = (np.arange(BATCH) * 7) % 10
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(BATCH, 64)), rng.normal(size=(BATCH, 64))
    assert trainer.train_step(images[:BATCH], labels, noise=noise)["g_loss"] == 1.0
    np.testing.assert_array_equal(seen["d_labels"].numpy(), labels)
    np.testing.assert_array_equal(seen["g_labels"].numpy(), labels)
    np.testing.assert_allclose(seen["d_noise"].numpy(), noise[0], rtol=1e-6)
    np.testing.assert_allclose(seen["g_noise"].numpy(), noise[1], rtol=1e-6)
    with pytest.raises(ValueError, match="labels"):
        trainer.train_step(images[:BATCH])


def test_discriminator_probabilities_of_a_conditional_d_use_the_labels(images):
    g, d = models.build_gan("cdcgan")
    trainer = StepTrainer(g, d, cg.cgan_discriminator_step, cg.cgan_generator_step)
    labels = np.arange(8) % 10
    expected = tf.sigmoid(d([images[:8], labels])).numpy().ravel()
    np.testing.assert_allclose(trainer.discriminator_probabilities(images[:8], labels), expected)


def test_an_unconditional_g_with_a_conditional_d_is_refused():
    g, d = models.dcgan_generator(), models.conditional_dcgan_discriminator()
    with pytest.raises(ValueError, match="conditional"):
        StepTrainer(g, d, standard_d_step, idle_g_step)


# --------------------------------------------------------------------------- codes


def test_codes_draw_the_noise_in_training_and_for_samples(images):
    gancourse.seed(0)
    codes = cg.InfoGANCodes()
    g, d = infogan_pair()
    seen = tf.Variable(tf.zeros([BATCH, codes.size]))

    def d_step(trainer, real, labels, noise):
        seen.assign(noise)
        return cg.infogan_discriminator_step(trainer, real, labels, noise)

    trainer = StepTrainer(g, d, d_step, cg.infogan_generator_step, codes=codes)
    history = training.train(trainer, images, epochs=1, batch_size=BATCH, progress=False)
    assert history.num_steps == 2 and np.isfinite(history.steps["d_loss"][-1])
    assert history.config["codes"] == repr(codes)
    one_hot = seen.numpy()[:, codes.noise : codes.noise + codes.categories]
    np.testing.assert_array_equal(np.sort(np.unique(one_hot)), [0.0, 1.0])
    np.testing.assert_array_equal(one_hot.sum(axis=1), 1.0)
    fixed = trainer.sample_noise(5, seed=4)
    assert tuple(fixed.shape) == (5, codes.size) and fixed.dtype == tf.float32
    np.testing.assert_array_equal(fixed, trainer.sample_noise(5, seed=4))
    np.testing.assert_array_equal(fixed, codes.sample(5, seed=4))
    assert not np.allclose(fixed, trainer.sample_noise(5, seed=5))
    np.testing.assert_array_equal(codes.split(trainer.sample_noise(3))[2].shape, (3, 2))


def test_codes_of_another_size_than_g_s_noise_are_refused():
    g, d = infogan_pair()
    with pytest.raises(ValueError, match="noise_dim=59"):
        StepTrainer(g, d, standard_d_step, idle_g_step, codes=cg.InfoGANCodes(categories=5))


def test_without_codes_the_noise_is_standard_normal(counted):
    trainer, _ = counted
    noise = trainer.sample_noise(2000, seed=1).numpy()
    assert noise.shape == (2000, 64) and abs(noise.std() - 1) < 0.05
    np.testing.assert_array_equal(noise, trainer.sample_noise(2000, seed=1))


@pytest.mark.parametrize("which", ["d_step", "g_step"])
def test_step_functions_must_be_callable(which):
    g, d = models.build_gan("dcgan")
    steps = {"d_step": standard_d_step, "g_step": idle_g_step, which: "not a function"}
    with pytest.raises(TypeError, match=which):
        StepTrainer(g, d, steps["d_step"], steps["g_step"])


def test_a_partial_s_name_is_the_same_in_every_session():
    g, d = models.build_gan("dcgan")
    trainer = StepTrainer(g, d, functools.partial(standard_d_step), idle_g_step)
    assert "0x" not in trainer.extra_settings()["d_step"]


# --------------------------------------------------------------------------- looking at D


def test_discriminator_probabilities_read_the_first_of_several_outputs(images):
    g, d = infogan_pair()
    trainer = StepTrainer(g, d, standard_d_step, idle_g_step, codes=cg.InfoGANCodes())
    p = trainer.discriminator_probabilities(images[:6])
    assert p.shape == (6,)
    np.testing.assert_allclose(p, tf.sigmoid(d(images[:6])[0]).numpy().ravel(), rtol=1e-6)
    g, d = models.build_gan("dcgan")
    single = StepTrainer(g, d, standard_d_step, idle_g_step)
    expected = tf.sigmoid(d(images[:6])).numpy().ravel()
    np.testing.assert_allclose(single.discriminator_probabilities(images[:6]), expected, rtol=1e-6)
