"""Sample grids as PNG and GIF files, through PIL (fast; no matplotlib, no TensorFlow)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .history import atomic_write
from .plots import tile_images


def grid_image(images: Any, ncols: int | None = None, scale: int = 3) -> Image.Image:
    """Return ``images`` in [-1, 1] tiled as one greyscale PIL image, ``scale`` times enlarged."""
    tiled = tile_images(images, ncols=ncols)
    picture = Image.fromarray(np.round(tiled * 255).astype(np.uint8))  # 2-D uint8: greyscale
    if scale != 1:
        picture = picture.resize(
            (picture.width * scale, picture.height * scale), Image.Resampling.NEAREST
        )
    return picture


def grid_png(images: Any, ncols: int | None = None, scale: int = 3) -> bytes:
    """Return the PNG bytes of :func:`grid_image`."""
    buffer = io.BytesIO()
    grid_image(images, ncols, scale).save(buffer, format="PNG")
    return buffer.getvalue()


def save_png(images: Any, path: str | Path, ncols: int | None = None, scale: int = 3) -> Path:
    """Write ``images`` as one PNG grid to ``path`` atomically; return the path."""
    return atomic_write(path, lambda f: f.write(grid_png(images, ncols, scale)), mode="wb")


def save_gif(
    grids: Sequence[Any], path: str | Path, ncols: int | None = None, frame_ms: int = 400
) -> Path:
    """Write one animated GIF with a frame per sample grid (e.g. one per epoch); return the path."""
    if not len(grids):
        raise ValueError("grids is empty: there are no epochs to animate yet.")
    frames = [grid_image(g, ncols) for g in grids]

    def write(handle: Any) -> None:
        frames[0].save(
            handle, format="GIF", save_all=True, append_images=frames[1:], duration=frame_ms, loop=0
        )

    return atomic_write(path, write, mode="wb")
