"""CodeExplorer driven from Python with a NumPy stand-in for an InfoGAN's generator.

The stand-in draws a vertical bar whose column is set by the category and whose thickness is
set by c1, a bottom row whose brightness is set by c2, and a top row copied from the noise:
each control must change exactly its own part of the picture.
"""

from __future__ import annotations

import base64
import io
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from gancourse.widgets._base import WIDGET_VIEW_MIMETYPE
from gancourse.widgets.codes import CodeExplorer, code_vectors

NOISE, CATEGORIES, CONTINUOUS = 52, 10, 2


def fake_generator(vectors, noise=NOISE, categories=CATEGORIES):
    """Return images (n, 28, 28, 1) drawing the codes of G's input vectors (see module doc)."""
    v = np.asarray(vectors, dtype=np.float32)
    z, one_hot, c = np.split(v, [noise, noise + categories], axis=1)
    images = -np.ones((len(v), 28, 28, 1), np.float32)
    for i, (category, (c1, c2)) in enumerate(zip(one_hot.argmax(axis=1), c[:, :2], strict=True)):
        x, thickness = 2 * category, 1 + round(2 * (c1 + 2))  # c1 in [-2, 2]: 1 to 9 columns
        images[i, 4:24, x : x + thickness, 0] = 1.0
        images[i, 0, : min(28, noise), 0] = np.tanh(z[i, :28])
        images[i, 27, :, 0] = np.clip(c2 / 2, -1, 1)
    return images


def bar_columns(image):
    """Return the columns of an image's bar (rows 4 to 24 lit)."""
    return tuple(np.flatnonzero((image[4:24, :, 0] > 0.5).all(axis=0)))


@pytest.fixture(scope="module")
def explorer():
    return CodeExplorer(fake_generator)


def test_starts_at_category_0_with_zero_codes_and_eight_digits(explorer):
    assert explorer.category == 0 and explorer.values == (0.0, 0.0)
    assert explorer.images.shape == (8, 28, 28, 1)
    assert explorer.vectors.shape == (8, NOISE + CATEGORIES + CONTINUOUS)
    assert all(bar_columns(image) == (0, 1, 2, 3, 4) for image in explorer.images)
    assert [label for label, _ in explorer.category_menu.options] == [
        f"code {c}" for c in range(10)
    ]
    assert [s.description for s in explorer.sliders] == ["c1", "c2"]
    assert "never seen in training" in explorer.help_label.value


def test_the_vectors_hold_the_noise_the_one_hot_category_and_the_values(explorer):
    explorer.category_menu.value = 3
    explorer.sliders[1].value = 0.5
    try:
        v = explorer.vectors
        np.testing.assert_array_equal(v[:, :NOISE], explorer.noise)
        expected = np.zeros((8, CATEGORIES), np.float32)
        expected[:, 3] = 1
        np.testing.assert_array_equal(v[:, NOISE : NOISE + CATEGORIES], expected)
        np.testing.assert_allclose(v[:, NOISE + CATEGORIES :], [[0.0, 0.5]] * 8)
        assert v.dtype == np.float32
    finally:
        explorer.category_menu.value, explorer.sliders[1].value = 0, 0.0


def test_the_menu_moves_only_the_bar(explorer):
    before = explorer.images.copy()
    explorer.category_menu.value = 5
    try:
        assert all(bar_columns(image) == (10, 11, 12, 13, 14) for image in explorer.images)
        np.testing.assert_array_equal(explorer.images[:, 0], before[:, 0])  # same noise
        np.testing.assert_array_equal(explorer.images[:, 27], before[:, 27])  # same c2
    finally:
        explorer.category_menu.value = 0
    np.testing.assert_array_equal(explorer.images, before)


def test_each_slider_changes_only_its_own_part(explorer):
    before = explorer.images.copy()
    explorer.sliders[0].value = 1.0
    try:
        assert all(bar_columns(image) == tuple(range(7)) for image in explorer.images)
        np.testing.assert_array_equal(explorer.images[:, 27], before[:, 27])
        explorer.sliders[1].value = -2.0
        assert np.all(explorer.images[:, 27] == -1.0) and np.all(before[:, 27] == 0.0)
        assert explorer.values == (1.0, -2.0)
    finally:
        explorer.sliders[0].value, explorer.sliders[1].value = 0.0, 0.0
    np.testing.assert_array_equal(explorer.images, before)


def test_new_noise_changes_the_digits_but_keeps_the_codes(explorer):
    explorer.category_menu.value = 2
    try:
        noise, images = explorer.noise.copy(), explorer.images.copy()
        explorer.new_noise()
        assert not np.allclose(explorer.noise, noise)
        assert not np.allclose(explorer.images[:, 0], images[:, 0])
        assert explorer.category == 2 and explorer.values == (0.0, 0.0)
        np.testing.assert_array_equal(explorer.images[:, 4:], images[:, 4:])
        explorer.noise_button.click()
        assert not np.allclose(explorer.images[:, 0], images[:, 0])
    finally:
        explorer.category_menu.value = 0


def test_the_samples_differ_in_noise_only(explorer):
    assert len({explorer.images[i, 0].tobytes() for i in range(8)}) == 8
    assert len({explorer.images[i, 1:].tobytes() for i in range(8)}) == 1


def test_sweeping_c1_shows_one_row_per_value_with_the_same_noise_per_column(explorer):
    explorer.sweep_box.value = True
    try:
        assert explorer.images.shape == (5 * 8, 28, 28, 1)
        rows = explorer.images.reshape(5, 8, 28, 28, 1)
        assert [len(bar_columns(r[0])) for r in rows] == [1, 3, 5, 7, 9]  # c1 = -2, ..., 2
        assert (rows[:, :, 0] == rows[:1, :, 0]).all()  # same noise down each column
        assert explorer.sliders[0].disabled
        assert "c1 = -2, -1, 0, 1, 2 (one row each)" in explorer.snapshot()[1]
        width, height = Image.open(io.BytesIO(explorer.image)).size
        assert height > 4 * width / 8  # five rows of eight
    finally:
        explorer.sweep_box.value = False
    assert explorer.images.shape == (8, 28, 28, 1) and not explorer.sliders[0].disabled


def test_digits_are_drawn_big_and_sharp_and_redraws_are_fast(explorer):
    width, height = Image.open(io.BytesIO(explorer.image)).size
    assert (width, height) == (2 * 2 * (8 * 29 - 1), 2 * 2 * 28)  # 2 CSS px per pixel, 2x HiDPI
    assert explorer.image_widget.layout.width == f"{width // 2}px"
    assert min(explorer.redraw() for _ in range(5)) < 100


def test_sliders_are_wide_enough_to_aim(explorer):
    for slider in explorer.sliders:
        assert int(slider.layout.width.removesuffix("px")) >= 400
        assert (slider.min, slider.max, slider.step) == (-2.0, 2.0, 0.1) and slider.readout


def test_snapshot_is_a_png_and_names_the_codes(explorer):
    explorer.category_menu.value = 3
    explorer.sliders[1].value = 0.5
    try:
        png, text = explorer.snapshot()
        assert Image.open(io.BytesIO(png)).format == "PNG"
        assert text == (
            "CodeExplorer: category 3, c1 = 0.0, c2 = 0.5: 8 digits with the same codes, "
            "different noise"
        )
        data, _ = explorer._repr_mimebundle_()
        assert data["text/plain"] == text and WIDGET_VIEW_MIMETYPE in data
        assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"
        assert "category 3, c1 = 0.0, c2 = 0.5" in explorer.caption_label.value
    finally:
        explorer.category_menu.value, explorer.sliders[1].value = 0, 0.0


def test_sizes_come_from_a_trainer_s_codes():
    codes = SimpleNamespace(noise=20, categories=4, continuous=3)
    seen = []

    def generate(vectors):
        seen.append(np.asarray(vectors))
        return fake_generator(vectors, noise=20, categories=4)

    trainer = SimpleNamespace(generate=generate, codes=codes, noise_dim=27)
    explorer = CodeExplorer(trainer, samples=3, seed=1)
    assert seen[-1].shape == (3, 27) and len(explorer.sliders) == 3
    assert [label for label, _ in explorer.category_menu.options][-1] == "code 3"
    same = CodeExplorer(trainer, samples=3, seed=1)
    np.testing.assert_array_equal(same.noise, explorer.noise)  # the seed sets the noise


def test_code_vectors_match_the_infogan_layout():
    v = code_vectors(np.ones((2, 3)), 1, [0.5, -0.5], categories=3)
    np.testing.assert_array_equal(v, [[1, 1, 1, 0, 1, 0, 0.5, -0.5]] * 2)
    with pytest.raises(ValueError, match="category must be in 0..2"):
        code_vectors(np.ones((2, 3)), 3, [0.0], categories=3)


def test_bad_input_says_what_was_wrong():
    with pytest.raises(ValueError, match="samples"):
        CodeExplorer(fake_generator, samples=0)
    with pytest.raises(ValueError, match="value_range"):
        CodeExplorer(fake_generator, value_range=0)
    with pytest.raises(ValueError, match="takes vectors of size 60, but noise=52"):
        CodeExplorer(SimpleNamespace(generate=fake_generator, noise_dim=60))
    with pytest.raises(ValueError, match="generator failed on vectors of size 64"):
        CodeExplorer(lambda v: (v @ np.zeros((60, 784))).reshape(-1, 28, 28, 1))
    with pytest.raises(ValueError, match="one image per input vector"):
        CodeExplorer(lambda v: fake_generator(v)[:1])
    with pytest.raises(ValueError, match=r"scaled to \[-1, 1\]"):
        CodeExplorer(lambda v: 255 * np.ones((len(v), 28, 28, 1)))
    with pytest.raises(TypeError, match="generator must be"):
        CodeExplorer(42)
