"""Checks of what a notebook's text says about its own outputs.

When a notebook writes "the DCGAN's digits are far closer to real ones than noise is", a
cell under it checks that on this run's numbers: each check prints one line with a ✓ and
the numbers, or stops with :class:`ClaimNotTrue` saying which sentence the run contradicts.
Bounds are written for full mode. Quick mode trains on less data for fewer steps, so there
claims about quality get :data:`QUICK_SLACK` times more room; the notebook shows one bound,
and the line printed says which was used.
"""

from __future__ import annotations

from .course import quick_mode

__all__ = ["QUICK_SLACK", "ClaimNotTrue", "at_least", "at_most", "holds"]

#: How much more room a bound on quality gets in quick mode (a factor on the bound).
QUICK_SLACK = 1.5


class ClaimNotTrue(AssertionError):
    """Raised when a run's numbers contradict what the notebook's text says about them."""


def _fail(claim: str, numbers: str) -> None:
    raise ClaimNotTrue(
        f"Not true in this run: {claim} ({numbers}). The text of the notebook says it is. If "
        "you changed a setting above, the text does not describe your run any more; "
        "otherwise please report this."
    )


def holds(condition: bool, claim: str, numbers: str = "") -> None:
    """Print "✓ claim (numbers)" if ``condition`` is true, else raise ClaimNotTrue."""
    if not condition:
        _fail(claim, numbers or "false")
    print(f"✓ {claim}" + (f" ({numbers})" if numbers else ""))


def _bound(bound: float, looser: float) -> tuple[float, str]:
    """Return the bound for this mode and how to name it."""
    if quick_mode():
        return looser, f"quick mode's {looser:.3g}"
    return bound, f"{bound:.3g}"


def at_most(value: float, bound: float, claim: str) -> None:
    """Check ``value <= bound`` (``bound * QUICK_SLACK`` in quick mode) and print it."""
    used, named = _bound(bound, bound * QUICK_SLACK)
    holds(float(value) <= used, claim, f"{float(value):.3g}, at most {named}")


def at_least(value: float, bound: float, claim: str) -> None:
    """Check ``value >= bound`` (``bound / QUICK_SLACK`` in quick mode) and print it."""
    used, named = _bound(bound, bound / QUICK_SLACK)
    holds(float(value) >= used, claim, f"{float(value):.3g}, at least {named}")
