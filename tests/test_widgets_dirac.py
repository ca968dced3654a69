"""DiracGANView driven from Python: each control recomputes the path and the readout."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from gancourse.widgets._base import WIDGET_VIEW_MIMETYPE
from gancourse.widgets.dirac import DiracGANView


@pytest.fixture(scope="module")
def view():
    return DiracGANView(steps=300)


def test_plain_simultaneous_steps_spiral_out(view):
    assert view.settings == {
        "lr": 0.1, "steps": 300, "order": "simultaneous", "loss": "minimax", "r1": 0.0,
        "noise": 0.0,
    }  # fmt: skip
    assert view.points.shape == (301, 2)
    assert view.final_radius > 1.2 * view.radii[0]
    assert "spiralling out" in view.readout and f"{view.final_radius:.3g}" in view.readout


def test_alternating_steps_keep_the_radius(view):
    view.order_buttons.value = "alternating"
    try:
        assert np.all(np.abs(view.radii / view.radii[0] - 1) < 0.05)
        assert "circling" in view.readout
    finally:
        view.order_buttons.value = "simultaneous"


@pytest.mark.parametrize(
    "slider, values", [("r1_slider", (0.1, 0.3)), ("noise_slider", (0.5, 1.0))]
)
def test_a_penalty_or_noise_spirals_in_and_more_of_it_faster(view, slider, values):
    control = getattr(view, slider)
    finals = []
    try:
        for value in values:
            control.value = value
            finals.append(view.final_radius)
    finally:
        control.value = 0.0
    assert finals[1] < finals[0] < 0.5 * view.radii[0]
    assert "spiralling in" in DiracGANView(steps=300, r1=0.3).readout


def test_steps_and_step_size_change_the_path(view):
    before = view.points.copy()
    view.steps_slider.value = 100
    assert view.points.shape == (101, 2)
    np.testing.assert_array_equal(view.points, before[:101])  # same start, same steps
    view.lr_slider.value = 0.2
    assert not np.allclose(view.points[1], before[1])
    view.steps_slider.value, view.lr_slider.value = 300, 0.1
    np.testing.assert_array_equal(view.points, before)


def test_the_non_saturating_loss_gives_another_path(view):
    before = view.points.copy()
    view.loss_buttons.value = "non_saturating"
    try:
        assert not np.allclose(view.points, before)
        assert view.readout.startswith("After 300 steps")
    finally:
        view.loss_buttons.value = "minimax"


def test_the_image_is_a_png_of_the_figure_and_redraws_are_timed(view):
    image = Image.open(io.BytesIO(view.image))
    assert image.format == "PNG" and image.size == (1344, 576)  # 8.4 x 3.6 in, 160 dpi
    before = view.image
    view.r1_slider.value = 0.05
    view.r1_slider.value = 0.0
    assert view.image == before  # same settings, same picture
    assert view.redraw_ms > 0
    fig = view.figure()
    assert len(fig.axes) == 2 and fig.axes[0].get_legend().get_texts()[0].get_text() == (
        "simultaneous, step 0.1"
    )


def test_where_widgets_cannot_render_a_picture_and_the_readout_remain(view):
    data, metadata = view._repr_mimebundle_()
    assert view.readout in data["text/plain"] and "r1 0.0" in data["text/plain"]
    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"
    assert WIDGET_VIEW_MIMETYPE in data


def test_bad_settings_say_what_is_allowed():
    with pytest.raises(ValueError, match="order"):
        DiracGANView(order="together")
    with pytest.raises(ValueError, match="r1"):
        DiracGANView(r1=-0.1)
    with pytest.raises(ValueError, match="lr"):
        DiracGANView(lr=0)
