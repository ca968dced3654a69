"""Tests of gancourse.counting_plots (no TensorFlow needed)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gancourse import counting, counting_plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_count_bars_heights_are_the_shares():
    fig = counting_plots.count_bars([3, 3, 3, 3], [2, 3, 4, 9], count=3, max_count=6)
    ax = fig.axes[0]
    real, fake = ([bar.get_height() for bar in bars] for bars in ax.containers)
    assert np.allclose(real, [0, 0, 0, 1, 0, 0, 0])
    assert np.allclose(fake, [0, 0, 0.25, 0.25, 0.25, 0, 0.25])  # 9 objects count as "6+"
    assert ax.get_title() == "exactly 3: real 100%, generated 25%"
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "6+"


def test_counting_figure_marks_wrong_counts():
    real = counting.square_images(20, seed=0)
    fake = counting.square_images(20, count=2, seed=1)
    fig = counting_plots.counting_figure(
        real, fake, counting.count_objects(real), counting.count_objects(fake), show=9
    )
    grids, bars = fig.axes[:2], fig.axes[2]
    real_texts, fake_texts = grids[0].texts, grids[1].texts
    assert len(real_texts) == len(fake_texts) == 9
    assert {t.get_text() for t in real_texts} == {"3"} and {t.get_text() for t in fake_texts} == {
        "2"
    }
    assert all(t.get_color() == counting_plots.WRONG_COLOR for t in fake_texts)
    assert all(t.get_color() != counting_plots.WRONG_COLOR for t in real_texts)
    assert "generated 0%" in bars.get_title()
    assert plt.get_fignums() == []  # released from pyplot: shown once, as a cell's value


def test_bad_input_raises_a_clear_error():
    real = counting.square_images(4, seed=0)
    with pytest.raises(ValueError, match="one count per image"):
        counting_plots.counting_figure(real, real, [3, 3], [3, 3, 3, 3])
    with pytest.raises(ValueError, match="empty"):
        counting_plots.count_bars([], [3])
    with pytest.raises(ValueError, match="count must be in"):
        counting_plots.count_bars([3], [3], count=9, max_count=6)
