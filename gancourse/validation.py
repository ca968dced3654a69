"""Argument checks that turn bad input into one clear error message.

Every message names the argument, says what was expected and what came, and where it
helps, what to do instead. The checks use NumPy only, so every module can use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


def positive_int(name: str, value: Any) -> int:
    """Return ``value`` as an int, or raise ValueError if it is not a positive integer."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            f"{name} must be a positive integer, got {value!r} ({type(value).__name__})."
        )
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}.")
    return int(value)


def positive_float(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ValueError if it is not a positive number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(
            f"{name} must be a positive number, got {value!r} ({type(value).__name__})."
        )
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value}.")
    return float(value)


def in_range(name: str, value: Any, low: float, high: float) -> float:
    """Return ``value`` as a float, or raise ValueError if it is outside [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {value}.")
    return float(value)


def choice(name: str, value: Any, options: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``options``, else raise ValueError listing them."""
    options = list(options)
    if value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"Unknown {name} {value!r}. Valid choices: {valid}.")
    return value


def images(
    name: str, value: Any, *, shape: tuple[int | None, ...] = (None, 28, 28, 1)
) -> np.ndarray:
    """Return ``value`` as a float32 array of images in [-1, 1] with the given shape.

    ``None`` in ``shape`` matches any size. Raises ValueError naming what was wrong: the
    number of dimensions, a size, or values outside [-1, 1] (with a hint if they look
    like pixel values in 0..255 or 0..1).
    """
    arr = np.asarray(value, dtype=np.float32)
    expected = "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"
    if arr.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)
    ):
        raise ValueError(
            f"{name} must have shape {expected}, got {tuple(arr.shape)}. "
            "Reshape it, for example with x.reshape(-1, 28, 28, 1) for MNIST digits."
        )
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if arr.size and (arr.min() < -1.0 - 1e-4 or arr.max() > 1.0 + 1e-4):
        hint = ""
        if arr.min() >= 0 and arr.max() > 1.0:
            hint = " They look like pixel values in 0..255: use x / 127.5 - 1."
        raise ValueError(
            f"{name} must be scaled to [-1, 1], got values in "
            f"[{arr.min():.3g}, {arr.max():.3g}].{hint}"
        )
    return arr


def points(name: str, value: Any, dim: int) -> np.ndarray:
    """Return ``value`` as a float array (N, dim); for dim 1, a flat (N,) array is accepted."""
    arr = np.asarray(value, dtype=np.float64)
    if dim == 1 and arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(f"{name} must have shape (N, {dim}), got {tuple(arr.shape)}.")
    return arr
