"""gancourse.claims: a notebook's sentences checked on its run's numbers, with quick-mode room."""

from __future__ import annotations

import pytest

from gancourse import claims, course


@pytest.fixture(params=[False, True], ids=["full", "quick"])
def mode(request, monkeypatch):
    monkeypatch.setattr(course, "_QUICK", request.param)
    return request.param


def test_a_true_claim_prints_one_line_with_its_numbers(capsys, mode):
    claims.at_most(0.2, 0.5, "the DCGAN is far closer to real digits than noise")
    line = capsys.readouterr().out.strip()
    assert line.startswith("✓ the DCGAN is far closer") and "0.2, at most" in line
    assert ("quick mode's 0.75" in line) == mode


def test_quick_mode_gives_quality_bounds_room_and_full_mode_none(mode):
    if mode:
        claims.at_most(0.7, 0.5, "within the quick bound")  # 0.5 * 1.5 = 0.75
        claims.at_least(0.5, 0.7, "within the quick bound")  # 0.7 / 1.5 = 0.47
    else:
        with pytest.raises(claims.ClaimNotTrue, match=r"0\.7, at most 0\.5"):
            claims.at_most(0.7, 0.5, "over the bound")
        with pytest.raises(claims.ClaimNotTrue, match=r"0\.5, at least 0\.7"):
            claims.at_least(0.5, 0.7, "under the bound")


def test_a_false_claim_names_the_sentence_and_what_to_do(mode):
    with pytest.raises(claims.ClaimNotTrue) as failure:
        claims.holds(False, "real digits beat the generator", "Frechet 3.1 against 2.0")
    message = str(failure.value)
    assert message.startswith("Not true in this run: real digits beat the generator")
    assert "Frechet 3.1 against 2.0" in message and "changed a setting" in message
    assert isinstance(failure.value, AssertionError)  # nbval and pytest report it as a failure
