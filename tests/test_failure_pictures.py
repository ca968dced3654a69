"""The failure illustrations: deterministic, each showing its failure, labelled as made up."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import failure_pictures as fp


def _modes_hit(samples, means, radius=0.3):
    """Return how many modes have at least 5% of the samples within ``radius``."""
    d = np.linalg.norm(samples[:, None, :] - means[None], axis=2)
    return int(np.sum(np.sum(d < radius, axis=0) >= 0.05 * len(samples)))


def test_every_kind_is_the_same_at_every_call():
    for kind in fp.KINDS:
        a, b = fp.illustration(kind), fp.illustration(kind)
        assert np.array_equal(a.g_loss, b.g_loss) and np.array_equal(a.snapshots[2], b.snapshots[2])


def test_each_run_shows_its_failure():
    runs = {kind: fp.illustration(kind) for kind in fp.KINDS}
    tail = slice(-50, None)
    hits = {k: _modes_hit(r.snapshots[-1], r.means) for k, r in runs.items()}
    assert (hits["healthy"], hits["vanishing_gradients"], hits["mode_collapse"]) == (8, 0, 2)
    vanishing = runs["vanishing_gradients"]
    assert vanishing.d_loss[tail].max() < 0.05 and vanishing.g_loss[tail].mean() > 5
    healthy = runs["healthy"]
    assert abs(healthy.d_loss[tail].mean() - 2 * np.log(2)) < 0.05
    assert abs(healthy.g_loss[tail].mean() - np.log(2)) < 0.05
    swings = {k: np.ptp(np.convolve(r.d_loss, np.ones(10) / 10, "valid")[-150:])
              for k, r in runs.items()}  # fmt: skip
    assert swings["non_convergence"] > 3 * max(swings["healthy"], swings["mode_collapse"])
    centres = [s.mean(axis=0) for s in runs["non_convergence"].snapshots]
    assert min(np.linalg.norm(c) for c in centres) > 1.0  # off the data, and moving round it
    assert (
        np.linalg.norm(centres[0] - centres[1]) > 1.5
        and np.linalg.norm(centres[1] - centres[2]) > 1.5
    )


def test_figures_say_they_are_illustrations_and_hide_the_answer():
    for letter, kind in fp.MYSTERIES.items():
        fig = fp.mystery(letter.lower())
        title = fig._suptitle.get_text()
        assert f"Run {letter}" in title and "not a training run" in title
        assert kind.replace("_", " ") not in title.lower()
        assert len(fig.axes) == 4
    assert set(fp.MYSTERIES.values()) == set(fp.KINDS)
    assert "Mode collapse" in fp.draw("mode_collapse")._suptitle.get_text()


def test_bad_names_say_what_is_valid():
    with pytest.raises(ValueError, match="mode_collapse"):
        fp.illustration("collapse")
    with pytest.raises(ValueError, match="'A'"):
        fp.mystery("Z")
