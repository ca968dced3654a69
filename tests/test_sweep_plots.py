"""gancourse.sweep_plots: tables and figures of toy sweeps, from plain arrays."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from gancourse import sweep_plots


def _result(name, modes_end, good_end=0.5, seeds=3):
    steps = np.array([100, 200])
    modes = np.stack([np.zeros(seeds), np.asarray(modes_end, float)], axis=1)
    good = np.stack([np.zeros(seeds), np.full(seeds, good_end)], axis=1)
    return SimpleNamespace(
        name=name, seeds=list(range(seeds)), steps=steps, modes=modes, good=good,
        samples=np.zeros((seeds, 10, 2)), total_modes=8, seconds=1.5,
    )  # fmt: skip


def test_the_table_shows_every_seed_and_the_mean():
    table = sweep_plots.sweep_table({"a": _result("hinge", [8, 7, 6], 0.25)})
    assert "hinge" in table
    assert "7.0 of 8  (8 7 6)" in table
    assert "25%" in table


def test_curves_draw_one_line_and_one_band_per_recipe_in_each_panel():
    fig = sweep_plots.plot_sweep_curves([_result("a", [8, 8, 8]), _result("b", [1, 2, 3])], "t")
    for ax in fig.axes[:2]:
        assert len(ax.lines) == 2
        assert len(ax.collections) == 2
    assert fig.axes[0].get_ylabel() == "modes covered (of 8)"


def test_final_samples_get_one_panel_per_recipe_titled_with_its_modes():
    fig = sweep_plots.plot_final_samples([_result("a", [5, 8, 8])], np.eye(2))
    assert fig.axes[0].get_title() == "a\nseed 0: 5 modes"


def test_stabiliser_chart_marks_the_baseline_and_every_seed():
    fig = sweep_plots.plot_stabilisers(
        [_result("baseline", [8, 8, 8]), _result("x", [4, 5, 6])], "baseline"
    )
    ax = fig.axes[0]
    assert len(ax.patches) == 2
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()
    assert sum(len(c.get_offsets()) for c in ax.collections) == 6


def test_empty_results_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        sweep_plots.sweep_table({})
