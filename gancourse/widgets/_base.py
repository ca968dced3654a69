"""What every course widget shares: true-size images, text, and a picture for where it cannot run.

A course widget is an ``ipywidgets.VBox``. When displayed it sends the usual widget view
together with a PNG of what it shows (its words written underneath, its CSS size in the
metadata) and the same words as plain text. What a front end shows:

* with a running kernel: the live widget (JupyterLab, Notebook 6 and 7, VS Code, Colab);
* a saved notebook reopened (new kernel, or none): the widget as it was left, restored from
  the widget state saved in the notebook. JupyterLab saves that state when its ``saveState``
  setting is on, which the course's settings file turns on
  (``jupyter-config/lab-settings/gancourse.json``); classic Notebook saves it with
  "Widgets > Save Notebook Widget State". Without it, a trusted notebook shows the front
  end's "model not found" error, never the picture;
* an untrusted notebook (someone else's) and static pages (nbconvert, GitHub): the PNG and
  the words, as they were when the widget was displayed.

The same code runs on ipywidgets 7 (which displays widgets through ``_ipython_display_``)
and 8 (``_repr_mimebundle_``).
"""

from __future__ import annotations

import base64
import html
from typing import Any

import ipywidgets as widgets
from IPython.display import display

from . import _images

WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"
#: Line height of wrapped text in HTML widgets (theirs is the height of a widget row).
LINE_HEIGHT = "1.45"


class CourseWidget(widgets.VBox):
    """A VBox that also sends a picture and text of itself, for where widgets cannot render.

    Its element carries the CSS class ``gancourse-widget`` (browser tests find it by that).
    """

    def __init__(self, children: list[widgets.Widget], **kwargs: Any) -> None:
        super().__init__(children, **kwargs)
        self.add_class("gancourse-widget")

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (PNG bytes or None, plain text) describing what the widget shows now."""
        raise NotImplementedError

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> tuple[dict, dict]:
        """Return (data, metadata): the widget view, the snapshot's captioned PNG and its text."""
        png, text = self.snapshot()
        data: dict[str, Any] = {"text/plain": text}
        metadata: dict[str, Any] = {}
        if png:
            picture = _images.captioned(png, text)
            data["image/png"] = base64.b64encode(picture).decode("ascii")
            width, height = _images.css_size(picture)
            metadata["image/png"] = {"width": width, "height": height}
        if getattr(self, "comm", None) is not None and self._view_name is not None:
            data[WIDGET_VIEW_MIMETYPE] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.model_id,
            }
        return data, metadata

    def _ipython_display_(self, **kwargs: Any) -> None:
        """Display the bundle of ``_repr_mimebundle_`` (IPython prefers this hook)."""
        data, metadata = self._repr_mimebundle_()
        display(data, raw=True, metadata=metadata)
        on_displayed = getattr(self, "_handle_displayed", None)  # ipywidgets 7 only
        if on_displayed is not None:
            on_displayed(**kwargs)


class PngImage(widgets.Image):
    """A PNG image widget shown at its CSS size, never stretched by the boxes around it.

    Its PNGs are drawn at :data:`~gancourse.widgets._images.PIXEL_RATIO` pixels per CSS
    pixel; each new value sets the layout's width and height to the PNG's size divided by
    that ratio. In a container narrower than that it shrinks, keeping its aspect ratio.
    ``css_class`` names it for the browser tests.
    """

    def __init__(self, css_class: str) -> None:
        layout = widgets.Layout(flex="0 0 auto", object_fit="contain")
        super().__init__(value=b"", format="png", layout=layout)
        self.add_class(css_class)
        self.observe(self._fit, names="value")

    def _fit(self, change: dict) -> None:
        """Size the layout to the new PNG (CSS pixels)."""
        width, height = _images.css_size(change["new"])
        if width:
            self.layout.width, self.layout.height = f"{width}px", f"{height}px"


def html_text(text: str, escape: bool = True, style: str = "") -> str:
    """Return ``text`` as the value of an HTML widget, wrapped lines at a normal line height."""
    body = html.escape(text) if escape else text
    return f'<div style="line-height:{LINE_HEIGHT};{style}">{body}</div>'
