"""gancourse.toy_sweep: stacked toy GANs train each seed as if alone, and measure honestly."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse import data, losses, toy_sweep
from gancourse.toy_sweep import Recipe, StackedMLP

NS = Recipe(losses.minimax_discriminator_loss, losses.non_saturating_generator_loss)


def test_each_member_computes_what_it_would_compute_alone():
    stacked = StackedMLP([2, 8, 8, 1], seeds=[3, 4, 5])
    alone = StackedMLP([2, 8, 8, 1], seeds=[4])
    x = np.random.default_rng(0).normal(size=(3 * 10, 2)).astype(np.float32)
    out = stacked(x).numpy()
    assert out.shape == (30, 1)
    np.testing.assert_allclose(out[10:20], alone(x[10:20]).numpy(), rtol=1e-5, atol=1e-6)
    assert not np.allclose(out[:10], alone(x[:10]).numpy()), "seed 3 must start elsewhere"


def test_a_loss_times_the_members_gives_each_member_its_own_gradient():
    stacked = StackedMLP([2, 8, 1], seeds=[0, 1])
    alone = StackedMLP([2, 8, 1], seeds=[1])
    x = tf.constant(np.random.default_rng(1).normal(size=(2 * 16, 2)), tf.float32)
    with tf.GradientTape() as tape:
        loss = 2 * losses.non_saturating_generator_loss(stacked(x))
    grad_stacked = tape.gradient(loss, stacked.kernels[0])
    with tf.GradientTape() as tape:
        loss_alone = losses.non_saturating_generator_loss(alone(x[16:]))
    grad_alone = tape.gradient(loss_alone, alone.kernels[0])
    np.testing.assert_allclose(grad_stacked[1].numpy(), grad_alone[0].numpy(), rtol=1e-4, atol=1e-7)


def test_spectral_normalisation_matches_keras():
    stacked = StackedMLP([3, 5], seeds=[7], spectral_norm=True)
    kernel = stacked.kernels[0].numpy()[0]
    for _ in range(30):
        ours = stacked.normalised_kernel(0, training=True).numpy()[0]
    layer = keras.layers.SpectralNormalization(keras.layers.Dense(5, use_bias=False))
    layer.build((None, 3))
    layer.layer.kernel.assign(kernel)
    x = tf.eye(3)
    for _ in range(30):
        theirs = layer(x, training=True).numpy()  # identity input: the normalised kernel
    np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-5)
    assert np.linalg.norm(ours, 2) == pytest.approx(1.0, abs=1e-3)


def test_train_recipe_measures_every_seed_at_every_checkpoint():
    ring = data.toy_distribution("ring")
    result = toy_sweep.train_recipe(
        NS, ring, seeds=(0, 1), steps=20, checkpoints=4, eval_samples=200, progress=False
    )
    assert list(result.steps) == [5, 10, 15, 20]
    assert result.modes.shape == result.good.shape == (2, 4)
    assert result.samples.shape == (2, 200, 2)
    assert result.total_modes == 8
    assert np.all((result.modes >= 0) & (result.modes <= 8))
    assert np.all((result.good >= 0) & (result.good <= 1))


def test_clipping_keeps_every_weight_of_the_critic_inside_the_clip():
    seen = {}

    def penalty(critic, real, fake):  # no penalty: only here to get hold of the critic
        seen["critic"] = critic
        return 0.0

    clipped = Recipe(
        losses.wasserstein_discriminator_loss,
        losses.wasserstein_generator_loss,
        penalty=penalty,
        clip=0.01,
    )
    toy_sweep.train_recipe(
        clipped, data.toy_distribution("grid"), seeds=(0,), steps=3, progress=False
    )
    weights = [w.numpy() for w in seen["critic"].trainable_variables]
    assert max(np.abs(w).max() for w in weights) <= 0.01 + 1e-7


def test_good_share_counts_points_near_a_mode():
    ring = data.toy_distribution("ring")
    near = ring.means[:2] + 0.01
    far = np.zeros((2, 2))
    assert toy_sweep.good_share(np.concatenate([near, far]), ring) == 0.5


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"recipe": "non_saturating"}, "Recipe"),
        ({"mixture": data.toy_distribution("moons")}, "Gaussian mixture"),
        ({"seeds": (1, 1)}, "distinct"),
        ({"steps": 0}, "steps"),
    ],
)
def test_bad_input_is_named(kwargs, phrase):
    args = {"recipe": NS, "mixture": data.toy_distribution("ring"), "seeds": (0,), "steps": 5}
    args.update(kwargs)
    with pytest.raises(ValueError, match=phrase):
        toy_sweep.train_recipe(**args, progress=False)


def test_a_recipe_refuses_what_is_not_a_loss():
    with pytest.raises(ValueError, match="d_loss"):
        Recipe("minimax", losses.non_saturating_generator_loss)
    with pytest.raises(ValueError, match="d_steps"):
        Recipe(losses.minimax_discriminator_loss, losses.non_saturating_generator_loss, d_steps=0)


def test_each_stabiliser_changes_one_thing_of_the_baseline():
    from dataclasses import fields

    recipes = toy_sweep.stabiliser_recipes()
    base = recipes.pop("baseline")
    for name, recipe in recipes.items():
        changed = [
            f.name for f in fields(Recipe) if getattr(recipe, f.name) != getattr(base, f.name)
        ]
        assert len(changed) == 1, (name, changed)


def test_the_six_losses_share_their_family_s_settings():
    recipes = toy_sweep.loss_recipes()
    assert len(recipes) == 6
    critics = {"Wasserstein, clipped", "Wasserstein-GP"}
    for name, recipe in recipes.items():
        family = toy_sweep.CRITIC_FAMILY if name in critics else toy_sweep.GAN_FAMILY
        assert all(getattr(recipe, key) == value for key, value in family.items()), name
    assert recipes["Wasserstein, clipped"].clip and recipes["Wasserstein-GP"].penalty


def test_the_sweep_s_grid_has_wider_modes_than_the_lab_s():
    assert toy_sweep.sweep_toy("grid").params["std"] == toy_sweep.GRID_STD > 0.05
    with pytest.raises(ValueError, match="name"):
        toy_sweep.sweep_toy("moons")


def test_the_sweep_s_adam_takes_the_steps_keras_adam_takes():
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 4)).astype(np.float32)
    ours, theirs = tf.Variable(start), tf.Variable(start)
    adam = toy_sweep._Adam([ours], 1e-2, 0.5, 0.9)
    keras_adam = keras.optimizers.Adam(1e-2, beta_1=0.5, beta_2=0.9)
    for _ in range(5):
        grad = tf.constant(rng.normal(size=(3, 4)), tf.float32)
        adam.apply([grad])
        keras_adam.apply_gradients([(grad, theirs)])
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)
    assert not np.allclose(ours.numpy(), start)
