"""Exercises of notebook 04: the non-saturating loss, both losses' gradients, V(D*, G).

Each ``check_*`` takes the student's function and returns a Feedback (see ``_core``); the
typical wrong answers (the saturating loss instead of the non-saturating one, derivatives
taken with respect to D(G(z)) instead of the logit, log 2 instead of log 4, ...) are
recognised and named.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import Mistake, NotAttempted, call, diagnose, exercise, number

# --------------------------------------------------------------------------- Exercise 1


def _non_saturating_loss(d_fake):
    return -np.mean(np.log(d_fake))


@exercise("Exercise 1: the non-saturating generator loss", _non_saturating_loss)
def check_non_saturating_loss(fn: Callable[[Any], Any]) -> str:
    """Check J_G = -mean log D(G(z)) from D's probabilities on a batch of fakes."""
    d_fake = np.array([0.1, 0.3, 0.05])
    want = _non_saturating_loss(d_fake)
    got = number(call(fn, d_fake.copy()), "Your loss")
    where = "for D(G(z)) = [0.1, 0.3, 0.05]"
    log = np.log(d_fake)
    wrongs = [
        (np.mean(np.log(1 - d_fake)),
         f"{where} yours is mean log(1 - D(G(z))): that is the saturating (minimax) loss.",
         "The non-saturating loss is -mean log D(G(z)): G wants D to call its fakes real."),
        (-np.mean(np.log(1 - d_fake)),
         f"{where} yours is -mean log(1 - D(G(z))): D's loss on fakes, which G would "
         "minimise by making its fakes even easier to spot.",
         "G wants D(G(z)) near 1: minimise -mean log D(G(z))."),
        (np.mean(log), f"{where} yours is {got:.3f}, a negative loss.",
         "Minimising mean log D(G(z)) would push D(G(z)) to 0: did you forget the minus sign?"),
        (-np.sum(log), f"{where} yours is the sum over the batch.",
         "Take the mean (np.mean), so the loss does not grow with the batch size."),
        (-np.mean(np.log10(d_fake)), f"{where} yours uses log to base 10.",
         "Use the natural logarithm, np.log."),
        (-np.log(np.mean(d_fake)), f"{where} yours is -log of the mean of D(G(z)).",
         "Take the log of each D(G(z)) first, then the mean."),
    ]  # fmt: skip
    diagnose(got, want, f"{where} the loss", wrongs)
    return f"J_G = {want:.3f} for that batch, large because D still spots these fakes."


# --------------------------------------------------------------------------- Exercise 2


def _logit_gradients(d):
    saturating = -d  # d/dl log(1 - sigmoid(l)) = -sigmoid(l)
    non_saturating = -(1 - d)  # d/dl -log(sigmoid(l)) = -(1 - sigmoid(l))
    return saturating, non_saturating


@exercise("Exercise 2: the gradients of both generator losses", _logit_gradients)
def check_logit_gradients(fn: Callable[[Any], Any]) -> str:
    """Check dL/dlogit for both G losses: -D(G(z)) (saturating) and -(1 - D(G(z)))."""
    d = np.array([0.01, 0.5, 0.9])
    answer = call(fn, d.copy())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Mistake(
            "return two things: (saturating gradient, non-saturating gradient).",
            "End your function with `return saturating, non_saturating`.",
        )
    if any(part is Ellipsis for part in answer):
        raise NotAttempted("Fill in both `saturating` and `non_saturating`, then run again.")
    want_s, want_n = _logit_gradients(d)
    try:
        got = np.stack([np.broadcast_to(np.asarray(a, dtype=float), d.shape) for a in answer])
    except (TypeError, ValueError) as error:
        raise Mistake(
            f"each gradient should be an array of {len(d)} numbers, one per D(G(z)).",
            "Compute them with NumPy operations on d, e.g. `-d`.",
        ) from error
    want = np.stack([want_s, want_n])
    where = "for D(G(z)) = [0.01, 0.5, 0.9]"
    wrongs = [
        (np.stack([want_n, want_s]), f"{where} your two gradients are swapped.",
         "The saturating loss log(1 - D) has gradient -D(G(z)) with respect to the logit."),
        (-want, f"{where} your gradients have the wrong sign.",
         "Both losses fall as the logit grows (G's fakes look more real): negative slopes."),
        (np.stack([-1 / (1 - d), -1 / d]),
         f"{where} yours are derivatives with respect to D(G(z)), not the logit.",
         "Chain rule: d sigmoid(l)/dl = D (1 - D); multiply your derivatives by it."),
        (np.stack([1 / (1 - d), 1 / d]),
         f"{where} yours are derivatives with respect to D(G(z)) and have the wrong sign.",
         "Chain rule: d sigmoid(l)/dl = D (1 - D); both gradients are negative."),
    ]  # fmt: skip
    diagnose(got, want, f"{where} (saturating, non-saturating)", wrongs)
    return (
        "At D(G(z)) = 0.01 the saturating gradient is -0.01, the non-saturating one -0.99: "
        "a hundred times more push when G needs it most."
    )


# --------------------------------------------------------------------------- Exercise 3


def _value_at_optimum(jsd):
    return -np.log(4) + 2 * jsd


@exercise("Exercise 3: the value of the game against the best D", _value_at_optimum)
def check_value_at_optimum(fn: Callable[[Any], Any]) -> str:
    """Check V(D*, G) = -log 4 + 2 JSD(p_data || p_g), with JSD in nats."""
    jsds = np.array([0.0, 0.2, math.log(2)])
    got = np.array([number(call(fn, float(j)), f"Your V for JSD = {j:.3f}") for j in jsds])
    want = _value_at_optimum(jsds)
    where = "for JSD = [0, 0.2, log 2]"
    wrongs = [
        (np.log(4) + 2 * jsds, f"{where} yours starts at +log 4.",
         "V(D*, G) is at most 0 (it adds two logs of probabilities): it starts at -log 4."),
        (-np.log(4) + jsds, f"{where} yours has JSD once; it appears twice.",
         "V(D*, G) = -log 4 + 2 JSD."),
        (-np.log(2) + 2 * jsds, f"{where} yours starts at -log 2.",
         "Both terms of V are log(1/2) at equilibrium: -log 2 - log 2 = -log 4."),
        (-np.log(4) - 2 * jsds, f"{where} yours falls as the divergence grows.",
         "V(D*, G) grows with the divergence: G, which minimises V, wants JSD = 0."),
        (-2 + 2 * jsds, f"{where} yours starts at -2: that is -log 4 in bits.",
         "The JSD here is in nats, so use the natural logarithm: -log 4 = -1.386."),
    ]  # fmt: skip
    diagnose(got, want, f"{where} V(D*, G)", wrongs)
    return "V(D*, G) = -log 4 = -1.386 exactly when p_g = p_data, and 0 when they do not overlap."
