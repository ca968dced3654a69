"""Controls laid out to stay usable: fixed widths, rows that wrap, sliders over round values.

ipywidgets gives every control the same default width and lets a row squeeze its controls
to fit; a slider's track can end up a few pixels long. Here each control gets its own
width and a row wraps onto a new line instead of squeezing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import ipywidgets as widgets


def row(children: list[widgets.Widget]) -> widgets.HBox:
    """Return an HBox of ``children``, top-aligned, wrapping onto a new line where it is narrow."""
    return widgets.HBox(
        children, layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")
    )


def sized(control: widgets.Widget, width: int, label: int | None = None) -> widgets.Widget:
    """Give ``control`` a fixed ``width`` (CSS px) that rows never squeeze; return it.

    Its description, if any, is ``label`` px wide (controls above one another line up),
    or by default as wide as it needs instead of ipywidgets' fixed width.
    """
    control.layout.width = f"{width}px"
    control.layout.flex = "0 0 auto"
    if "description_width" in getattr(getattr(control, "style", None), "keys", ()):
        control.style.description_width = "initial" if label is None else f"{label}px"
    return control


def round_values(low: float, high: float, mantissas: Iterable[float] = (1, 2, 5)) -> list[float]:
    """Return the numbers m x 10^e (m in ``mantissas``) from ``low`` to ``high``, ascending.

    ``round_values(1e-3, 1e-1)`` is [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1].
    """
    values = {
        float(f"{m}e{e}")
        for e in range(int(f"{low:e}".split("e")[1]), int(f"{high:e}".split("e")[1]) + 1)
        for m in mantissas
    }
    return sorted(v for v in values if low <= v <= high)


def value_slider(
    description: str,
    values: Sequence[float],
    value: float,
    width: int,
    label: int | None = None,
    **kwargs: Any,
) -> widgets.SelectionSlider:
    """Return a slider of ``width`` CSS px (``label`` for its description) over ``values``.

    It is set to ``value``, which joins the values if it is not one of them: the slider
    always shows exactly the number it was given (a log slider shows the nearest step).
    """
    options = sorted({*values, value})
    slider = widgets.SelectionSlider(
        options=[(f"{v:g}", v) for v in options], value=value, description=description, **kwargs
    )
    return sized(slider, width, label)


def set_playing(play: widgets.Play, playing: bool) -> None:
    """Start or pause a Play widget: its trait is ``playing`` in ipywidgets 8, ``_playing`` in 7."""
    setattr(play, _playing_trait(play), playing)


def is_playing(play: widgets.Play) -> bool:
    """Return True if a Play widget is playing (ipywidgets 7 or 8)."""
    return bool(getattr(play, _playing_trait(play)))


def _playing_trait(play: widgets.Play) -> str:
    """Return the name of the Play widget's "playing" trait in this ipywidgets version."""
    return "playing" if play.has_trait("playing") else "_playing"
