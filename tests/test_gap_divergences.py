"""gancourse.gap_divergences: JS, Wasserstein and G's gradient against the gap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gancourse import gap_divergences as gd


def test_js_is_zero_at_no_gap_and_log_2_far_apart():
    js = gd.js_by_gap([0.0, 0.05, 0.3, 1.0, 3.0], width=0.1)
    assert js[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(js) >= 0)
    assert js[-2:] == pytest.approx([math.log(2)] * 2, abs=1e-5)
    assert js[1] < 0.5 * math.log(2)


def test_js_depends_on_the_gap_in_widths_only():
    np.testing.assert_allclose(gd.js_by_gap([0.2, 0.5], 0.1), gd.js_by_gap([2.0, 5.0], 1.0))


def test_wasserstein_is_the_size_of_the_gap():
    gaps = np.array([-1.5, 0.0, 0.03, 0.4, 2.0])
    np.testing.assert_allclose(gd.wasserstein_by_gap(gaps, 0.1), np.abs(gaps), atol=1e-6)


def test_optimal_discriminator_is_half_at_no_gap_and_saturates_on_far_fakes():
    assert gd.optimal_discriminator([-1.0, 0.0, 3.0], 0.0) == pytest.approx([0.5] * 3)
    d = gd.optimal_discriminator([0.0, 0.5, 1.0], 1.0, width=0.1)
    assert d[0] == pytest.approx(1.0) and d[1] == pytest.approx(0.5) and 0 < d[2] < 1e-20


def test_minimax_gradient_vanishes_far_apart_and_the_critic_keeps_slope_one():
    gaps = np.array([0.2, 1.0, 2.0])
    minimax = gd.generator_gradient_by_gap(gaps, 0.1, "minimax")
    assert minimax[0] > 1 and minimax[1] < 1e-3 and minimax[2] < 1e-15
    np.testing.assert_array_equal(gd.generator_gradient_by_gap(gaps, 0.1, "critic"), 1.0)
    assert gd.generator_gradient_by_gap(-0.5, 0.1, "critic")[0] == -1.0
    # The non-saturating slope does not vanish: gap / width^2 * E[1 - D*] -> gap / width^2.
    ns = gd.generator_gradient_by_gap(gaps, 0.1, "non_saturating")
    np.testing.assert_allclose(ns[1:], gaps[1:] / 0.01, rtol=1e-6)


def test_minimax_gradient_is_twice_the_slope_of_the_js_curve():
    # D* is optimal, so G's slope with D frozen is the slope of V(D*, G) = -log 4 + 2 JS.
    h = 1e-4
    for gap in (0.05, 0.2, 0.4):
        slope = (gd.js_by_gap(gap + h)[0] - gd.js_by_gap(gap - h)[0]) / (2 * h)
        assert gd.generator_gradient_by_gap(gap)[0] == pytest.approx(2 * slope, rel=1e-5)


def test_bad_input_says_what_was_wrong():
    with pytest.raises(ValueError, match="width"):
        gd.js_by_gap([1.0], width=0.0)
    with pytest.raises(ValueError, match="finite"):
        gd.wasserstein_by_gap([1.0, np.nan])
    with pytest.raises(ValueError, match="1-D"):
        gd.js_by_gap([])
    with pytest.raises(ValueError, match="loss"):
        gd.generator_gradient_by_gap([1.0], loss="hinge")
    with pytest.raises(ValueError, match="one number"):
        gd.optimal_discriminator(0.0, gap=[1.0, 2.0])
