"""Measures for the 1-D and 2-D toy GANs of notebooks 03 and 04 and the ToyGANLab widget.

All in NumPy, from exact densities and samples: the optimal discriminator
``optimal_discriminator``, a kernel density estimate ``kde_1d``, the Jensen-Shannon
divergence ``js_divergence`` on grid cells (``grid_edges``, ``sample_cells``,
``density_cells``), and mode coverage (``mode_counts``, ``modes_covered``).

The generator has no density we can read, only samples, so p_g is estimated:

* in 1-D by a Gaussian kernel density estimate (``kde_1d``, bandwidth by Silverman's rule),
  for the optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x));
* for the Jensen-Shannon divergence, in 1-D and 2-D, by the share of samples in each cell
  of a grid over the distribution's bounds, plus one cell for everything outside them
  (``grid_edges``, ``sample_cells``). p_data's mass per cell (``density_cells``) is exact
  for the Gaussian mixtures (from the normal CDF), averaged over sub-points of each cell
  for other densities, and taken from a histogram of many real samples for toys without
  a density.

JS from a few thousand samples is biased upward a little (a few hundredths of a bit even
for a perfect generator): read its trend, not its last digit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import argchecks

__all__ = [
    "TOY_REFERENCE_SAMPLES",
    "density_cells",
    "grid_edges",
    "js_divergence",
    "kde_1d",
    "mode_counts",
    "modes_covered",
    "optimal_discriminator",
    "sample_cells",
]

#: Number of real samples used for p_data where a toy has no closed-form density.
TOY_REFERENCE_SAMPLES = 50_000


def _finite_vector(name: str, value: Any) -> np.ndarray:
    """Return ``value`` flattened to a finite float64 vector, or raise ValueError."""
    arr = np.asarray(value, dtype=np.float64).ravel()
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _densities(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float64 array of non-negative densities, or raise ValueError."""
    arr = np.asarray(value, dtype=np.float64)
    if np.any(np.isnan(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must hold densities: non-negative numbers, not NaN.")
    return arr


def kde_1d(samples: Any, xs: Any, bandwidth: float | None = None) -> np.ndarray:
    """Return a Gaussian kernel density estimate from 1-D ``samples`` evaluated at ``xs``."""
    samples = _finite_vector("samples", samples)
    if samples.size == 0:
        raise ValueError("samples must hold at least one number.")
    xs = _finite_vector("xs", xs)
    if bandwidth is None:  # Silverman's rule of thumb, floored so a collapsed G still works
        spread = min(np.std(samples), np.subtract(*np.percentile(samples, [75, 25])) / 1.34)
        width = np.ptp(xs) if xs.size else 1.0
        bandwidth = max(0.9 * spread * len(samples) ** -0.2, 1e-3 * (width or 1.0))
    else:
        bandwidth = argchecks.positive_float("bandwidth", bandwidth)
    z = (xs[:, None] - samples[None, :]) / bandwidth
    return np.exp(-0.5 * z**2).sum(axis=1) / (len(samples) * bandwidth * np.sqrt(2 * np.pi))


def optimal_discriminator(p_data: Any, p_g: Any) -> np.ndarray:
    """Return D* = p_data / (p_data + p_g); NaN where both densities are (nearly) zero.

    This is the best discriminator against a fixed generator (Goodfellow et al., 2014).
    """
    p_data, p_g = _densities("p_data", p_data), _densities("p_g", p_g)
    if p_data.shape != p_g.shape:
        raise ValueError(
            f"p_data and p_g must be densities at the same points, got shapes {p_data.shape} "
            f"and {p_g.shape}."
        )
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 1e-12, p_data / total, np.nan)


def js_divergence(p: Any, q: Any, base: float = 2.0) -> float:
    """Return the Jensen-Shannon divergence between two discrete distributions.

    ``p`` and ``q`` are non-negative weights over the same cells; each is normalised. The
    result uses logarithms to ``base``: in bits (the default) it lies in [0, 1], in nats
    (``base=math.e``) in [0, log 2].
    """
    p = np.asarray(p, dtype=np.float64).ravel()
    q = np.asarray(q, dtype=np.float64).ravel()
    base = argchecks.positive_float("base", base)
    if base == 1.0:
        raise ValueError("base must not be 1 (logarithms to base 1 do not exist); use 2 or e.")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same number of cells, got {p.size} and {q.size}.")
    if np.any(~np.isfinite(p)) or np.any(~np.isfinite(q)):
        raise ValueError("p and q must be finite numbers.")
    if np.any(p < 0) or np.any(q < 0) or p.sum() <= 0 or q.sum() <= 0:
        raise ValueError("p and q must be non-negative with positive sums.")
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        inside = a > 0
        return float(np.sum(a[inside] * np.log(a[inside] / m[inside])))

    nats = float(np.clip((kl(p) + kl(q)) / 2, 0.0, math.log(2)))
    return nats / math.log(base)


def grid_edges(bounds: Any, bins: int) -> list[np.ndarray]:
    """Return cell edges per axis over ``bounds``: (lo, hi) or ((xlo, xhi), (ylo, yhi))."""
    bins = argchecks.positive_int("bins", bins)
    message = f"bounds must be (lo, hi) or ((xlo, xhi), (ylo, yhi)), got {bounds!r}."
    try:
        pairs = np.atleast_2d(np.asarray(bounds, dtype=np.float64))
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if pairs.ndim != 2 or pairs.shape[1] != 2 or len(pairs) not in (1, 2):
        raise ValueError(message)
    if not np.all(pairs[:, 0] < pairs[:, 1]):
        raise ValueError(f"bounds must have lo < hi on every axis, got {bounds!r}.")
    return [np.linspace(lo, hi, bins + 1) for lo, hi in pairs]


def sample_cells(samples: Any, edges: list[np.ndarray]) -> np.ndarray:
    """Return the share of ``samples`` (N, dim) in each grid cell, plus a last entry for outside."""
    samples = argchecks.points("samples", samples, len(edges))
    if len(samples) == 0:
        raise ValueError("samples must hold at least one point.")
    counts, _ = np.histogramdd(samples, bins=edges)
    inside = counts.ravel() / len(samples)
    return np.append(inside, max(0.0, 1.0 - inside.sum()))


def density_cells(distribution: Any, edges: list[np.ndarray], oversample: int = 4) -> np.ndarray:
    """Return p_data's mass in each grid cell, plus a last entry for outside the grid.

    Exact for Gaussian mixtures; otherwise the density averaged over ``oversample``
    sub-points per cell and axis, or a histogram of :data:`TOY_REFERENCE_SAMPLES` real
    samples if the toy has no density.
    """
    oversample = argchecks.positive_int("oversample", oversample)
    if not getattr(distribution, "has_density", False):
        return sample_cells(distribution.sample(TOY_REFERENCE_SAMPLES, seed=12345), edges)
    if all(hasattr(distribution, a) for a in ("means", "stds", "weights")):
        inside = _mixture_cells(distribution, edges).ravel()
        return np.append(inside, max(0.0, 1.0 - inside.sum()))
    centres = []
    for e in edges:
        fine = np.linspace(e[0], e[-1], (len(e) - 1) * oversample + 1)
        centres.append((fine[:-1] + fine[1:]) / 2)
    mesh = np.meshgrid(*centres, indexing="ij")
    points = np.column_stack([m.ravel() for m in mesh])
    density = distribution.density(points).reshape(mesh[0].shape)
    for axis in range(len(edges)):  # average the sub-points of each cell, axis by axis
        shape = list(density.shape)
        shape[axis : axis + 1] = [shape[axis] // oversample, oversample]
        density = density.reshape(shape).mean(axis=axis + 1)
    volume = np.prod([e[1] - e[0] for e in edges])
    inside = density.ravel() * volume
    return np.append(inside, max(0.0, 1.0 - inside.sum()))


def _mixture_cells(mixture: Any, edges: list[np.ndarray]) -> np.ndarray:
    """Return the exact mass of an isotropic Gaussian mixture in each grid cell."""
    cdf = np.vectorize(lambda z: 0.5 * (1.0 + math.erf(z / math.sqrt(2.0))))
    total = np.zeros([len(e) - 1 for e in edges])
    for mean, std, weight in zip(mixture.means, mixture.stds, mixture.weights, strict=True):
        per_axis = [np.diff(cdf((e - m) / std)) for e, m in zip(edges, mean, strict=True)]
        mass = per_axis[0]
        for axis_mass in per_axis[1:]:
            mass = np.multiply.outer(mass, axis_mass)
        total += weight * mass
    return total


def mode_counts(samples: Any, centers: Any, radius: float) -> np.ndarray:
    """Return how many ``samples`` lie within ``radius`` of each mode centre, int64 (K,).

    Each sample counts for its nearest centre only, and only if it is that close.
    """
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must have shape (K, dim) with K >= 1, got {centers.shape}.")
    samples = argchecks.points("samples", samples, centers.shape[1])
    radius = argchecks.positive_float("radius", radius)
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    close = distances.min(axis=1) <= radius
    return np.bincount(nearest[close], minlength=len(centers)).astype(np.int64)


def modes_covered(samples: Any, centers: Any, radius: float, min_share: float = 0.25) -> int:
    """Return the number of modes that get at least ``min_share`` of their fair share of samples.

    A mode's fair share is N / K samples; with the default 0.25, a mode of a ring of 8 is
    covered when at least 1/32 of all samples lie within ``radius`` of its centre.
    """
    counts = mode_counts(samples, centers, radius)
    min_share = argchecks.in_range("min_share", min_share, 0.0, 1.0)
    fair = len(np.asarray(samples)) / len(counts)
    return int(np.sum(counts >= max(min_share * fair, 1)))
