"""Widgets driven from Python, without a browser and without TensorFlow.

Everything here also runs on ipywidgets 7.7.1, in the Colab lane (.ci/lane.py colab, with
Colab's packages). Tests that need TensorFlow live in
tests/test_widgets_tensorflow.py. The ToyGANLab tests here use a small NumPy stand-in for
the GANTrainer (a linear generator, a logistic-regression discriminator).
"""

from __future__ import annotations

import base64
import io
import subprocess
import sys
from types import SimpleNamespace

import ipywidgets
import numpy as np
import pytest
from figure_helpers import labels_inside, texts_outside
from PIL import Image

from gancourse.history import History
from gancourse.widgets import (
    EpochStepper,
    Quiz,
    RegressionPanel,
    SampleViewer,
    ToyGANLab,
    _images,
    interpolate_latent,
)
from gancourse.widgets._base import WIDGET_VIEW_MIMETYPE, PngImage
from gancourse.widgets._controls import round_values, set_playing, value_slider


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) of PNG bytes, failing if they are not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


def pixels(data: bytes) -> np.ndarray:
    """Return PNG bytes as a greyscale uint8 array."""
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"))


def widget_tree(widget) -> list:
    """Return ``widget`` and every widget inside it."""
    return [widget, *(w for child in getattr(widget, "children", ()) for w in widget_tree(child))]


def test_runs_on_the_expected_ipywidgets():
    """Report the version under test: 7.7.x in the Colab check, 8.x in the main environment."""
    assert ipywidgets.__version__.split(".")[0] in ("7", "8")


def test_importing_the_widgets_does_not_import_tensorflow():
    code = (
        "import sys, gancourse.widgets; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --------------------------------------------------------------------------- helpers


def test_widget_grid_png_scales_each_pixel_by_a_whole_number_at_twice_the_css_size():
    images = np.tanh(np.random.default_rng(0).standard_normal((16, 28, 28, 1)))
    png = _images.widget_grid_png(images, width=240)
    width, height = png_size(png)
    assert width == 2 * 2 * (4 * 29 - 1) and height == width  # 4x4 tiles + gaps, x2 CSS, x2 HiDPI
    assert _images.png_size(png) == (width, height)
    assert _images.css_size(png) == (width // 2, height // 2)
    grey = pixels(png)
    blocks = grey.reshape(height // 4, 4, width // 4, 4)
    assert (blocks == blocks[:, :1, :, :1]).all()  # each digit pixel is one sharp 4 x 4 block
    assert _images.png_size(b"not a png") == (0, 0)


def test_side_by_side_places_images_left_to_right_with_a_gap_in_css_pixels():
    a = _images.array_png(np.zeros((10, 20), np.uint8))
    b = _images.array_png(np.zeros((30, 5, 3), np.uint8))
    assert png_size(_images.side_by_side(a, None, b, gap=10)) == (20 + 20 + 5, 30)
    assert _images.side_by_side(None) is None


def test_message_and_caption_are_drawn_at_the_pixel_ratio():
    message = _images.message_png("Nothing yet.", (200, 50))
    assert png_size(message) == (400, 100) and (pixels(message) < 128).any()
    picture = _images.array_png(np.full((60, 600), 255, np.uint8))
    captioned = _images.captioned(picture, "epoch 3 of 5 · step 60")
    width, height = png_size(captioned)
    assert width == 600 and height > 60
    assert (pixels(captioned)[60:] < 128).any()  # the words are written under the picture
    long = _images.captioned(picture, "word " * 60)
    assert png_size(long)[1] > height  # long text wraps onto more lines, never wider


def test_png_image_is_shown_at_its_css_size_and_never_stretched():
    image = PngImage("a-class")
    assert "a-class" in image._dom_classes and image.layout.flex == "0 0 auto"
    image.value = _images.array_png(np.zeros((56, 280), np.uint8))
    assert (image.layout.width, image.layout.height) == ("140px", "28px")
    image.value = _images.widget_grid_png(np.zeros((1, 28, 28)), width=140)
    assert (image.layout.width, image.layout.height) == ("140px", "140px")


def test_value_slider_shows_exactly_the_value_it_was_given():
    assert round_values(1e-3, 1e-1) == [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1]
    slider = value_slider("rate", round_values(1e-3, 1e-1), 0.05, 300)
    assert slider.value == 0.05 and slider.label == "0.05" and slider.layout.width == "300px"
    odd = value_slider("rate", [0.1, 1.0], 0.3, 300)
    assert odd.value == 0.3 and [v for _, v in odd.options] == [0.1, 0.3, 1.0]


def test_interpolate_latent_ends_at_both_points_and_slerp_keeps_the_length():
    a, b = np.array([3.0, 0.0]), np.array([0.0, 3.0])
    for method in ("linear", "spherical"):
        np.testing.assert_allclose(interpolate_latent(a, b, 0.0, method), a, atol=1e-12)
        np.testing.assert_allclose(interpolate_latent(a, b, 1.0, method), b, atol=1e-12)
    assert np.linalg.norm(interpolate_latent(a, b, 0.5, "spherical")) == pytest.approx(3.0)
    assert np.linalg.norm(interpolate_latent(a, b, 0.5, "linear")) == pytest.approx(np.sqrt(4.5))
    with pytest.raises(ValueError, match="Unknown method"):
        interpolate_latent(a, b, 0.5, "cubic")


# --------------------------------------------------------------------------- EpochStepper


def make_history(epochs: int, steps_per_epoch: int = 20, seed: int = 0) -> History:
    """Return a synthetic history: noisy losses, and a different sample grid per epoch."""
    rng = np.random.default_rng(seed)
    history = History()
    for epoch in range(epochs):
        add_epoch(history, rng, steps_per_epoch, elapsed=epoch + 1.0)
    return history


def add_epoch(history: History, rng: np.random.Generator, steps: int, elapsed: float) -> None:
    """Record one synthetic epoch into ``history``."""
    for _ in range(steps):
        history.record_step(
            d_loss=1.3 + 0.1 * rng.standard_normal(), g_loss=0.8 + 0.1 * rng.standard_normal()
        )
    history.record_epoch(np.tanh(rng.standard_normal((16, 28, 28, 1))), elapsed=elapsed)


def test_stepper_shows_different_images_for_different_epochs():
    stepper = EpochStepper(make_history(5), follow=False)
    assert stepper.epoch == 5 and stepper.num_epochs == 5  # starts at the newest epoch
    png_size(stepper.sample_png), png_size(stepper.loss_png)
    stepper.slider.value = 2
    first = (stepper.sample_png, stepper.loss_png)
    stepper.slider.value = 3
    assert stepper.epoch == 3
    assert stepper.sample_png != first[0]  # another grid
    assert stepper.loss_png != first[1]  # the marker moved
    assert "epoch 3 of 5" in stepper.info
    stepper.epoch = 2
    assert (stepper.sample_png, stepper.loss_png) == first  # from the cache, the same bytes


def test_stepper_buttons_step_within_range_and_play_moves_the_slider():
    stepper = EpochStepper(make_history(3))
    stepper.next_button.click()
    assert stepper.epoch == 3  # already at the end
    stepper.previous_button.click()
    stepper.previous_button.click()
    stepper.previous_button.click()
    assert stepper.epoch == 1
    stepper.play.value = 2  # what a tick of the Play widget sends
    assert stepper.slider.value == 2 and stepper.epoch == 2


def test_stepper_says_when_play_starts_again_from_the_first_epoch():
    stepper = EpochStepper(make_history(4))
    assert stepper.epoch == 4
    set_playing(stepper.play, True)
    stepper.play.value = 1  # what "play" at the last epoch sends
    assert stepper.epoch == 1 and "playing again from epoch 1" in stepper.info
    stepper.play.value = 2
    assert "again" not in stepper.info
    set_playing(stepper.play, False)
    stepper.epoch = 4
    stepper.epoch = 1  # moved back by hand: nothing to explain
    assert "again" not in stepper.info


def test_stepper_loss_curves_keep_their_labels_inside():
    from gancourse import plots
    from gancourse.widgets.stepper import LOSS_FIGSIZE

    fig = plots.loss_curves(make_history(3, steps_per_epoch=400), title=None)
    fig.set_size_inches(*LOSS_FIGSIZE)
    _images.figure_rgba(fig)
    assert labels_inside(fig)


def test_stepper_follows_a_run_folder_that_grows(tmp_path):
    rng = np.random.default_rng(1)
    history = make_history(2)
    history.save(tmp_path)
    stepper = EpochStepper(tmp_path)
    assert stepper.num_epochs == 2
    assert stepper.refresh() is False  # nothing new on disk
    add_epoch(history, rng, 20, elapsed=3.0)
    history.save(tmp_path)
    stepper.refresh_button.click()
    assert stepper.num_epochs == 3 and stepper.epoch == 3 and stepper.slider.max == 3


def test_stepper_stays_on_its_epoch_when_not_following():
    history = make_history(2)
    stepper = EpochStepper(history, follow=False)
    stepper.epoch = 1
    add_epoch(history, np.random.default_rng(2), 20, elapsed=3.0)
    assert stepper.refresh() is True
    assert stepper.epoch == 1 and stepper.slider.max == 3
    stepper.follow_box.value = True
    add_epoch(history, np.random.default_rng(3), 20, elapsed=4.0)
    stepper.refresh()
    assert stepper.epoch == 4


def test_stepper_starts_empty_and_fills_through_the_epoch_callback():
    stepper = EpochStepper(History())
    assert stepper.epoch == 0 and stepper.slider.disabled
    png_size(stepper.sample_png)  # a "nothing yet" picture, not a crash
    grown = make_history(2)
    stepper.refresh(grown)  # as train(..., on_epoch=stepper.refresh) calls it
    assert stepper.history is grown and stepper.epoch == 2 and not stepper.slider.disabled


def test_stepper_rejects_other_inputs():
    with pytest.raises(TypeError, match="History or a run folder"):
        EpochStepper([1, 2, 3])
    with pytest.raises(FileNotFoundError):
        EpochStepper("no/such/run")


def test_display_bundle_has_the_widget_view_and_a_captioned_picture_at_css_size():
    stepper = EpochStepper(make_history(2))
    data, metadata = stepper._repr_mimebundle_()
    assert data[WIDGET_VIEW_MIMETYPE]["model_id"] == stepper.model_id
    assert "epoch 2 of 2" in data["text/plain"]
    png, _ = stepper.snapshot()
    width, height = png_size(png)
    assert width > png_size(stepper.loss_png)[0]  # samples and losses side by side
    picture = base64.b64decode(data["image/png"])
    assert png_size(picture)[0] == width and png_size(picture)[1] > height  # text below
    assert metadata["image/png"] == dict(zip(("width", "height"), _images.css_size(picture)))


# --------------------------------------------------------------------------- Quiz


def make_quiz() -> Quiz:
    """Return a three-option quiz whose answer is option 1."""
    return Quiz(
        "Which model learns p(x)?",
        ["logistic regression", "a GAN's generator", "k-nearest neighbours"],
        answer=1,
        explanations={0: "It learns p(y | x).", 2: "It stores examples."},
        explanation="A generator samples from its estimate of p(x).",
    )


def test_quiz_options_are_buttons_that_answer_at_once_with_specific_feedback():
    quiz = make_quiz()
    buttons = quiz.option_buttons
    assert [b.description for b in buttons] == [
        "(a) logistic regression", "(b) a GAN's generator", "(c) k-nearest neighbours"
    ]  # fmt: skip
    assert quiz.correct is None and quiz.feedback == ""
    buttons[0].click()
    assert quiz.correct is False and quiz.chosen == 0
    assert "Not quite" in quiz.feedback and "p(y | x)" in quiz.feedback
    assert "p(y | x)" in quiz.feedback_label.value and "firebrick" in quiz.feedback_label.value
    assert buttons[0].button_style == "danger" and buttons[0].description.startswith("✗")
    buttons[1].click()
    assert quiz.correct is True and quiz.attempts == 2
    assert quiz.feedback.startswith("Correct.") and "samples from" in quiz.feedback
    assert [b.button_style for b in buttons] == ["", "success", ""]
    assert buttons[0].description == "(a) logistic regression"  # the old mark is gone
    buttons[1].click()
    assert quiz.attempts == 2  # the same answer again is not another attempt


def test_quiz_wrapped_text_keeps_a_normal_line_height():
    quiz = make_quiz()
    quiz.option_buttons[0].click()
    for label in (quiz.question_label, quiz.feedback_label):
        assert label.value.startswith('<div style="line-height:1.45;')


def test_numeric_quiz_checks_on_enter_and_says_which_way_it_is_off():
    quiz = Quiz("D*(x) where p_data = p_g?", answer=0.5, tolerance=0.01, explanation="Half.")
    quiz.number_box.value = "0.8"  # continuous_update=False: this arrives on Enter
    assert quiz.correct is False and "too high" in quiz.feedback
    quiz.check_button.click()  # "Check" after Enter: the same answer, one attempt
    assert quiz.attempts == 1
    quiz.number_box.value = "0,2"
    assert "too low" in quiz.feedback and quiz.attempts == 2
    quiz.number_box.value = "half"
    assert quiz.correct is None and "type a number" in quiz.feedback
    quiz.number_box.value = "0.505"
    assert quiz.correct is True and quiz.feedback == "Correct. Half."
    assert quiz.check("0.6") is False


def test_quiz_plain_text_puts_the_answer_below_the_question():
    _, text = make_quiz().snapshot()
    lines = text.splitlines()
    assert lines[0] == "Quiz: Which model learns p(x)?"
    assert lines[2] == "  (b) a GAN's generator"
    answer_line = next(i for i, line in enumerate(lines) if line.startswith("Answer:"))
    assert answer_line > 3 + 5 and "(b) a GAN's generator" in lines[answer_line]
    data, metadata = make_quiz()._repr_mimebundle_()
    assert "image/png" not in data and data["text/plain"] == text and metadata == {}


def test_quiz_takes_one_explanation_per_option_as_a_list():
    quiz = Quiz("2 + 2?", ["3", "4"], answer=1, explanations=["One short.", "Yes."])
    quiz.check("3")
    assert quiz.feedback == "Not quite. One short. Try again."
    assert quiz.check(1) and quiz.feedback == "Correct. Yes."


def test_quiz_rejects_a_bad_answer():
    with pytest.raises(ValueError, match="index of the right option"):
        Quiz("?", ["a", "b"], answer=2)
    with pytest.raises(ValueError, match="finite number"):
        Quiz("?", answer=float("nan"))


# --------------------------------------------------------------------------- SampleViewer


def fake_generator(noise: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
    """Return 'images' whose brightness depends on the noise (and the label)."""
    level = np.tanh(noise[:, :1] + (0 if labels is None else 0.3 * labels[:, None]))
    return np.repeat(level, 28 * 28, axis=1).reshape(-1, 28, 28, 1)


def test_viewer_resamples_or_keeps_the_noise():
    viewer = SampleViewer(fake_generator, noise_dim=3, n=9)
    kept = viewer.grid_png
    viewer.same_button.click()
    assert viewer.grid_png == kept
    viewer.new_button.click()
    assert viewer.grid_png != kept and viewer.noise.shape == (9, 3)
    assert viewer.labels is None and viewer.digit_menu.layout.display == "none"


def test_viewer_interpolates_between_two_latent_points():
    viewer = SampleViewer(fake_generator, noise_dim=3, frames=4)
    start = viewer.frame_png
    viewer.t_slider.value = 1.0
    end = viewer.frame_png
    assert end != start
    strip = viewer.strip_png
    assert png_size(strip)[0] > 4 * png_size(start)[0] / 2  # five frames in a row
    viewer.endpoints_button.click()
    assert viewer.strip_png != strip and viewer.frame_png != end


def test_viewer_lets_a_conditional_generator_choose_the_digit():
    viewer = SampleViewer(fake_generator, noise_dim=3, num_classes=10, n=10)
    np.testing.assert_array_equal(viewer.labels, np.arange(10))
    mixed = viewer.grid_png
    viewer.digit_menu.value = 7
    np.testing.assert_array_equal(viewer.labels, np.full(10, 7))
    assert viewer.grid_png != mixed


def test_viewer_says_which_digit_its_walk_shows():
    seen = []

    def recording(noise, labels=None):
        seen.append(None if labels is None else labels.copy())
        return fake_generator(noise, labels)

    viewer = SampleViewer(recording, noise_dim=3, num_classes=10, n=10, frames=4)
    assert "all as digit 0 (pick another in the digit menu)" in viewer.path_note.value
    assert viewer.snapshot()[1].endswith("all as digit 0")
    seen.clear()
    viewer.digit_menu.value = 7
    assert "all as digit 7" in viewer.path_note.value and "pick" not in viewer.path_note.value
    np.testing.assert_array_equal(seen[-1], [7])  # the frame at the slider
    np.testing.assert_array_equal(seen[-2], np.full(5, 7))  # the strip of 4 + 1 frames
    plain = SampleViewer(fake_generator, noise_dim=3)
    assert plain.path_note.layout.display == "none" and plain.path_digit is None
    assert "digit" not in plain.snapshot()[1]


def test_viewer_needs_noise_dim_for_a_plain_function():
    with pytest.raises(ValueError, match="noise_dim is required"):
        SampleViewer(fake_generator)


# --------------------------------------------------------------------------- ToyGANLab


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


class LinearToyTrainer:
    """A NumPy stand-in for GANTrainer: G(z) = z A + b, D(x) = sigmoid(x w + c), plain SGD."""

    def __init__(self, generator, discriminator, *, loss, d_learning_rate, g_learning_rate):
        self.generator, self.discriminator, self.loss = generator, discriminator, loss
        self.noise_dim = generator["A"].shape[0]
        self.d_optimizer = SimpleNamespace(learning_rate=d_learning_rate)
        self.g_optimizer = SimpleNamespace(learning_rate=g_learning_rate)
        self.rng = np.random.default_rng(0)

    def generate(self, noise, batch_size=None):
        return noise @ self.generator["A"] + self.generator["b"]

    def discriminator_probabilities(self, x):
        return sigmoid(x @ self.discriminator["w"] + self.discriminator["c"])

    def train_discriminator(self, real):
        fake = self.generate(self.rng.standard_normal((len(real), self.noise_dim)))
        p_real, p_fake = (
            self.discriminator_probabilities(real),
            self.discriminator_probabilities(fake),
        )
        lr = self.d_optimizer.learning_rate
        self.discriminator["w"] += lr * (real.T @ (1 - p_real) - fake.T @ p_fake) / len(real)
        self.discriminator["c"] += lr * (np.mean(1 - p_real) - np.mean(p_fake))
        return {"d_loss": float(-np.mean(np.log(p_real)) - np.mean(np.log(1 - p_fake)))}

    def generator_gradients(self, noise):
        fake = self.generate(noise)
        push = (1 - self.discriminator_probabilities(fake))[:, None] * self.discriminator["w"]
        return fake, push

    def train_generator(self, batch_size):
        noise = self.rng.standard_normal((batch_size, self.noise_dim))
        fake, push = self.generator_gradients(noise)
        lr = self.g_optimizer.learning_rate
        self.generator["A"] += lr * noise.T @ push / batch_size
        self.generator["b"] += lr * push.mean(axis=0)
        return {"g_loss": float(-np.mean(np.log(self.discriminator_probabilities(fake))))}


def linear_models(dim, noise_dim, hidden, seed):
    rng = np.random.default_rng(seed)
    generator = {"A": 0.5 * rng.standard_normal((noise_dim, dim)), "b": np.zeros(dim)}
    discriminator = {"w": 0.1 * rng.standard_normal(dim), "c": np.zeros(())}
    return generator, discriminator


def make_lab(distribution="gaussian", **kwargs) -> ToyGANLab:
    """Return a ToyGANLab on the NumPy stand-in."""
    kwargs.setdefault("eval_samples", 500)
    return ToyGANLab(
        distribution, build_models=linear_models, build_trainer=LinearToyTrainer, **kwargs
    )


def copies(params: dict) -> dict:
    return {k: np.copy(v) for k, v in params.items()}


def changed(before: dict, after: dict) -> bool:
    return any(not np.array_equal(before[k], after[k]) for k in before)


@pytest.mark.parametrize("distribution", ["gaussian", "ring"])
def test_lab_train_d_changes_only_d_and_train_g_only_g(distribution):
    lab = make_lab(distribution, d_learning_rate=0.05, g_learning_rate=0.05)
    g0, d0, view0, d_values0 = (
        copies(lab.generator),
        copies(lab.discriminator),
        lab.view_png,
        lab.d_values.copy(),
    )
    fake0 = lab.fake.copy()
    lab.train_d_button.click()
    assert changed(d0, lab.discriminator) and not changed(g0, lab.generator)
    assert not np.allclose(lab.d_values, d_values0)  # D's picture moved...
    np.testing.assert_array_equal(lab.fake, fake0)  # ...G's samples did not
    assert lab.view_png != view0
    d1, view1 = copies(lab.discriminator), lab.view_png
    lab.train_g_button.click()
    assert changed(g0, lab.generator) and not changed(d1, lab.discriminator)
    assert not np.allclose(lab.fake, fake0) and lab.view_png != view1
    assert lab.records["d_at"] == [1] and lab.records["g_at"] == [2] and lab.updates == 2


def test_lab_step_runs_k_d_updates_then_one_g_update():
    lab = make_lab(k=3)
    lab.step_button.click()
    assert lab.records["d_at"] == [1, 2, 3] and lab.records["g_at"] == [4]
    assert lab.records["js_at"] == [0, 4] and len(lab.records["js"]) == 2
    assert "3 D updates, 1 G updates" in lab.status


def test_lab_play_ticks_train_in_chunks():
    lab = make_lab(steps_per_tick=4)
    lab.play.value = 1  # one tick of the Play widget
    assert len(lab.records["g_at"]) == 4
    lab.play.value = 0  # "stop" resets the Play widget: no training
    assert len(lab.records["g_at"]) == 4
    lab.play_chunk()
    assert len(lab.records["g_at"]) == 8


def test_lab_moves_g_towards_the_data_and_js_falls():
    lab = make_lab("gaussian", d_learning_rate=0.05, g_learning_rate=0.05, batch_size=64)
    start_js, start_mean = lab.records["js"][-1], np.mean(lab.fake)
    lab.step(n=200)
    assert lab.records["js"][-1] < start_js - 0.3
    assert np.mean(lab.fake) - start_mean > 2.0  # towards the data's mean, 4


def test_lab_reset_restores_the_start_and_settings_reach_the_trainer():
    lab = make_lab()
    g0, view0 = copies(lab.generator), lab.view_png
    lab.step(n=3)
    lab.d_lr_slider.value = 1e-2
    assert lab.trainer.d_optimizer.learning_rate == pytest.approx(1e-2)
    models = (lab.generator, lab.discriminator)
    lab.loss_menu.value = "least_squares"  # new trainer, same models
    assert lab.trainer.loss == "least_squares" and (lab.generator, lab.discriminator) == models
    lab.reset_button.click()
    assert lab.updates == 0 and not changed(g0, lab.generator)
    lab.loss_menu.value = "non_saturating"
    assert lab.view_png == view0


def test_lab_switches_toy_and_noise_dimension():
    lab = make_lab("mixture")
    assert lab.d_values.shape == (300,)
    lab.data_menu.value = "ring"
    assert lab.dim == 2 and lab.d_values.shape == (40, 40) and lab.fake.shape[1] == 2
    lab.noise_slider.value = 5
    assert lab.trainer.noise_dim == 5 and lab.updates == 0


def test_lab_reports_divergence_and_pauses_play():
    lab = make_lab(d_learning_rate=0.1, g_learning_rate=0.1)
    view_size = png_size(lab.view_png)
    lab.generator["b"][:] = np.nan
    lab.play_chunk()
    assert "diverged" in lab.status
    assert not getattr(lab.play, "playing", getattr(lab.play, "_playing", False))
    assert png_size(lab.view_png) == view_size  # a message the size of the plot it replaces


@pytest.mark.parametrize("distribution", ["mixture", "ring"])
def test_lab_keeps_every_label_inside_as_the_numbers_grow(distribution):
    lab = make_lab(distribution, d_learning_rate=0.05, g_learning_rate=0.05)
    lab.step(n=150)  # the update axis grows from 0..1 to 0..300: wider tick labels
    lab.step(n=400)
    for figure in (lab._view, lab._charts):
        assert labels_inside(figure.fig), type(figure).__name__


@pytest.mark.parametrize("players", ["both", "discriminator"])
@pytest.mark.parametrize("distribution", ["mixture", "ring"])
def test_lab_never_cuts_a_label_as_updates_add_up(distribution, players):
    lab = make_lab(distribution, d_learning_rate=0.05, g_learning_rate=0.05, players=players)
    for updates in (100, 150, 300, 1000):  # D first (as in notebook 03), then steps if any
        if players == "discriminator" or lab.updates == 0:
            lab.train_discriminator(n=updates - lab.updates)
        else:
            lab.step(n=(updates - lab.updates) // 2)
        assert lab.updates == updates
        for figure in (lab._view, lab._charts):
            assert texts_outside(figure.fig) == [], (updates, type(figure).__name__)


def test_lab_records_js_while_training_without_redraws():
    lab = make_lab("mixture")
    lab.step(n=150, redraw=False)
    lab.refresh_view()
    at, js = lab.records["js_at"], lab.records["js"]
    assert len(at) >= 10 and len(js) == len(at) and np.isfinite(js).all()
    assert at[0] == 0 and at[-1] == 300 and all(a < b for a, b in zip(at, at[1:]))
    lab.refresh_view()  # no updates: no new point
    assert lab.records["js_at"] == at and len(lab.records["js"]) == len(at)


@pytest.mark.parametrize("distribution", ["mixture", "ring"])
def test_lab_for_the_discriminator_alone_shows_and_trains_only_d(distribution):
    lab = make_lab(distribution, d_learning_rate=0.05, players="discriminator")
    g0, fake0, view0 = copies(lab.generator), lab.fake.copy(), lab.view_png
    lab.train_d_button.click()
    assert lab.view_png != view0 and not changed(g0, lab.generator)
    np.testing.assert_array_equal(lab.fake, fake0)
    shown = widget_tree(lab)
    assert lab.train_d_button in shown and lab.reset_button in shown
    for hidden in (lab.train_g_button, lab.step_button, lab.play, lab.g_lr_slider, lab.k_slider):
        assert hidden not in shown
    assert lab._view.quiver is None  # no arrows for G
    charts = lab._charts
    assert len(charts.fig.axes) == 1 and charts.g_line is None and charts.js_line is None
    assert charts.loss_ax.get_legend() is None and lab.records["js"] == []
    assert "G frozen" in lab.status
    assert not any(word in lab.status for word in ("JS", "G loss", "G updates", "G gradient"))
    assert "JS" not in lab.snapshot()[1]
    for action in (lab.train_generator, lab.step):
        with pytest.raises(ValueError, match="players='discriminator'.*players='both'"):
            action()
    assert lab.updates == 1 and not changed(g0, lab.generator)


def test_lab_rejects_an_unknown_players_option():
    with pytest.raises(ValueError, match="Unknown players 'generator'"):
        make_lab(players="generator")


@pytest.mark.parametrize("distribution", ["mixture", "ring"])
def test_lab_view_and_charts_fit_side_by_side_in_a_notebook_at_1280_px(distribution):
    lab = make_lab(distribution)
    width = sum(_images.css_size(png)[0] for png in (lab.view_png, lab.chart_png))
    assert width + 10 <= 840  # the output width of JupyterLab at 1280 px, side bar open


def test_lab_snapshot_shows_view_and_charts():
    lab = make_lab("ring")
    png, text = lab.snapshot()
    assert png_size(png)[0] > png_size(lab.view_png)[0]
    assert text.startswith("ToyGANLab:") and "JS" in text


# --------------------------------------------------------------------------- RegressionPanel


def test_regression_panel_starts_untrained_with_a_picture():
    panel = RegressionPanel(learning_rate=0.1, epochs=5, batch_size=8)
    assert panel.losses == [] and "press train" in panel.message
    assert _images.css_size(panel.image)[0] <= 840
    figure = panel._figure()
    _images.figure_rgba(figure)
    assert labels_inside(figure)
    assert panel.batch_slider.value == 8 and panel.lr_slider.value == 0.1
    np.testing.assert_array_equal(panel.x, RegressionPanel().x)  # seeded data


def test_regression_panel_shows_its_rate_exactly_and_offers_the_rates_the_notebook_names():
    panel = RegressionPanel(learning_rate=0.05, epochs=20, batch_size=32)
    assert panel.lr_slider.value == 0.05 and panel.lr_slider.label == "0.05"
    rates = [value for _, value in panel.lr_slider.options]
    assert {0.001, 0.02, 0.03, 0.3, 1.5} <= set(rates) and rates == sorted(rates)
    assert panel.epochs_slider.value == 20


def test_regression_panel_disables_its_controls_while_it_trains(monkeypatch):
    panel = RegressionPanel()
    controls = (panel.lr_slider, panel.epochs_slider, panel.batch_slider, panel.train_button)
    seen = []
    monkeypatch.setattr(panel, "_train", lambda: seen.append([c.disabled for c in controls]))
    panel.train_button.click()
    assert seen == [[True] * 4] and not any(c.disabled for c in controls)

    def fail():
        raise RuntimeError("no TensorFlow here")

    monkeypatch.setattr(panel, "_train", fail)
    with pytest.raises(RuntimeError):
        panel.train()
    assert not any(c.disabled for c in controls)  # usable again after an error


def test_displaying_a_widget_sends_one_bundle_with_view_and_snapshot(monkeypatch):
    from gancourse.widgets import _base

    shown = []
    monkeypatch.setattr(_base, "display", lambda data, **kwargs: shown.append((data, kwargs)))
    stepper = EpochStepper(make_history(1))
    stepper._ipython_display_()
    [(data, kwargs)] = shown
    assert kwargs["raw"] and {"text/plain", "image/png", WIDGET_VIEW_MIMETYPE} <= set(data)
    assert (
        kwargs["metadata"]["image/png"]["width"]
        == _images.css_size(base64.b64decode(data["image/png"]))[0]
    )
