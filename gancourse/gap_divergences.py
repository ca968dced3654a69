"""Why a perfect discriminator starves the generator: two narrow distributions a gap apart.

The data is a normal distribution N(0, width²); the generator's is the same shape shifted by
a gap theta, N(theta, width²) (a generator G(z) = theta + width * z). For each gap this module
computes, on a dense grid (no sampling, no training):

* the Jensen-Shannon divergence: it rises with the gap and then stays at log 2 once the two
  stop overlapping;
* the Wasserstein-1 distance (the area between the two CDFs): it equals |gap|;
* the slope of G's loss at theta, with D frozen at its optimum
  D*(x) = p_data(x) / (p_data(x) + p_g(x)), as in a generator step after D was trained to
  the end. For the minimax loss log(1 - D*(G(z))) it is twice the slope of the JS curve (in
  nats) and vanishes with the overlap; for the 1-Lipschitz critic f(x) = -x (the best
  critic for any gap > 0) it is 1 whatever the gap.

Everything is in nats (natural logarithms), the unit of the losses that G and D minimise:
the JS divergence is at most log 2 ≈ 0.693 nats, which is 1 bit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import argchecks

__all__ = [
    "LOSSES",
    "generator_gradient_by_gap",
    "js_by_gap",
    "optimal_discriminator",
    "wasserstein_by_gap",
]

#: G's losses: minimax log(1 - D*), non-saturating -log D*, and the critic's -f with f(x) = -x.
LOSSES = ("minimax", "non_saturating", "critic")
#: Grid step and reach, in units of the width: integrands are negligible 12 widths out.
_STEP, _REACH = 0.01, 12.0
_LOG_NORM = 0.5 * math.log(2 * math.pi)


def _gaps(gaps: Any) -> np.ndarray:
    """Return ``gaps`` as a finite 1-D float array (a number becomes one gap)."""
    arr = np.atleast_1d(np.asarray(gaps, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"gaps must be a number or a 1-D list of numbers, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError("gaps must be finite numbers (no NaN or infinity).")
    return arr


def _grid(t: float) -> np.ndarray:
    """Return grid points u (in widths) covering N(0, 1) and N(t, 1)."""
    low, high = min(0.0, t) - _REACH, max(0.0, t) + _REACH
    return np.arange(low, high + _STEP, _STEP)


def _log_sigmoid(a: np.ndarray) -> np.ndarray:
    """Return log sigmoid(a) without overflow or log(0)."""
    return -np.logaddexp(0.0, -a)


def _integrals(t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (u, log p_data, log p_g, D*'s logit) on the grid, in units of the width."""
    u = _grid(t)
    log_p = -0.5 * u**2 - _LOG_NORM
    log_q = -0.5 * (u - t) ** 2 - _LOG_NORM
    logit = log_p - log_q  # = t (t - 2u) / 2: D* = sigmoid(logit)
    return u, log_p, log_q, logit


def js_by_gap(gaps: Any, width: float = 0.1) -> np.ndarray:
    """Return the JS divergence (nats) between N(0, width²) and N(gap, width²) for each gap.

    It uses JS = log 2 + (E_data[log D*] + E_g[log(1 - D*)]) / 2, i.e. the game's value at
    the optimal D, V(D*, G) = -log 4 + 2 JS.
    """
    gaps = _gaps(gaps)
    argchecks.positive_float("width", width)
    out = np.empty_like(gaps)
    for i, gap in enumerate(gaps):
        _, log_p, log_q, logit = _integrals(gap / width)
        value = np.sum(np.exp(log_p) * _log_sigmoid(logit) + np.exp(log_q) * _log_sigmoid(-logit))
        out[i] = math.log(2) + 0.5 * value * _STEP
    return np.clip(out, 0.0, math.log(2))


def wasserstein_by_gap(gaps: Any, width: float = 0.1) -> np.ndarray:
    """Return the Wasserstein-1 distance between N(0, width²) and N(gap, width²) for each gap.

    Computed from its 1-D definition, the area between the two CDFs (it comes out as |gap|).
    """
    gaps = _gaps(gaps)
    width = argchecks.positive_float("width", width)
    out = np.empty_like(gaps)
    for i, gap in enumerate(gaps):
        _, log_p, log_q, _ = _integrals(gap / width)
        cdf_p = np.cumsum(np.exp(log_p)) * _STEP
        cdf_q = np.cumsum(np.exp(log_q)) * _STEP
        out[i] = np.sum(np.abs(cdf_p - cdf_q)) * _STEP * width
    return out


def optimal_discriminator(x: Any, gap: float, width: float = 0.1) -> np.ndarray:
    """Return D*(x) = p_data / (p_data + p_g) for data N(0, width²) and fakes N(gap, width²).

    It is a sigmoid of a straight line, sigmoid(gap (gap - 2x) / (2 width²)): the narrower the
    distributions or the wider the gap, the sharper its step between 1 (data) and 0 (fakes).
    """
    width = argchecks.positive_float("width", width)
    if np.ndim(gap) != 0:
        raise ValueError(f"gap must be one number, got an array of shape {np.shape(gap)}.")
    gap = float(_gaps(gap)[0])
    x = np.asarray(x, dtype=np.float64)
    return np.exp(_log_sigmoid(gap * (gap - 2 * x) / (2 * width**2)))  # exact down to 1e-300


def generator_gradient_by_gap(gaps: Any, width: float = 0.1, loss: str = "minimax") -> np.ndarray:
    """Return d(G's loss)/d(theta) at theta = gap, with D frozen at its optimum, for each gap.

    G(z) = theta + width * z. ``loss``: "minimax", E[log(1 - D*(G(z)))], whose slope is
    gap / width² * E[D*(G(z))]: D*'s verdict on the fakes, which vanishes as they stop
    overlapping the data; "non_saturating", -E[log D*(G(z))], slope gap / width² *
    E[1 - D*(G(z))]; "critic", -E[f(G(z))] for the 1-Lipschitz critic f(x) = -x (x for a
    negative gap), slope 1 (-1). A positive slope means gradient descent moves theta towards
    the data at 0.
    """
    gaps = _gaps(gaps)
    width = argchecks.positive_float("width", width)
    loss = argchecks.choice("loss", loss, LOSSES)
    if loss == "critic":
        return np.sign(gaps)
    out = np.empty_like(gaps)
    for i, gap in enumerate(gaps):
        _, _, log_q, logit = _integrals(gap / width)
        verdict = _log_sigmoid(logit if loss == "minimax" else -logit)  # log D* or log(1 - D*)
        out[i] = gap / width**2 * np.sum(np.exp(log_q + verdict)) * _STEP
    return out
