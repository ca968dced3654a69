"""What the exercise-check tests share: template answers and an assertion on wrong answers."""

from __future__ import annotations

from gancourse.exercises import NOT_ATTEMPTED, WRONG


def template(*args):
    """A function still left as the notebook's template."""
    return ...  # your code here


def unfinished(*args):
    """A function whose body still raises NotImplementedError."""
    raise NotImplementedError


def assert_wrong(feedback, *phrases):
    """Assert the feedback says "not yet right", mentions every phrase and falls back."""
    assert feedback.status == WRONG, feedback.text()
    text = feedback.message + " " + feedback.hint
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in {text!r}"
    assert feedback.value is feedback.solution


def assert_templates_wait(check):
    """Assert ``check`` calls every template answer "not attempted" and falls back."""
    for answer in (..., template, unfinished):
        feedback = check(answer)
        assert feedback.status == NOT_ATTEMPTED, feedback.text()
        assert feedback.value is check.solution
