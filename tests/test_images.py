"""gancourse.images: sample grids as PNG and animated GIF files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from gancourse import images


def _digits(n: int, value: float = 0.0) -> np.ndarray:
    return np.full((n, 28, 28, 1), value, np.float32)


def test_grid_png_has_the_tiled_size_and_values():
    png = images.grid_png(np.concatenate([_digits(2, -1.0), _digits(2, 1.0)]), scale=2)
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG" and picture.mode == "L"
    assert picture.size == (2 * (2 * 28 + 1), 2 * (2 * 28 + 1))
    pixels = np.asarray(picture)
    assert pixels[0, 0] == 0 and pixels[-1, -1] == 255  # -1 is black, +1 is white


def test_save_png_and_gif(tmp_path):
    grids = [_digits(4, v) for v in (-1.0, 0.0, 1.0)]
    images.save_png(grids[0], tmp_path / "a.png")
    assert Image.open(tmp_path / "a.png").size == (3 * 57, 3 * 57)
    images.save_gif(grids, tmp_path / "a.gif")
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 3 and gif.info["loop"] == 0


def test_bad_input_is_explained(tmp_path):
    with pytest.raises(ValueError, match="no epochs to animate"):
        images.save_gif([], tmp_path / "a.gif")
    with pytest.raises(ValueError, match="0..255"):
        images.grid_png(np.full((1, 28, 28, 1), 200.0))
