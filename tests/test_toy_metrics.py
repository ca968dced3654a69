"""gancourse.toy_metrics: D*, KDE, JS divergence on grid cells and mode coverage for the toys."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from gancourse import toy_metrics
from gancourse.data import toy_distribution


def test_js_divergence_is_zero_for_equal_and_one_for_disjoint_distributions():
    assert toy_metrics.js_divergence([1, 2, 3], [2, 4, 6]) == pytest.approx(0.0)
    assert toy_metrics.js_divergence([1, 0], [0, 1]) == pytest.approx(1.0)
    # Half of q's mass away from p: JS = (log2(4/3) + 0.5 log2(2/3) + 0.5) / 2.
    expected = (np.log2(4 / 3) + 0.5 * np.log2(2 / 3) + 0.5) / 2
    assert toy_metrics.js_divergence([1, 0], [0.5, 0.5]) == pytest.approx(expected)


def test_js_divergence_in_nats_is_bits_times_log_2():
    p, q = [0.2, 0.5, 0.3], [0.6, 0.1, 0.3]
    bits = toy_metrics.js_divergence(p, q)
    assert toy_metrics.js_divergence(p, q, base=math.e) == pytest.approx(bits * math.log(2))
    assert toy_metrics.js_divergence([1, 0], [0, 1], base=math.e) == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    ("p", "q", "base", "match"),
    [
        ([1, 0], [1, 0, 0], 2.0, "same number of cells"),
        ([1, -1], [1, 0], 2.0, "non-negative"),
        ([0, 0], [1, 0], 2.0, "positive sums"),
        ([1, np.nan], [1, 0], 2.0, "finite"),
        ([1, 0], [1, 0], 1.0, "base must not be 1"),
        ([1, 0], [1, 0], -2.0, "base must be a positive number"),
    ],
)
def test_js_divergence_rejects_bad_input(p, q, base, match):
    with pytest.raises(ValueError, match=match):
        toy_metrics.js_divergence(p, q, base=base)


@pytest.mark.parametrize("name", ["gaussian", "mixture", "ring", "grid", "moons"])
def test_js_estimate_is_small_for_real_samples_and_one_for_far_away_ones(name):
    dist = toy_distribution(name)
    edges = toy_metrics.grid_edges(dist.bounds, 60 if dist.dim == 1 else 30)
    p_data = toy_metrics.density_cells(dist, edges)
    assert p_data.sum() == pytest.approx(1.0, abs=1e-6)
    real = dist.sample(4000, seed=1)
    assert toy_metrics.js_divergence(p_data, toy_metrics.sample_cells(real, edges)) < 0.06
    far = toy_metrics.sample_cells(real + 1000.0, edges)
    assert toy_metrics.js_divergence(p_data, far) > 0.99


def test_exact_mixture_cells_agree_with_averaging_the_density():
    dist = toy_distribution("mixture")
    edges = toy_metrics.grid_edges(dist.bounds, 40)
    exact = toy_metrics.density_cells(dist, edges)
    generic = SimpleNamespace(has_density=True, density=dist.density)  # no means: averages
    averaged = toy_metrics.density_cells(generic, edges, oversample=8)
    np.testing.assert_allclose(averaged, exact, atol=2e-3)


def test_grid_edges_and_sample_cells_check_their_input():
    (edges,) = toy_metrics.grid_edges((0.0, 1.0), 4)
    np.testing.assert_allclose(edges, [0, 0.25, 0.5, 0.75, 1])
    assert len(toy_metrics.grid_edges(((0, 1), (0, 2)), 3)) == 2
    with pytest.raises(ValueError, match="lo < hi"):
        toy_metrics.grid_edges((1.0, 0.0), 4)
    with pytest.raises(ValueError, match=r"bounds must be \(lo, hi\)"):
        toy_metrics.grid_edges((0.0, 1.0, 2.0), 4)
    with pytest.raises(ValueError, match="bins must be a positive integer"):
        toy_metrics.grid_edges((0.0, 1.0), 0)
    cells = toy_metrics.sample_cells([[0.1], [0.6], [5.0]], [edges])
    np.testing.assert_allclose(cells, [1 / 3, 0, 1 / 3, 0, 1 / 3])
    with pytest.raises(ValueError, match=r"samples must have shape \(N, 1\)"):
        toy_metrics.sample_cells(np.zeros((3, 2)), [edges])


def test_kde_integrates_to_one_and_optimal_d_is_one_half_where_densities_agree():
    dist = toy_distribution("gaussian")
    xs = np.linspace(*dist.bounds, 400)
    p_g = toy_metrics.kde_1d(dist.sample(3000, seed=0), xs)
    assert np.trapezoid(p_g, xs) == pytest.approx(1.0, abs=0.01)
    p_data = dist.density(xs[:, None])
    d_star = toy_metrics.optimal_discriminator(p_data, p_g)
    middle = np.abs(xs - dist.mean) < dist.std
    assert np.allclose(d_star[middle], 0.5, atol=0.1)
    assert np.isnan(toy_metrics.optimal_discriminator([0.0], [0.0])[0])


def test_kde_of_a_collapsed_generator_still_works_and_bad_input_is_named():
    xs = np.linspace(-1, 1, 201)
    p_g = toy_metrics.kde_1d(np.zeros(100), xs)  # every sample at one point: no spread
    assert np.all(np.isfinite(p_g)) and p_g.argmax() == 100
    with pytest.raises(ValueError, match="samples must hold at least one"):
        toy_metrics.kde_1d([], xs)
    with pytest.raises(ValueError, match="samples contains NaN"):
        toy_metrics.kde_1d([0.0, np.nan], xs)
    with pytest.raises(ValueError, match="bandwidth must be a positive number"):
        toy_metrics.kde_1d([0.0], xs, bandwidth=0.0)


def test_optimal_discriminator_values_and_bad_densities():
    np.testing.assert_allclose(
        toy_metrics.optimal_discriminator([3.0, 1.0], [1.0, 1.0]), [0.75, 0.5]
    )
    with pytest.raises(ValueError, match="p_g must hold densities"):
        toy_metrics.optimal_discriminator([1.0], [-1.0])
    with pytest.raises(ValueError, match="same points"):
        toy_metrics.optimal_discriminator([1.0, 2.0], [1.0, 2.0, 3.0])


def test_mode_counts_and_coverage():
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    samples = np.concatenate([np.zeros((60, 2)), np.full((30, 2), 10.0), np.full((10, 2), 5.0)])
    np.testing.assert_array_equal(toy_metrics.mode_counts(samples, centers, 1.0), [60, 0, 0, 30])
    assert toy_metrics.modes_covered(samples, centers, 1.0) == 2  # 25 per mode is fair; >= 6.25
    assert toy_metrics.modes_covered(samples, centers, 1.0, min_share=1.0) == 2
    assert toy_metrics.modes_covered(samples, centers, 1.0, min_share=0.0) == 2  # at least one
    with pytest.raises(ValueError, match="radius must be a positive number"):
        toy_metrics.mode_counts(samples, centers, 0.0)
    with pytest.raises(ValueError, match=r"centers must have shape \(K, dim\)"):
        toy_metrics.mode_counts(samples, np.zeros(3), 1.0)
    with pytest.raises(ValueError, match=r"samples must have shape \(N, 2\)"):
        toy_metrics.mode_counts(np.zeros((5, 3)), centers, 1.0)
    ring = toy_distribution("ring")
    real = ring.sample(800, seed=0)
    assert toy_metrics.modes_covered(real, ring.mode_centers, 3 * 0.05) == 8
