"""gancourse.argchecks: each check accepts good input and names what was wrong otherwise."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import argchecks


def test_positive_int():
    assert argchecks.positive_int("epochs", 3) == 3
    assert argchecks.positive_int("epochs", np.int64(2)) == 2
    for bad in (0, -2, 1.5, "4", True, None):
        with pytest.raises(ValueError, match="epochs must be a positive integer"):
            argchecks.positive_int("epochs", bad)


def test_positive_float():
    assert argchecks.positive_float("learning_rate", 1e-3) == pytest.approx(1e-3)
    for bad in (0, -0.1, float("nan"), float("inf"), "0.1", None):
        with pytest.raises(ValueError, match="learning_rate must be a positive number"):
            argchecks.positive_float("learning_rate", bad)


def test_in_range():
    assert argchecks.in_range("label_smoothing", 0.2, 0, 1) == pytest.approx(0.2)
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\], got 1.5"):
        argchecks.in_range("label_smoothing", 1.5, 0, 1)


def test_choice_lists_the_valid_options():
    assert argchecks.choice("loss", "hinge", ["minimax", "hinge"]) == "hinge"
    with pytest.raises(ValueError, match="Unknown loss 'hing'. Valid choices: 'minimax', 'hinge'"):
        argchecks.choice("loss", "hing", ["minimax", "hinge"])


def test_images_accepts_scaled_digits():
    x = np.zeros((2, 28, 28, 1))
    out = argchecks.images("images", x)
    assert out.dtype == np.float32 and out.shape == (2, 28, 28, 1)


def test_images_names_a_wrong_shape():
    with pytest.raises(
        ValueError, match=r"images must have shape \(N, 28, 28, 1\), got \(2, 784\)"
    ):
        argchecks.images("images", np.zeros((2, 784)))


def test_images_explains_unscaled_pixels():
    with pytest.raises(ValueError, match="0..255: use x / 127.5 - 1"):
        argchecks.images("images", np.full((1, 28, 28, 1), 255.0))
    with pytest.raises(ValueError, match="NaN"):
        argchecks.images("images", np.full((1, 28, 28, 1), np.nan))


def test_points():
    assert argchecks.points("x", np.zeros(5), dim=1).shape == (5, 1)
    assert argchecks.points("x", np.zeros((5, 2)), dim=2).shape == (5, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 2\), got \(5, 3\)"):
        argchecks.points("x", np.zeros((5, 3)), dim=2)


def test_points_can_ask_for_rows_and_finite_values():
    assert argchecks.points("x", [[1.0, 2.0]], min_rows=1).shape == (1, 2)  # any width
    with pytest.raises(ValueError, match=r"x must have shape \(N, d\) with N >= 1, got \(0, 2\)"):
        argchecks.points("x", np.zeros((0, 2)), min_rows=1)
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        argchecks.points("x", [1.0, 2.0], 2)
    with pytest.raises(ValueError, match="x contains NaN"):
        argchecks.points("x", [[np.nan, 1.0]], 2, finite=True)
    assert np.isnan(argchecks.points("x", [[np.nan, 1.0]], 2)).any()  # allowed unless asked


def test_labels_accept_whole_floats_and_refuse_the_rest():
    np.testing.assert_array_equal(argchecks.labels("y", [0.0, 2.0, 1.0]), [0, 2, 1])
    with pytest.raises(ValueError, match=r"y must have shape \(3,\), one label per point"):
        argchecks.labels("y", [0, 1], 3)
    with pytest.raises(ValueError, match="y must hold integer class labels"):
        argchecks.labels("y", [0.5, 1.0])
    with pytest.raises(ValueError, match=r"y must hold class labels 0\.\.1, got 0\.\.2"):
        argchecks.labels("y", [0, 2], classes=2)
    with pytest.raises(ValueError, match=r"y must hold class labels 0, got -1\.\.0"):
        argchecks.labels("y", [-1, 0])


def test_matrix_non_negative_int_and_rng():
    with pytest.raises(ValueError, match=r"logits must have shape \(N, K\) with N >= 2 rows"):
        argchecks.matrix("logits", np.zeros((1, 10)), min_rows=2)
    with pytest.raises(ValueError, match="logits contains NaN"):
        argchecks.matrix("logits", [[np.inf, 0.0]])
    assert argchecks.non_negative_int("every", 0) == 0
    for bad in (-1, 1.0, True):
        with pytest.raises(ValueError, match="every must be an integer >= 0"):
            argchecks.non_negative_int("every", bad)
    generator = np.random.default_rng(1)
    assert argchecks.rng(generator) is generator
    assert argchecks.rng(5).random() == np.random.default_rng(5).random()
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        argchecks.rng(-3)
