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


def points(
    name: str, value: Any, dim: int | None = None, *, min_rows: int = 0, finite: bool = False
) -> np.ndarray:
    """Return ``value`` as a float64 array of points (N, dim), or raise ValueError saying why.

    ``dim=None`` accepts any width; for ``dim=1`` a flat (N,) array is accepted. With
    ``finite=True`` NaN and infinite coordinates are refused too.
    """
    arr = np.asarray(value, dtype=np.float64)
    if dim == 1 and arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or len(arr) < min_rows or (dim is not None and arr.shape[1] != dim):
        want = f"(N, {'d' if dim is None else dim})"
        rows = f" with N >= {min_rows}" if min_rows else ""
        raise ValueError(
            f"{name} must have shape {want}{rows}, got {tuple(arr.shape)}. One point is one "
            "row: use x.reshape(1, -1) for a single point."
        )
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def matrix(name: str, value: Any, min_rows: int = 1) -> np.ndarray:
    """Return ``value`` as a finite float64 array (N, K) with N >= ``min_rows``, K >= 1."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] < min_rows or arr.shape[1] < 1:
        raise ValueError(
            f"{name} must have shape (N, K) with N >= {min_rows} rows, got {arr.shape}."
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def labels(name: str, value: Any, n: int | None = None, classes: int | None = None) -> np.ndarray:
    """Return class labels as int64 (N,), N = ``n`` if given, in 0..classes-1 if given.

    Whole numbers stored as floats are accepted; anything else raises ValueError.
    """
    arr = np.asarray(value)
    if arr.ndim != 1 or (n is not None and len(arr) != n):
        want = "(N,)" if n is None else f"({n},), one label per point"
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}.")
    whole = arr.dtype.kind in "iub" or (
        arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))
    )
    if arr.size and not whole:
        raise ValueError(f"{name} must hold integer class labels 0, 1, ..., got {arr.dtype}.")
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or (classes is not None and arr.max() >= classes)):
        top = "" if classes is None else f"..{classes - 1}"
        raise ValueError(f"{name} must hold class labels 0{top}, got {arr.min()}..{arr.max()}.")
    return arr


def non_negative_int(name: str, value: Any) -> int:
    """Return ``value`` as an int, or raise ValueError if it is not an integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}.")
    return int(value)


def rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Return a NumPy Generator: ``seed`` itself, or a new one seeded with it (None: fresh)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise ValueError(f"seed must be an integer >= 0, a numpy Generator or None, got {seed!r}.")
    return np.random.default_rng(seed)
