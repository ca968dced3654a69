"""Widgets on the course's real Keras models and GANTrainer (these tests import TensorFlow)."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse.history import History
from gancourse.widgets import EpochStepper, RegressionPanel, SampleViewer, ToyGANLab


def weights(model) -> list[np.ndarray]:
    return [np.copy(w) for w in model.get_weights()]


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def lab_1d() -> ToyGANLab:
    return ToyGANLab("mixture", eval_samples=1000)


def test_toy_lab_train_d_changes_only_d_and_train_g_only_g(lab_1d):
    lab = lab_1d
    g0, d0, view0, d_values0 = (
        weights(lab.generator), weights(lab.discriminator), lab.view_png, lab.d_values.copy()
    )  # fmt: skip
    fake0 = lab.fake.copy()
    lab.train_d_button.click()
    assert not same(d0, weights(lab.discriminator)) and same(g0, weights(lab.generator))
    assert not np.allclose(lab.d_values, d_values0)
    np.testing.assert_array_equal(lab.fake, fake0)
    assert lab.view_png != view0
    d1, view1 = weights(lab.discriminator), lab.view_png
    lab.train_g_button.click()
    assert not same(g0, weights(lab.generator)) and same(d1, weights(lab.discriminator))
    assert not np.allclose(lab.fake, fake0) and lab.view_png != view1


def test_toy_lab_draws_optimal_d_only_for_probability_losses(lab_1d):
    lab = lab_1d
    assert lab._view.optimal_line is not None  # non-saturating: D* beside D
    lab.loss_menu.value = "least_squares"
    assert lab._view.optimal_line is None and lab.trainer.loss.name == "least_squares"
    lab.d_lr_slider.value = 1e-2
    assert float(lab.trainer.d_optimizer.learning_rate) == pytest.approx(1e-2)
    lab.loss_menu.value = "non_saturating"


def test_toy_lab_for_the_discriminator_alone_as_in_notebook_03():
    lab = ToyGANLab("mixture", seed=0, eval_samples=1000, players="discriminator")
    g0, fake0 = weights(lab.generator), lab.fake.copy()
    lab.train_discriminator(n=20)
    assert same(g0, weights(lab.generator)) and np.array_equal(lab.fake, fake0)
    assert lab._view.optimal_line is not None and lab._view.quiver is None
    assert lab.records["js"] == [] and lab._charts.js_line is None
    with pytest.raises(ValueError, match="players='discriminator'"):
        lab.step()


def test_toy_lab_records_js_while_stepping_without_redraws():
    lab = ToyGANLab("mixture", seed=0, eval_samples=1000)
    lab.step(n=150, redraw=False)
    lab.refresh_view()
    assert lab.updates == 300 and len(lab.records["js_at"]) >= 10
    assert np.isfinite(lab.records["js"]).all()


def test_toy_lab_trains_the_1d_mixture_towards_lower_js():
    lab = ToyGANLab("gaussian", eval_samples=1000, d_learning_rate=5e-3, g_learning_rate=5e-3)
    start = lab.records["js"][-1]
    lab.step(n=300)
    assert np.isfinite(lab.records["d_loss"]).all() and np.isfinite(lab.records["g_loss"]).all()
    assert lab.records["js"][-1] < start - 0.3


def test_toy_lab_2d_with_wasserstein_gp_steps_and_plays():
    lab = ToyGANLab("ring", loss="wasserstein_gp", k=2, steps_per_tick=2, eval_samples=1000)
    assert lab.d_values.shape == (40, 40)
    view = lab.view_png
    lab.play.value = 1  # one tick: 2 steps of 2 D updates + 1 G update
    assert len(lab.records["d_at"]) == 4 and len(lab.records["g_at"]) == 2
    assert lab.view_png != view and np.isfinite(lab.records["d_loss"]).all()


def test_toy_lab_with_stabilisers_offers_every_loss_and_passes_each_stabiliser_on():
    lab = ToyGANLab("ring", stabilisers=True, eval_samples=500)
    assert len(lab.loss_menu.options) == 6
    assert "modes covered" in lab.status and "/8" in lab.status
    lab.loss_menu.value = "wasserstein"
    assert lab.trainer.clip == pytest.approx(0.01) and lab.target_menu.disabled
    lab.loss_menu.value = "non_saturating"
    lab.target_menu.value = 0.9
    assert lab.trainer.label_smoothing == pytest.approx(0.2)  # TF-GAN's convention: 1 - 0.2 / 2
    assert not lab.target_menu.disabled
    lab.instance_noise_slider.value = 0.1
    assert lab.trainer.instance_noise == pytest.approx(0.1)
    lab.spectral_norm_box.value = True
    kinds = {type(layer).__name__ for layer in lab.discriminator.layers}
    assert "SpectralNormalization" in kinds and lab.updates == 0
    lab.step(n=3)
    assert lab.updates == 6 and np.all(np.isfinite(lab.fake))


def test_toy_lab_without_stabilisers_keeps_the_short_menu():
    lab = ToyGANLab("ring", eval_samples=500)
    assert "hinge" not in lab.loss_menu.options
    shown = [w for row in lab.children for w in getattr(row, "children", ())]
    assert lab.spectral_norm_box not in shown and lab.loss_menu in shown


def test_sample_viewer_on_keras_generators():
    from gancourse.models import build_gan

    generator, _ = build_gan("mlp", noise_dim=8)
    viewer = SampleViewer(generator, n=4)
    assert viewer.noise_dim == 8 and viewer.num_classes is None
    grid = viewer.grid_png
    viewer.new_button.click()
    assert viewer.grid_png != grid
    conditional, _ = build_gan("cmlp", noise_dim=8)
    viewer = SampleViewer(conditional, n=10)
    assert viewer.num_classes == 10
    mixed = viewer.grid_png
    viewer.digit_menu.value = 3
    assert viewer.grid_png != mixed


def test_stepper_follows_training_through_the_epoch_callback():
    from gancourse.models import build_gan
    from gancourse.training import GANTrainer, train

    trainer = GANTrainer(*build_gan("mlp", noise_dim=8))
    images = np.tanh(np.random.default_rng(0).standard_normal((64, 28, 28, 1))).astype(np.float32)
    stepper = EpochStepper(History())
    seen = []
    history = train(
        trainer,
        images,
        epochs=2,
        batch_size=32,
        progress=False,
        num_samples=4,
        on_epoch=lambda h: seen.append(stepper.refresh(h) and stepper.epoch),
    )
    assert seen == [1, 2] and stepper.history is history and stepper.num_epochs == 2


def test_regression_panel_fits_the_line():
    panel = RegressionPanel(learning_rate=0.05, epochs=15, batch_size=16)
    picture = panel.image
    panel.train_button.click()
    assert len(panel.losses) == 15 and panel.losses[-1] < panel.losses[0]
    assert panel.slope == pytest.approx(3.0, abs=0.3)
    assert panel.intercept == pytest.approx(2.0, abs=0.3)
    assert not panel.diverged and "Final loss" in panel.message and panel.image != picture


def test_regression_panel_reports_a_too_large_learning_rate():
    panel = RegressionPanel(learning_rate=1.0, epochs=10, batch_size=16)
    losses = panel.train()
    assert panel.diverged and "learning rate is too large" in panel.message
    finite = [v for v in losses if np.isfinite(v)]
    assert len(finite) < len(losses) or finite[-1] > 100 * finite[0]
