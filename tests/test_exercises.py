"""The exercise machinery: not attempted, wrong with a hint, correct, and the fallback value."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse.exercises import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    Mistake,
    call,
    exercise,
    expect_close,
    number,
)


def _square_solution(x):
    return x * x


@exercise("Square a number", _square_solution)
def check_square(fn):
    expect_close(call(fn, 3.0), 9.0, "square(3)", hint="Multiply x by itself.")


@exercise("The answer", 42)
def check_answer(value):
    if number(value, "The answer") != 42:
        raise Mistake("that is not the answer.", "Think of Douglas Adams.")
    return "Forty-two indeed."


def test_template_answers_are_not_attempted():
    for feedback in (check_answer(...), check_answer(), check_square(...)):
        assert feedback.status == NOT_ATTEMPTED and not feedback.attempted
        assert not feedback
        assert "not attempted" in feedback.text()


def test_template_function_bodies_are_not_attempted():
    def raises(x):
        raise NotImplementedError

    def ellipsis(x):
        return ...

    assert check_square(raises).status == NOT_ATTEMPTED
    assert check_square(ellipsis).status == NOT_ATTEMPTED


def test_wrong_answers_say_what_and_give_a_hint():
    feedback = check_square(lambda x: 2 * x)
    assert feedback.status == WRONG
    assert "square(3) should be 9, yours is 6" in feedback.message
    assert feedback.hint == "Multiply x by itself."
    assert "Hint: Multiply" in feedback.text() and "Hint:" in feedback._repr_html_()


def test_wrong_answer_falls_back_to_the_reference():
    feedback = check_square(lambda x: 2 * x)
    assert feedback.value is _square_solution
    assert "return x * x" in feedback.solution_code()


def test_correct_answer_is_kept_and_praised():
    def mine(x):
        return x**2

    feedback = check_square(mine)
    assert feedback.status == CORRECT and feedback and feedback.value is mine
    assert "Hint" not in feedback.text()
    value = check_answer(42)
    assert value.correct and value.value == 42 and "Forty-two" in value.message


def test_crashing_student_code_is_reported_not_raised():
    feedback = check_square(lambda x: x / 0)
    assert feedback.status == WRONG and "ZeroDivisionError" in feedback.message


def test_none_and_non_callables_are_explained():
    assert "return" in check_square(lambda x: None).hint
    assert "expected a function" in check_square(5).message


@pytest.mark.parametrize("bad", ["forty", [1, 2], float("nan")])
def test_numbers_must_be_single_finite_numbers(bad):
    feedback = check_answer(bad)
    assert feedback.status == WRONG and "The answer" in feedback.message


def test_number_accepts_numpy_scalars_and_one_element_arrays():
    assert number(np.float32(2.5), "x") == 2.5
    assert number(np.array([[3]]), "x") == 3.0


def test_reveal_prints_the_solution(capsys):
    check_answer(1).reveal()
    assert capsys.readouterr().out.strip() == "42"


def test_not_attempted_can_say_what_is_left():
    from gancourse.exercises import NotAttempted

    @exercise("Fill the dict", {"a": 1})
    def check_dict(answer):
        if any(v is Ellipsis for v in answer.values()):
            raise NotAttempted("Replace every `...` in the dict.")

    feedback = check_dict({"a": ...})
    assert (
        feedback.status == NOT_ATTEMPTED and feedback.message == "Replace every `...` in the dict."
    )
    assert feedback.value == {"a": 1}


def test_an_exit_in_student_code_is_feedback_not_a_stopped_kernel():
    import sys

    feedback = check_square(lambda x: sys.exit(1))
    assert feedback.status == WRONG and "called exit()" in feedback.message
    assert "return" in feedback.hint and feedback.value is _square_solution


def test_an_endless_answer_is_stopped_with_a_message(monkeypatch):
    import time

    from gancourse.exercises import _core

    monkeypatch.setattr(_core, "TIME_LIMIT", 0.3)

    def endless(x):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a student's catch-all must not swallow the time limit
                pass

    start = time.monotonic()
    feedback = check_square(endless)
    assert time.monotonic() - start < 3
    assert feedback.status == WRONG and "still running after 0.3 seconds" in feedback.message
    assert "loop" in feedback.hint
    assert check_square(lambda x: x * x).correct, "the timer is off again afterwards"
    time.sleep(0.6)  # a timer left running would interrupt this


@pytest.mark.parametrize("text", ["9.0", "9", b"9", ["9"], np.array(["9.0"])])
def test_a_correct_answer_returned_as_text_is_not_accepted(text):
    feedback = check_square(lambda x: text)
    assert feedback.status == WRONG and "returned text" in feedback.message
    assert "quotes" in feedback.hint


@pytest.mark.parametrize("text", ["42", "42.0"])
def test_a_correct_value_given_as_text_is_not_accepted(text):
    feedback = check_answer(text)
    assert feedback.status == WRONG and "should be a number, got the text" in feedback.message


def test_diagnose_does_not_read_numbers_out_of_text():
    from gancourse.exercises import diagnose

    with pytest.raises(Mistake, match="should be numbers, got the text '0.5'"):
        diagnose("0.5", 0.5, "D*(x)", [])
    assert diagnose(0.5, 0.5, "D*(x)", []) is None
