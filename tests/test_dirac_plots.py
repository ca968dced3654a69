"""gancourse.dirac_plots: the figures of notebook 06's sections on gaps and the Dirac-GAN."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from gancourse import dirac_gan as dg
from gancourse import dirac_plots as dp


def labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_optimal_discriminator_has_one_panel_per_gap_with_densities_and_d_star():
    fig = dp.plot_optimal_discriminator((0.2, 1.0), width=0.1)
    panels = [ax for ax in fig.axes if ax.get_legend() is not None]
    assert [ax.get_title() for ax in panels] == [
        "gap 0.2: D* at the fakes' centre 0.12",
        "gap 1: D* at the fakes' centre 1.9e-22",
    ]
    assert labels(panels[0]) == ["p_data", "p_g", "D*(x)"]
    assert plt.get_fignums() == []  # released from pyplot


def test_gap_divergences_shows_js_w1_and_three_slopes():
    fig = dp.plot_gap_divergences(np.linspace(0, 2, 41), width=0.1)
    left, right = fig.axes
    assert labels(left)[:2] == ["JS divergence (nats)", "Wasserstein-1"]
    js, w1 = (line.get_ydata() for line in left.get_lines()[:2])
    assert js[-1] == pytest.approx(np.log(2), abs=1e-6) and w1[-1] == pytest.approx(2.0)
    assert right.get_yscale() == "log"
    assert [label.split()[0] for label in labels(right)] == ["minimax", "non-saturating", "critic"]
    minimax = right.get_lines()[0].get_ydata()
    assert np.isnan(minimax[0]) and minimax[-1] < 1e-15  # gap 0 left out of the log axis


def test_dirac_paths_draws_field_paths_and_equilibrium():
    paths = {
        "simultaneous": dg.path(1, 1, lr=0.1, steps=100),
        "alternating": dg.path(1, 1, lr=0.1, steps=100, order="alternating"),
    }
    fig = dp.plot_dirac_paths(paths, r1=0.3, title="with R1")
    (ax,) = fig.axes
    assert labels(ax) == ["simultaneous", "alternating", "equilibrium"]
    assert ax.get_title() == "with R1" and len(ax.collections) == 1  # the quiver
    assert ax.get_xlim()[1] >= np.abs(paths["simultaneous"]).max()
    assert dp.plot_dirac_paths(paths, lim=5.0).axes[0].get_xlim() == (-5.0, 5.0)


def test_radii_switch_to_a_log_scale_over_a_decade():
    circle = dg.path(1, 1, lr=0.1, steps=50, order="alternating")
    linear = dp.plot_radii({"a": circle}).axes[0]
    assert linear.get_yscale() == "linear" and linear.get_ylim()[0] == 0
    inward = dg.path(1, 1, lr=0.1, steps=300, r1=0.3)
    ax = dp.plot_radii({"a": circle, "R1": inward}).axes[0]
    assert ax.get_yscale() == "log" and labels(ax) == ["a", "R1"]


def test_bad_input_says_what_was_wrong():
    with pytest.raises(ValueError, match="non-empty mapping"):
        dp.plot_dirac_paths([])
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        dp.plot_radii({"bad": np.zeros((4, 3))})
    with pytest.raises(ValueError, match="width"):
        dp.plot_gap_divergences(width=-1.0)
