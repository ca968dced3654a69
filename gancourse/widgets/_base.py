"""What every course widget shares: a static snapshot for front ends that cannot show widgets.

A course widget is an ``ipywidgets.VBox``. When displayed it sends the usual widget view
together with a PNG and a plain-text version of what it shows. JupyterLab, Notebook 7,
VS Code and Colab pick the live widget; a static page (nbconvert, GitHub, a notebook
opened without its kernel) shows the snapshot instead. The same code runs on ipywidgets 7
(which displays widgets through ``_ipython_display_``) and 8 (``_repr_mimebundle_``).
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as widgets
from IPython.display import display

WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"


class CourseWidget(widgets.VBox):
    """A VBox that shows a snapshot (PNG and text) where widgets cannot render."""

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG bytes or None, plain text) describing what the widget shows now."""
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        """Return the display bundle: the widget view plus the snapshot's PNG and text."""
        png, text = self.snapshot()
        data: dict[str, Any] = {"text/plain": text}
        if png:
            data["image/png"] = base64.b64encode(png).decode("ascii")
        if getattr(self, "comm", None) is not None and self._view_name is not None:
            data[WIDGET_VIEW_MIMETYPE] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.model_id,
            }
        return data

    def _ipython_display_(self, **kwargs: Any) -> None:
        """Display the bundle of ``_repr_mimebundle_`` (IPython prefers this hook)."""
        display(self._repr_mimebundle_(), raw=True)
        on_displayed = getattr(self, "_handle_displayed", None)  # ipywidgets 7 only
        if on_displayed is not None:
            on_displayed(**kwargs)


def image_widget(css_class: str) -> widgets.Image:
    """Return an empty PNG Image widget carrying ``css_class`` (browser tests find it by that)."""
    image = widgets.Image(value=b"", format="png")
    image.add_class(css_class)
    return image


def set_playing(play: widgets.Play, playing: bool) -> None:
    """Start or pause a Play widget: its trait is ``playing`` in ipywidgets 8, ``_playing`` in 7."""
    name = "playing" if play.has_trait("playing") else "_playing"
    setattr(play, name, playing)
