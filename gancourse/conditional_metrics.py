"""Measures for conditional GANs and InfoGAN codes, from a classifier's predicted labels.

* :func:`conditioning_accuracy`: did G draw the digit it was asked for? The share of
  generated digits that a classifier files under the requested label, overall and per digit.
* :func:`code_purity` and :func:`best_matching`: did an InfoGAN's categorical code pick digit
  identity without ever seeing a label? Purity: for each code value, the share of its samples
  in the most common predicted digit. Best matching: the one-to-one pairing of code values
  with digits that explains the most samples, and that share.
* :func:`slant` and :func:`ink`: what an InfoGAN's continuous code changes in a digit.

Everything takes NumPy arrays and imports no TensorFlow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import argchecks

__all__ = [
    "best_matching",
    "code_purity",
    "conditioning_accuracy",
    "confusion_counts",
    "ink",
    "slant",
]


def _label_pair(
    first: Any, second: Any, classes: int, names: tuple[str, str] = ("predicted", "requested")
) -> tuple[np.ndarray, np.ndarray]:
    a = argchecks.labels(names[0], first, classes=classes)
    b = argchecks.labels(names[1], second, classes=classes)
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same length, got {len(a)} and {len(b)}: "
            "one entry of each per generated image."
        )
    return a, b


def confusion_counts(rows: Any, columns: Any, classes: int = 10) -> np.ndarray:
    """Return a ``classes x classes`` table: how often row value i came with column value j."""
    return _counts(rows, columns, classes, ("rows", "columns"))


def _counts(rows: Any, columns: Any, classes: int, names: tuple[str, str]) -> np.ndarray:
    rows, columns = _label_pair(rows, columns, classes, names)
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (rows, columns), 1)
    return counts


def conditioning_accuracy(
    predicted: Any, requested: Any, classes: int = 10
) -> tuple[float, np.ndarray]:
    """Return (share of digits predicted as requested, that share per requested digit).

    A digit never requested gets NaN in the per-digit array.
    """
    predicted, requested = _label_pair(predicted, requested, classes)
    if len(requested) == 0:
        raise ValueError("No generated digits: ask G for at least one digit.")
    per_digit = np.full(classes, np.nan)
    for digit in range(classes):
        asked = requested == digit
        if asked.any():
            per_digit[digit] = float(np.mean(predicted[asked] == digit))
    return float(np.mean(predicted == requested)), per_digit


def code_purity(codes: Any, predicted: Any, classes: int = 10) -> tuple[float, np.ndarray]:
    """Return (mean purity over the code values used, purity per code value).

    A code value's purity is the share of its samples that fall in its most common predicted
    digit: 1.0 when every sample of that value is the same digit, 0.1 or so for random
    digits. Code values never used get NaN.
    """
    counts = _counts(codes, predicted, classes, ("codes", "predicted"))
    totals = counts.sum(axis=1)
    used = totals > 0
    if not used.any():
        raise ValueError("No samples: generate at least one image per code value.")
    purity = np.full(classes, np.nan)
    purity[used] = counts[used].max(axis=1) / totals[used]
    return float(np.mean(purity[used])), purity


def best_matching(codes: Any, predicted: Any, classes: int = 10) -> tuple[np.ndarray, float]:
    """Return (digit paired with each code value, share of samples the pairing explains).

    The pairing is one-to-one (no two code values get the same digit) and explains as many
    samples as any pairing can: an exact search over subsets of digits (2^classes states).
    """
    counts = _counts(codes, predicted, classes, ("codes", "predicted"))
    if classes > 16:
        raise ValueError(f"best_matching searches 2^classes pairings; {classes} is too many.")
    # best[mask]: most samples explained by pairing the first popcount(mask) codes with mask.
    size = 1 << classes
    best = np.full(size, -1, dtype=np.int64)
    choice = np.zeros(size, dtype=np.int64)
    best[0] = 0
    for mask in range(size):
        if best[mask] < 0:
            continue
        code = bin(mask).count("1")
        if code == classes:
            continue
        for digit in range(classes):
            if not mask & (1 << digit):
                nxt = mask | (1 << digit)
                value = best[mask] + counts[code, digit]
                if value > best[nxt]:
                    best[nxt], choice[nxt] = value, digit
    pairing = np.zeros(classes, dtype=np.int64)
    mask = size - 1
    for code in range(classes - 1, -1, -1):
        pairing[code] = choice[mask]
        mask &= ~(1 << int(choice[mask]))
    return pairing, float(best[size - 1] / max(counts.sum(), 1))


def _ink_weights(images: Any) -> np.ndarray:
    images = argchecks.images("images", images)
    return np.clip((images[..., 0] + 1.0) / 2.0, 0.0, 1.0)  # [-1, 1] -> ink in [0, 1]


def ink(images: Any) -> np.ndarray:
    """Return each image's share of ink: mean brightness on a 0-1 scale (thicker strokes, more)."""
    return _ink_weights(images).mean(axis=(1, 2))


def slant(images: Any) -> np.ndarray:
    """Return each image's slant: how far its ink moves right per row upwards (0: upright).

    The ratio of the ink's covariance of column and row to its variance of rows, with rows
    counted upwards; positive when the digit leans right, like italics.
    """
    weights = _ink_weights(images)
    height, width = weights.shape[1:]
    rows = (height - 1 - np.arange(height))[:, None] * np.ones((1, width))  # upwards
    cols = np.ones((height, 1)) * np.arange(width)[None, :]
    total = weights.sum(axis=(1, 2)) + 1e-9
    mean_r = (weights * rows).sum(axis=(1, 2)) / total
    mean_c = (weights * cols).sum(axis=(1, 2)) / total
    dr = rows[None] - mean_r[:, None, None]
    dc = cols[None] - mean_c[:, None, None]
    covariance = (weights * dr * dc).sum(axis=(1, 2)) / total
    variance = (weights * dr * dr).sum(axis=(1, 2)) / total + 1e-9
    return covariance / variance
