"""The Dirac-GAN (Mescheder, Geiger and Nowozin, 2018): a GAN with two numbers, solved exactly.

The real data is one point, x = 0. The generator is one number ``theta``: it draws the point
x = theta. The discriminator is linear, with one number ``psi``: its logit is psi * x and
D(x) = sigmoid(psi * x), the probability that x is real. Its value, as in notebooks 03-04,

    V(theta, psi) = log D(0) + log(1 - D(theta)) = log(1/2) + log sigmoid(-psi * theta).

D climbs V, G descends it (or climbs log D(theta): the non-saturating loss). The only
equilibrium is theta = psi = 0. Near it the game's vector field is a pure rotation, so plain
gradient steps circle (alternating) or spiral away (simultaneous); a gradient penalty on D
(R1: gamma/2 times the squared gradient of D's logit on real data, here gamma/2 psi**2) or
instance noise (Gaussian noise added to real and generated points) damps the rotation and
the steps spiral in. Everything here is NumPy and exact (instance noise by Gauss-Hermite
quadrature), and a path of 1000 steps takes a few tens of milliseconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import argchecks

__all__ = ["LOSSES", "ORDERS", "path", "radius", "vector_field"]

#: The generator's losses: G descends V, or climbs log D(theta).
LOSSES = ("minimax", "non_saturating")
#: How the two players step: both from the same point, or D first and G from D's new psi.
ORDERS = ("simultaneous", "alternating")
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(32)
_QUADRATURE = _NODES, _WEIGHTS / _WEIGHTS.sum()  # nodes, weights: E[g(eps)], eps ~ N(0, 1)


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * t))  # exact, and no overflow for large |t|


def _expect(g: Any, noise: float, ndim: int) -> np.ndarray:
    """Return E[g(noise * eps)] for eps ~ N(0, 1) (g(0) when noise is 0).

    ``g`` maps noise values to values of the shape of the arguments (``ndim`` axes); the
    quadrature nodes run along a new first axis, so one call evaluates them all.
    """
    if noise == 0.0:
        return g(0.0)
    nodes, weights = _QUADRATURE
    return np.tensordot(weights, g(noise * nodes.reshape((-1,) + (1,) * ndim)), axes=1)


def _d_direction(theta: np.ndarray, psi: np.ndarray, r1: float, noise: float) -> np.ndarray:
    """Return dV/dpsi minus the R1 penalty's gradient: the direction D climbs."""
    # Real x = eps: d/dpsi log sigmoid(psi x) = x sigmoid(-psi x).
    real = _expect(lambda e: e * _sigmoid(-psi * e), noise, np.ndim(theta))
    # Generated x = theta + eps: d/dpsi log sigmoid(-psi x) = -x sigmoid(psi x).
    fake = _expect(lambda e: -(theta + e) * _sigmoid(psi * (theta + e)), noise, np.ndim(theta))
    return real + fake - r1 * psi


def _g_direction(theta: np.ndarray, psi: np.ndarray, loss: str, noise: float) -> np.ndarray:
    """Return the direction G moves theta: down V (minimax) or up log D(theta)."""
    if loss == "minimax":  # -dV/dtheta = psi sigmoid(psi x)
        return _expect(lambda e: psi * _sigmoid(psi * (theta + e)), noise, np.ndim(theta))
    # d log D(x) / dtheta = psi sigmoid(-psi x)
    return _expect(lambda e: psi * _sigmoid(-psi * (theta + e)), noise, np.ndim(theta))


def _checked(loss: str, r1: float, noise: float) -> tuple[str, float, float]:
    loss = argchecks.choice("loss", loss, LOSSES)
    r1 = argchecks.in_range("r1", r1, 0.0, float("inf"))
    noise = argchecks.in_range("noise", noise, 0.0, float("inf"))
    return loss, r1, noise


def vector_field(
    theta: Any, psi: Any, *, loss: str = "minimax", r1: float = 0.0, noise: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Return (G's direction, D's direction) at each (theta, psi): arrays of their shape.

    ``r1`` is the weight gamma of D's gradient penalty, ``noise`` the standard deviation of
    instance noise (0: none).
    """
    loss, r1, noise = _checked(loss, r1, noise)
    theta, psi = np.broadcast_arrays(np.asarray(theta, float), np.asarray(psi, float))
    return _g_direction(theta, psi, loss, noise), _d_direction(theta, psi, r1, noise)


def path(
    theta: float,
    psi: float,
    *,
    lr: float,
    steps: int,
    order: str = "simultaneous",
    loss: str = "minimax",
    r1: float = 0.0,
    noise: float = 0.0,
) -> np.ndarray:
    """Return the (steps + 1, 2) points of ``steps`` gradient steps of size ``lr`` from the start.

    Column 0 is theta, column 1 psi. "simultaneous": both players step from the same point;
    "alternating": D steps first and G answers the new psi, as the course trains.
    """
    loss, r1, noise = _checked(loss, r1, noise)
    order = argchecks.choice("order", order, ORDERS)
    lr = argchecks.positive_float("lr", lr)
    steps = argchecks.positive_int("steps", steps)
    points = np.empty((steps + 1, 2))
    points[0] = theta, psi = float(theta), float(psi)
    with np.errstate(over="ignore", invalid="ignore"):  # caught below, with advice
        _walk(points, lr, order, loss, r1, noise)
    return points


def _point_field(loss: str, r1: float, noise: float) -> Any:
    """Return a function (theta, psi) -> (G's direction, D's direction) for one point, fast.

    The same sums as :func:`vector_field`, over a fixed vector of quadrature nodes (one node,
    0, without noise), so that a step costs a few small NumPy operations.
    """
    nodes, weights = _QUADRATURE if noise > 0 else (np.zeros(1), np.ones(1))
    e = noise * nodes
    sign = 1.0 if loss == "minimax" else -1.0

    def field(theta: float, psi: float) -> tuple[float, float]:
        x = theta + e
        g_move = float(weights @ (psi * _sigmoid(sign * psi * x)))
        d_move = float(weights @ (e * _sigmoid(-psi * e) - x * _sigmoid(psi * x))) - r1 * psi
        return g_move, d_move

    return field


def _walk(points: np.ndarray, lr: float, order: str, loss: str, r1: float, noise: float) -> None:
    """Fill ``points[1:]`` with the steps from ``points[0]``; raise if they leave the floats."""
    field = _point_field(loss, r1, noise)
    theta, psi = points[0]
    for i in range(1, len(points)):
        g_move, d_move = field(theta, psi)
        psi = psi + lr * d_move
        if order == "alternating":  # G answers D's new psi
            g_move = field(theta, psi)[0]
        theta = theta + lr * g_move
        points[i] = theta, psi
        if not (np.isfinite(theta) and np.isfinite(psi)):
            raise FloatingPointError(
                f"the path left the finite numbers at step {i}: take a smaller lr or fewer steps."
            )


def radius(points: Any) -> np.ndarray:
    """Return each point's distance from the equilibrium (0, 0), for points (N, 2)."""
    points = argchecks.matrix("points", points)
    if points.shape[1] != 2:
        raise ValueError(f"points must have shape (N, 2) (theta, psi), got {points.shape}.")
    return np.hypot(points[:, 0], points[:, 1])
