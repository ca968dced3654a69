"""PNG bytes for the widgets: image grids through PIL, figures through matplotlib's Agg.

Every widget image is drawn at :data:`PIXEL_RATIO` device pixels per CSS pixel and shown at
its size divided by that ratio (see :class:`~gancourse.widgets._base.PngImage`): sharp on a
2x (HiDPI) screen, and on a 1x screen each 2 x 2 block becomes one pixel. Sizes given to the
functions here are in CSS pixels. Encoding a NumPy array with PIL takes a few milliseconds;
drawing a matplotlib figure takes tens, so figures are drawn once and reused where possible.
"""

from __future__ import annotations

import functools
import io
import struct
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageDraw, ImageFont

from ..images import grid_image

#: Device pixels per CSS pixel in every widget image (2: sharp on HiDPI screens).
PIXEL_RATIO = 2
#: CSS pixels per inch of a widget figure: a 6-inch-wide figure is shown 480 px wide.
CSS_DPI = 80
#: Resolution at which widget figures are drawn (dots per inch).
FIGURE_DPI = CSS_DPI * PIXEL_RATIO
#: Height of text drawn with PIL (messages, captions, markers), in CSS pixels.
TEXT_SIZE = 12
TEXT_COLOR = (60, 60, 60)


def array_png(pixels: np.ndarray) -> bytes:
    """Return PNG bytes of a uint8 array (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA."""
    buffer = io.BytesIO()
    # Level 1 compresses a little worse than the default but several times faster.
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Return (width, height) in pixels of PNG bytes, read from the header; (0, 0) if not a PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return 0, 0
    return struct.unpack(">II", png[16:24])


def css_size(png: bytes) -> tuple[int, int]:
    """Return (width, height) in CSS pixels at which PNG bytes of a widget image are shown."""
    width, height = png_size(png)
    return width // PIXEL_RATIO, height // PIXEL_RATIO


def widget_grid_png(images: Any, ncols: int | None = None, width: int = 240) -> bytes:
    """Return PNG bytes of images (N, H, W[, 1]) in [-1, 1] tiled, shown about ``width`` CSS px.

    Each image pixel becomes a whole number of CSS pixels (at least one), so digits stay sharp.
    """
    grid = grid_image(images, ncols=ncols, scale=1)
    scale = max(1, round(width / grid.width)) * PIXEL_RATIO
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


@functools.lru_cache(maxsize=4)
def font(size: int = TEXT_SIZE) -> ImageFont.FreeTypeFont:
    """Return DejaVu Sans (shipped with matplotlib) at ``size`` CSS px, for drawing with PIL."""
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size * PIXEL_RATIO)


def _text_block(text: str, width: int, padding: int = 8) -> Image.Image:
    """Return ``text`` (lines wrapped to ``width`` CSS px) drawn on white, ``width`` px wide."""
    face = font()
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and face.getlength(trial) > (width - 2 * padding) * PIXEL_RATIO:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    step = round(1.4 * TEXT_SIZE) * PIXEL_RATIO
    pad = padding * PIXEL_RATIO
    image = Image.new("RGB", (width * PIXEL_RATIO, len(lines) * step + 2 * pad), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((pad, pad + i * step), line, fill=TEXT_COLOR, font=face)
    return image


def message_png(text: str, size: tuple[int, int] = (360, 120)) -> bytes:
    """Return PNG bytes of ``text`` in grey on a white rectangle of ``size`` (CSS px)."""
    canvas = Image.new("RGB", (size[0] * PIXEL_RATIO, size[1] * PIXEL_RATIO), "white")
    block = _text_block(text, size[0])
    canvas.paste(block.crop((0, 0, canvas.width, min(block.height, canvas.height))))
    return array_png(np.asarray(canvas))


def _stack(images: list[Image.Image], gap: int, vertical: bool) -> Image.Image:
    """Return ``images`` placed left to right (or top to bottom), ``gap`` CSS px apart."""
    gap *= PIXEL_RATIO
    along = [im.height if vertical else im.width for im in images]
    across = max(im.width if vertical else im.height for im in images)
    length = sum(along) + gap * (len(images) - 1)
    canvas = Image.new("RGB", (across, length) if vertical else (length, across), "white")
    offset = 0
    for im, size in zip(images, along):
        canvas.paste(im, (0, offset) if vertical else (offset, 0))
        offset += size + gap
    return canvas


def _open(png: bytes) -> Image.Image:
    """Return PNG bytes as an RGB PIL image."""
    return Image.open(io.BytesIO(png)).convert("RGB")


def side_by_side(*pngs: bytes | None, gap: int = 10) -> bytes | None:
    """Return PNG bytes of the given PNGs placed left to right, top-aligned; None if none given.

    ``gap`` is in CSS pixels; the PNGs are widget images (drawn at :data:`PIXEL_RATIO`).
    """
    images = [_open(png) for png in pngs if png]
    return array_png(np.asarray(_stack(images, gap, vertical=False))) if images else None


def captioned(png: bytes | None, text: str) -> bytes:
    """Return PNG bytes of ``png`` (a widget image, or None) with ``text`` written below it.

    This is the picture a widget leaves where it cannot run: what it showed, and its words.
    """
    width = css_size(png)[0] if png else 480
    parts = ([_open(png)] if png else []) + [_text_block(text, max(width, 240))]
    return array_png(np.asarray(_stack(parts, 0, vertical=True)))
