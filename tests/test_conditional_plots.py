"""gancourse.conditional_plots: figures of notebook 07, drawn from synthetic arrays."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from figure_helpers import labels_inside, renderer, texts_outside, texts_overlapping  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import same_color  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from gancourse import conditional_plots as cp  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _images(n: int) -> np.ndarray:
    return np.linspace(-1, 1, n * 28 * 28).reshape(n, 28, 28, 1)


def _ticks(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels()]


def _frames(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _figures():
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 9, (10, 10))
    values = rng.normal(size=(50, 2))
    return {
        "digit_style_grid": cp.digit_style_grid(_images(80), predicted=np.arange(80) // 8),
        "per_digit_bars": cp.per_digit_bars(
            {"CGAN, 60 s": np.full(10, 0.8), "ACGAN, 60 s": np.full(10, 0.95)}, "t", target=0.9
        ),
        "code_sweep": cp.code_sweep(_images(50), 10, 5, range(10), [-2, -1, 0, 1, 2], "InfoGAN"),
        "code_matching": cp.code_matching(counts, rng.permutation(10), "InfoGAN"),
        "augmentation_chart": cp.augmentation_chart(
            {
                "100 real": [0.7, 0.72],
                "100 real + 1,000 generated": [0.8, 0.82],
                "1,100 real": [0.9],
            }
        ),
        "code_effects": cp.code_effects(values, values[:, 0], values[:, 1], title="codes"),
        "conditioning_diagram": cp.conditioning_diagram(),
    }


def test_every_figure_is_released_and_keeps_its_labels_inside():
    for name, fig in _figures().items():
        assert plt.get_fignums() == [], name  # released from pyplot: shown once, as a value
        assert texts_outside(fig) == [], name  # drawn through Agg: pyplot's release left none
        assert labels_inside(fig), name


def test_digit_style_grid_labels_rows_with_digits_and_columns_with_styles():
    fig = cp.digit_style_grid(_images(80))
    (ax,) = fig.axes
    assert len([a for a in ax.get_children() if isinstance(a, AxesImage)]) == 1
    assert _ticks(ax.yaxis) == [str(d) for d in range(10)]
    assert _ticks(ax.xaxis) == [str(c) for c in range(1, 9)]
    assert "noise vector" in ax.get_title() and ax.get_ylabel() == "digit asked for"
    assert _frames(ax) == [] and len(ax.texts) == 0


def test_digit_style_grid_frames_the_cells_drawn_as_another_digit():
    predicted = np.repeat(np.arange(10), 8)
    predicted[[3, 42, 79]] = [7, 9, 4]  # row 0 col 3, row 5 col 2, row 9 col 7
    fig = cp.digit_style_grid(_images(80), predicted=predicted)
    (ax,) = fig.axes
    pitch = 28 + 2  # tile and padding
    corners = sorted((r.get_x(), r.get_y(), r.get_width()) for r in _frames(ax))
    want = [(c * pitch - 0.5, r * pitch - 0.5, 28) for r, c in ((0, 3), (5, 2), (9, 7))]
    assert corners == sorted(want)
    assert sorted(t.get_text() for t in ax.texts) == ["4", "7", "9"]
    assert {t.get_color() for t in ax.texts} == {cp.WRONG_COLOR}
    assert "3 of 80 read as another digit" in ax.get_title()


def test_digit_style_grid_can_ask_for_some_digits_only():
    fig = cp.digit_style_grid(_images(6), rows=3, columns=2, digits=[3, 5, 8], predicted=[3] * 6)
    (ax,) = fig.axes
    assert _ticks(ax.yaxis) == ["3", "5", "8"]
    assert len(_frames(ax)) == 4  # rows asking for 5 and 8 were read as 3


def test_per_digit_bars_groups_models_and_leaves_unasked_digits_out():
    cgan, acgan = np.linspace(0.5, 0.9, 10), np.full(10, 0.9)
    acgan[4] = np.nan
    fig = cp.per_digit_bars({"CGAN": cgan, "ACGAN": acgan}, title="per digit", target=0.9)
    (ax,) = fig.axes
    first, second = ax.containers
    np.testing.assert_allclose([b.get_height() for b in first], cgan)
    assert len(second) == 9 and [t.get_text() for t in ax.texts] == ["not asked"]
    assert ax.get_ylim() == (0, 1) and _ticks(ax.xaxis) == [str(d) for d in range(10)]
    assert [line.get_ydata()[0] for line in ax.lines] == [0.9]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "target 0.9",
        "CGAN (mean 0.70)",
        "ACGAN (mean 0.90)",
    ]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    assert legend.get_window_extent(renderer).y1 < ax.get_window_extent(renderer).y0  # below


def test_code_sweep_labels_both_axes():
    fig = cp.code_sweep(_images(6), 2, 3, ["a", "b"], ["-2", "0", "2"], "t", "code", "c1")
    (ax,) = fig.axes
    assert _ticks(ax.yaxis) == ["a", "b"] and _ticks(ax.xaxis) == ["-2", "0", "2"]
    assert (ax.get_ylabel(), ax.get_xlabel(), ax.get_title()) == ("code", "c1", "t")
    assert ax.images[0].get_array().shape == (2 * 28 + 2, 3 * 28 + 2 * 2)


def test_code_matching_outlines_the_pairing_and_writes_purity():
    counts = np.diag([10, 20, 30]) + 1
    counts[2] = [0, 0, 0]  # a code value never drawn
    fig = cp.code_matching(counts, [2, 0, 1], title="run")
    (ax,) = fig.axes
    assert sorted((r.get_x() + 0.5, r.get_y() + 0.5) for r in _frames(ax)) == [
        (0, 1), (1, 2), (2, 0)
    ]  # fmt: skip
    texts = [t.get_text() for t in ax.texts]
    assert {"0.85", "0.91", "–", "purity"} <= set(texts)
    np.testing.assert_allclose(ax.images[0].get_array()[1], [1 / 23, 21 / 23, 1 / 23])
    assert ax.get_title() == "run\noutlined: best matching, 6% of samples"  # (1 + 1 + 0) / 36


def test_augmentation_chart_shows_seeds_and_means():
    results = {"100 real": [0.6, 0.7, 0.8], "100 real + 1,000 generated": [0.9, 0.92, 0.94]}
    fig = cp.augmentation_chart(results, title="help?")
    (ax,) = fig.axes
    assert [len(c.get_offsets()) for c in ax.collections if c.get_offsets().shape[0] > 1] == [3, 3]
    assert [t.get_text() for t in ax.texts] == ["0.700", "0.920"]
    assert ax.get_ylim() == pytest.approx((0.55, 1.0))
    assert _ticks(ax.xaxis) == ["100 real", "100 real + 1,000\ngenerated"]
    assert "3 seeds" in ax.get_xlabel()


def test_code_effects_titles_give_the_correlation():
    rng = np.random.default_rng(1)
    values = rng.normal(size=(100, 2))
    slant, ink = values[:, 0] + 0.1 * rng.normal(size=100), -values[:, 1]
    fig = cp.code_effects(values, slant, ink)
    titles = [ax.get_title() for ax in fig.axes]
    r = np.corrcoef(values[:, 0], slant)[0, 1]
    assert titles[0] == f"c1 vs slant: r = {r:+.2f}" and titles[3] == "c2 vs ink: r = -1.00"
    assert [ax.get_xlabel() for ax in fig.axes] == ["code c1", "code c1", "code c2", "code c2"]
    constant = cp.code_effects(values, np.zeros(100), ink)
    assert constant.axes[0].get_title() == "c1 vs slant: r = n/a"  # no correlation to measure


def _panel_texts(ax) -> dict[str, bool]:
    """Map each text drawn in ``ax`` to whether it is in the condition's colour."""
    return {
        t.get_text(): same_color(t.get_color(), cp.CONDITION_COLOR)
        for t in ax.texts
        if t.get_text()
    }


def _condition_arrows(ax) -> int:
    arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    return sum(same_color(a.get_edgecolor(), cp.CONDITION_COLOR) for a in arrows)


def test_conditioning_diagram_shows_what_each_player_gets_condition_in_its_colour():
    fig = cp.conditioning_diagram()
    cgan, acgan, infogan, text = fig.axes
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == [
        "CGAN", "ACGAN", "InfoGAN", "Text to image"
    ]  # fmt: skip
    plain = {"noise z", "G", "D"}
    for ax, conditions, others, arrows in (
        (cgan, {"label y"}, {"real?", "fake x"}, 2),  # y into G and into D
        (acgan, {"label y", "class?"}, {"real?", "fake x"}, 2),  # y into G, D's class out
        (infogan, {"code c", "guessed c"}, {"Q", "real?", "fake x"}, 2),  # c in, Q's guess out
        (text, {'"a sentence"', "text\nencoder", "vector"}, {"real and\nmatching?"}, 4),
    ):
        texts = _panel_texts(ax)
        assert {t for t, accent in texts.items() if accent} == conditions, ax.get_title()
        assert plain | others <= {t for t, accent in texts.items() if not accent}
        assert _condition_arrows(ax) == arrows, ax.get_title()


def test_conditioning_diagram_keeps_each_label_in_its_box_and_boxes_apart():
    fig = cp.conditioning_diagram()
    assert labels_inside(fig) and texts_outside(fig) == [] and texts_overlapping(fig) == []
    r, page = renderer(fig), fig.bbox
    for ax in fig.axes:
        boxes = [p.get_window_extent(r) for p in ax.patches if isinstance(p, FancyBboxPatch)]
        labels = [t.get_window_extent(r) for t in ax.texts if t.get_text()]
        assert len(boxes) == len(labels) >= 7
        for box, label in zip(boxes, labels, strict=True):
            # 1 px of room: text metrics differ a little between matplotlib versions.
            assert box.x0 - 1 < label.x0 and label.x1 < box.x1 + 1
            assert box.y0 - 1 < label.y0 < label.y1 < box.y1 + 1
            assert (
                page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1
            )
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: cp.digit_style_grid(_images(79)), "rows x columns = 10 x 8 = 80"),
        (lambda: cp.digit_style_grid(_images(80), predicted=[0] * 79), r"\(80,\)"),
        (lambda: cp.digit_style_grid(_images(80), predicted=[10] * 80), "class labels"),
        (lambda: cp.digit_style_grid(_images(4), 2, 2, digits=[1]), "digits must have"),
        (lambda: cp.digit_style_grid(np.zeros((80, 28)), 10, 8), "images must have shape"),
        (lambda: cp.code_sweep(_images(4), 2, 2, ["a"], ["b", "c"]), "row_labels must have 2"),
        (lambda: cp.code_sweep(_images(4), 2, 2, "ab", "bcd"), "column_labels must have 2"),
        (lambda: cp.per_digit_bars({}), "non-empty dict"),
        (lambda: cp.per_digit_bars({"a": np.ones(10), "b": np.ones(9)}), "10 values"),
        (lambda: cp.per_digit_bars({"a": [1.5, 0.5]}), r"in \[0, 1\]"),
        (lambda: cp.per_digit_bars({"a": [0.5]}, target=2), "target must be in"),
        (lambda: cp.code_matching(np.ones((3, 3)), [0, 1]), "pairing must have shape"),
        (lambda: cp.code_matching(-np.ones((2, 2)), [0, 1]), "non-negative"),
        (lambda: cp.code_matching(np.ones(4), [0, 1]), "counts must have shape"),
        (lambda: cp.augmentation_chart({"a": []}), "1-D array"),
        (lambda: cp.augmentation_chart({"a": [np.nan]}), "NaN"),
        (lambda: cp.code_effects(np.ones((5, 3)), np.ones(5), np.ones(5)), r"\(N, 2\)"),
        (lambda: cp.code_effects(np.ones((5, 2)), np.ones(4), np.ones(5)), r"slant must.*\(5,\)"),
        (lambda: cp.code_effects(np.ones((5, 2)), np.ones(5), np.ones((5, 1))), "ink must"),
    ],
)
def test_bad_input_says_what_is_wrong(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()
