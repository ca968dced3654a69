"""Small estimates for the toy GAN lab: p_g from samples, the optimal D*, and JS divergence.

The generator has no density we can read, only samples, so p_g is estimated:

* in 1-D by a Gaussian kernel density estimate (bandwidth by Silverman's rule), used for
  the optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x));
* for the Jensen-Shannon divergence, in 1-D and 2-D, by a histogram on a grid of cells
  over the distribution's bounds, plus one cell for everything outside them. p_data's
  mass per cell is exact for the Gaussian mixtures (from the normal CDF), averaged over
  sub-points of each cell for other densities, and for toys without a density taken from
  a histogram of many real samples.

JS is reported in bits: 0 when the two distributions agree, 1 when they do not overlap.
The estimate from a few thousand samples is biased upward a little (a few hundredths of
a bit even for a perfect generator), so read its trend, not its last digit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Number of samples of real data used for p_data where a toy has no closed-form density.
REFERENCE_SAMPLES = 50_000


def kde_1d(samples: Any, xs: Any, bandwidth: float | None = None) -> np.ndarray:
    """Return a Gaussian kernel density estimate from 1-D ``samples`` evaluated at ``xs``."""
    samples = np.asarray(samples, dtype=np.float64).ravel()
    xs = np.asarray(xs, dtype=np.float64).ravel()
    if bandwidth is None:  # Silverman's rule of thumb, floored so a collapsed G still works
        spread = min(np.std(samples), np.subtract(*np.percentile(samples, [75, 25])) / 1.34)
        bandwidth = max(0.9 * spread * len(samples) ** -0.2, 1e-3 * (np.ptp(xs) or 1.0))
    z = (xs[:, None] - samples[None, :]) / bandwidth
    return np.exp(-0.5 * z**2).sum(axis=1) / (len(samples) * bandwidth * np.sqrt(2 * np.pi))


def optimal_discriminator(p_data: Any, p_g: Any) -> np.ndarray:
    """Return D* = p_data / (p_data + p_g); NaN where both densities are (nearly) zero."""
    p_data, p_g = np.asarray(p_data, dtype=np.float64), np.asarray(p_g, dtype=np.float64)
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 1e-12, p_data / total, np.nan)


def js_divergence(p: Any, q: Any) -> float:
    """Return the Jensen-Shannon divergence in bits between two discrete distributions.

    ``p`` and ``q`` are non-negative weights over the same cells; each is normalised.
    """
    p = np.asarray(p, dtype=np.float64).ravel()
    q = np.asarray(q, dtype=np.float64).ravel()
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same number of cells, got {p.size} and {q.size}.")
    if np.any(p < 0) or np.any(q < 0) or p.sum() <= 0 or q.sum() <= 0:
        raise ValueError("p and q must be non-negative with positive sums.")
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        inside = a > 0
        return float(np.sum(a[inside] * np.log2(a[inside] / m[inside])))

    return float(np.clip((kl(p) + kl(q)) / 2, 0.0, 1.0))


def grid_edges(bounds: Any, bins: int) -> list[np.ndarray]:
    """Return cell edges per axis over ``bounds``: (lo, hi) or ((xlo, xhi), (ylo, yhi))."""
    pairs = [bounds] if np.ndim(bounds) == 1 else list(bounds)
    return [np.linspace(lo, hi, bins + 1) for lo, hi in pairs]


def sample_cells(samples: Any, edges: list[np.ndarray]) -> np.ndarray:
    """Return the share of ``samples`` (N, dim) in each grid cell, plus a last entry for outside."""
    samples = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    counts, _ = np.histogramdd(samples, bins=edges)
    inside = counts.ravel() / len(samples)
    return np.append(inside, max(0.0, 1.0 - inside.sum()))


def density_cells(distribution: Any, edges: list[np.ndarray], oversample: int = 4) -> np.ndarray:
    """Return p_data's mass in each grid cell, plus a last entry for outside the grid.

    Uses the exact density averaged over ``oversample`` sub-points per cell and axis, or a
    histogram of :data:`REFERENCE_SAMPLES` real samples if the toy has no density.
    """
    if not getattr(distribution, "has_density", False):
        return sample_cells(distribution.sample(REFERENCE_SAMPLES, seed=12345), edges)
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
