"""PNG bytes for the widgets: image grids through PIL, figures through matplotlib's Agg.

Widgets send images to the browser as PNG bytes in an ``ipywidgets.Image``. Encoding a
NumPy array with PIL takes a few milliseconds; drawing a matplotlib figure takes tens, so
figures are drawn once and reused where that is possible.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageDraw

from ..images import grid_image

#: Resolution of figures drawn for widgets (dots per inch).
FIGURE_DPI = 80


def array_png(pixels: np.ndarray) -> bytes:
    """Return PNG bytes of a uint8 array (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA."""
    buffer = io.BytesIO()
    # Level 1 compresses a little worse than the default but several times faster.
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def grid_png(images: Any, ncols: int | None = None, width: int = 240) -> bytes:
    """Return PNG bytes of images (N, H, W[, 1]) in [-1, 1] tiled, enlarged to ~``width`` px."""
    grid = grid_image(images, ncols=ncols, scale=1)
    scale = max(1, round(width / grid.width))
    if scale > 1:
        grid = grid.resize((grid.width * scale, grid.height * scale), Image.Resampling.NEAREST)
    return array_png(np.asarray(grid))


def figure_rgba(fig: Figure, dpi: int = FIGURE_DPI) -> np.ndarray:
    """Return ``fig`` drawn by Agg at ``dpi`` as a uint8 RGBA array (H, W, 4), top row first."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.array(canvas.buffer_rgba())


def figure_png(fig: Figure, dpi: int = FIGURE_DPI) -> bytes:
    """Return PNG bytes of ``fig`` drawn at ``dpi`` (RGB, no transparency)."""
    return array_png(figure_rgba(fig, dpi)[..., :3])


def message_png(text: str, size: tuple[int, int] = (360, 120)) -> bytes:
    """Return PNG bytes of ``text`` in grey on a white rectangle of ``size`` (width, height)."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).multiline_text((10, 10), text, fill=(90, 90, 90))
    return array_png(np.asarray(image))


def side_by_side(*pngs: bytes | None, gap: int = 10) -> bytes | None:
    """Return PNG bytes of the given PNGs placed left to right, top-aligned; None if none given."""
    images = [Image.open(io.BytesIO(png)).convert("RGB") for png in pngs if png]
    if not images:
        return None
    width = sum(im.width for im in images) + gap * (len(images) - 1)
    canvas = Image.new("RGB", (width, max(im.height for im in images)), "white")
    left = 0
    for im in images:
        canvas.paste(im, (left, 0))
        left += im.width + gap
    return array_png(np.asarray(canvas))
