"""The machinery behind every exercise: a check, its feedback, and the reference solution.

An exercise is a function ``check_<name>(answer)`` made with :func:`exercise`. It returns a
:class:`Feedback` that a notebook displays right under the student's cell:

* **not attempted**: the answer is still ``...`` (or the function still raises
  ``NotImplementedError`` or returns ``...``); the notebook carries on with the reference;
* **not yet right**: a specific message (what is wrong) and a hint;
* **correct**.

``feedback.value`` is the student's answer when it is correct and the reference solution
otherwise, so later cells always have something that works. ``feedback.reveal()`` shows the
reference solution's code.

A student's function runs through :func:`call`: whatever it does (raise, call ``exit()``,
loop for ever, return text instead of numbers) becomes feedback, never a crash or a hang.
"""

from __future__ import annotations

import contextlib
import html
import inspect
import re
import signal
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import numpy as np

CORRECT = "correct"
WRONG = "not yet right"
NOT_ATTEMPTED = "not attempted"

_ICONS = {CORRECT: "✅", WRONG: "❌", NOT_ATTEMPTED: "✏️"}
_COLOURS = {CORRECT: "#1b7f3b", WRONG: "#b3261e", NOT_ATTEMPTED: "#6b5d00"}
#: Seconds a student's function may run before the check stops it (where signals allow:
#: the main thread on Linux and macOS, which is where notebook cells run).
TIME_LIMIT = 5.0
_FALLBACK_NOTE = (
    "The cells below go on with the reference solution; call .reveal() on this feedback to see it."
)


class Mistake(Exception):
    """Raised inside a check: the answer is wrong; ``str(self)`` says how, ``hint`` helps."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class NotAttempted(Exception):
    """Raised inside a check when the answer is still the template; a message may say what."""


@dataclass
class Feedback:
    """What a check found: ``status``, a ``message``, a ``hint`` and the ``value`` to go on with."""

    exercise: str
    status: str
    message: str
    hint: str = ""
    value: Any = None
    solution: Any = field(default=None, repr=False)

    @property
    def correct(self) -> bool:
        """Return True when the answer was accepted."""
        return self.status == CORRECT

    @property
    def attempted(self) -> bool:
        """Return True unless the answer is still the template."""
        return self.status != NOT_ATTEMPTED

    def __bool__(self) -> bool:
        return self.correct

    def _parts(self) -> tuple[str, str, str]:
        """Return (headline, hint, note), what both renderings show; hint and note may be ""."""
        headline = f"{_ICONS[self.status]} {self.exercise}: {self.status}."
        if self.correct:
            return headline, "", ""
        return headline, self.hint, _FALLBACK_NOTE

    def text(self) -> str:
        """Return the feedback as plain text (what a terminal or a static page shows)."""
        headline, hint, note = self._parts()
        lines = [f"{headline} {self.message}"]
        lines += [f"Hint: {hint}"] if hint else []
        lines += [note] if note else []
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text())

    def _repr_html_(self) -> str:
        """Return the feedback as a coloured HTML box (JupyterLab, Colab, VS Code)."""
        headline, hint, note = self._parts()
        parts = [f"<b>{html.escape(headline)}</b> {html.escape(self.message)}"]
        parts += [f"<i>Hint:</i> {html.escape(hint)}"] if hint else []
        if note:
            reveal = html.escape(note).replace(".reveal()", "<code>.reveal()</code>")
            parts.append(f"<small>{reveal}</small>")
        return (
            f'<div style="border-left: 4px solid {_COLOURS[self.status]}; padding: 4px 10px; '
            f'margin: 4px 0">{"<br>".join(parts)}</div>'
        )

    def solution_code(self) -> str:
        """Return the reference solution as Python source (or its repr for a plain value)."""
        return solution_code(self.solution)

    def reveal(self) -> None:
        """Print the reference solution."""
        print(self.solution_code())


def solution_code(solution: Any) -> str:
    """Return the source of a solution function, or the repr of a solution value."""
    if callable(solution):
        try:
            return textwrap.dedent(inspect.getsource(solution)).strip()
        except (OSError, TypeError):
            pass
    return repr(solution)


def is_template(answer: Any) -> bool:
    """Return True for an answer still left as the template's ``...``."""
    return answer is Ellipsis


class _TimeUp(BaseException):
    """Raised into a student's function that ran past TIME_LIMIT (not an Exception, so that
    an ``except Exception`` in the student's code does not swallow it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise _TimeUp


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimeUp in the block after ``seconds`` (and every half second after that)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield  # no interval timer here (Windows, or a worker thread): no limit
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        while True:  # an alarm may arrive while disarming: disarm again
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except _TimeUp:
                continue


def _is_text(value: Any) -> bool:
    """Return True for a string, bytes, an array of strings, or a tuple or list holding one."""
    if isinstance(value, (str, bytes)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "US"
    return isinstance(value, (tuple, list)) and any(_is_text(v) for v in value)


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's function; a template, a crash, an exit, an endless loop or a text
    result becomes NotAttempted or a Mistake."""
    if not callable(fn):
        raise Mistake(
            f"expected a function, got {type(fn).__name__}.",
            "Define the function with `def` and pass its name, without parentheses.",
        )
    try:
        with _time_limit(TIME_LIMIT):
            result = fn(*args, **kwargs)
    except NotImplementedError as error:
        raise NotAttempted from error
    except _TimeUp:
        raise Mistake(
            f"your function was still running after {TIME_LIMIT:g} seconds, so the check "
            "stopped it.",
            "Look for a loop that never ends (a `while` whose condition stays true), or try "
            "the function on a small input in a cell of its own.",
        ) from None
    except SystemExit as error:
        raise Mistake(
            f"your function called exit() (SystemExit {error.code!r}) instead of returning.",
            "End it with `return` and the result; exit() and sys.exit() stop a program.",
        ) from None
    except Exception as error:  # the student's code failed: say how, not where in TensorFlow
        if _has_blanks(fn):
            raise NotAttempted(
                f"Your function still has `...` blanks to fill in (it raised "
                f"{type(error).__name__} on the first one it reached). Fill in every `...`, "
                "then run the check again."
            ) from error
        raise Mistake(
            f"your function raised {type(error).__name__}: {error}",
            "Run it on a small input in a cell of its own and read the error.",
        ) from error
    if result is Ellipsis:
        raise NotAttempted
    if result is None:
        raise Mistake("your function returned None.", "Did you forget the `return` statement?")
    if _is_text(result):
        raise Mistake(
            f"your function returned text ({_short(result)}), not a value to compute with.",
            "Return the result itself: no str(...), f-string or quotes around it.",
        )
    return result


#: A template's blank: ``...`` standing alone as a value (``x = ...``, ``f(a, ...)``,
#: ``return ...``), not the ``...`` of an index such as ``images[..., 0]``.
_BLANK = re.compile(r"(=|\(|,|\breturn)\s*\.\.\.\s*(\)|,|#|$)", re.M)


def _has_blanks(fn: Any) -> bool:
    """Return True when the function's source still holds a template's ``...`` blank."""
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return False
    return bool(_BLANK.search(source))


def _short(value: Any) -> str:
    """Return ``repr(value)``, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def number(value: Any, what: str) -> float:
    """Return ``value`` as a float, or raise a Mistake saying that ``what`` must be a number."""
    if _is_text(value):
        raise Mistake(
            f"{what} should be a number, got the text {_short(value)}.",
            "Write the number itself, without quotes.",
        )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise Mistake(f"{what} should be a number, got {value!r}.") from error
    if array.size != 1:
        raise Mistake(f"{what} should be a single number, got shape {array.shape}.")
    result = float(array.reshape(()))
    if not np.isfinite(result):
        raise Mistake(f"{what} is {result}, not a finite number.")
    return result


def as_array(result: Any, what: str) -> np.ndarray:
    """Return ``result`` as a float64 array, or raise a Mistake saying it is not numbers."""
    try:
        return np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise Mistake(
            f"{what} should be an array of numbers, got {type(result).__name__}."
        ) from error


def expect_close(got: Any, want: float, what: str, hint: str = "", rtol: float = 1e-4) -> None:
    """Raise a Mistake unless the number ``got`` is within ``rtol`` of ``want``."""
    value = number(got, what)
    if not np.isclose(value, want, rtol=rtol, atol=1e-6):
        raise Mistake(f"{what} should be {want:.4g}, yours is {value:.4g}.", hint)


#: A typical wrong answer: (its value, what is wrong, a hint).
Diagnosis = tuple[Any, str, str]


def _same(value: np.ndarray, other: Any) -> bool:
    """Return True when ``other`` has the shape of ``value`` and the same numbers (rtol 1e-4)."""
    other = np.asarray(other, dtype=float)
    return other.shape == value.shape and bool(np.allclose(value, other, rtol=1e-4, atol=1e-6))


def name_mistake(
    got: np.ndarray,
    wrongs: Sequence[Diagnosis],
    close: Callable[[np.ndarray, Any], bool] = _same,
) -> None:
    """Raise the Mistake of the first typical wrong answer that ``got`` is ``close`` to, if any."""
    for wrong, message, hint in wrongs:
        if close(got, wrong):
            raise Mistake(message, hint)


def diagnose(got: Any, want: Any, what: str, wrongs: Sequence[Diagnosis], hint: str = "") -> None:
    """Raise a Mistake unless ``got`` equals ``want``, naming a typical mistake if it is one.

    ``got`` and ``want`` are numbers or arrays of the same shape; each of ``wrongs`` is the
    value a typical mistake gives, with its message and hint. Returns None when correct.
    """
    want = np.asarray(want, dtype=float)
    if _is_text(got):
        raise Mistake(f"{what} should be numbers, got the text {_short(got)}.", hint)
    try:
        value = np.asarray(got, dtype=float)
    except (TypeError, ValueError) as error:
        raise Mistake(f"{what} should be numbers, got {type(got).__name__}.", hint) from error
    if value.size == 1 and want.size == 1:
        value = value.reshape(want.shape)
    if value.shape != want.shape:
        raise Mistake(
            f"{what} should have shape {want.shape}, yours has shape {value.shape}.",
            "Compute one value per input element; do not add up or drop elements.",
        )
    if _same(value, want):
        return
    name_mistake(value, wrongs)
    if not np.all(np.isfinite(value)):
        raise Mistake(f"{what} contains NaN or infinity: {_show(value)}.", hint)
    raise Mistake(f"{what} should be {_show(want)}, yours is {_show(value)}.", hint)


def _show(value: np.ndarray) -> str:
    """Return a number or a short array rounded to 3 decimals, for a message."""
    if value.size == 1:
        return f"{float(value.reshape(())):.3f}"
    return np.array2string(value, precision=3, separator=", ")


def exercise(
    title: str, solution: Any
) -> Callable[[Callable[[Any], str | None]], Callable[[Any], Feedback]]:
    """Turn a checker into an exercise check that always returns :class:`Feedback`.

    The checker takes the answer and raises :class:`Mistake` (or :class:`NotAttempted`) when
    it is not right; it may return a message for a correct answer. ``solution`` is the
    reference answer (a value or a function) that ``Feedback.value`` falls back to.
    """

    def decorate(checker: Callable[[Any], str | None]) -> Callable[[Any], Feedback]:
        @wraps(checker)
        def check(answer: Any = ...) -> Feedback:
            def feedback(status: str, message: str, hint: str = "") -> Feedback:
                value = answer if status == CORRECT else solution
                return Feedback(title, status, message, hint, value, solution)

            if is_template(answer):
                return feedback(NOT_ATTEMPTED, "Replace the `...` with your answer and run again.")
            try:
                praise = checker(answer)
            except NotAttempted as unfinished:
                message = str(unfinished) or "Fill in the function body and run again."
                return feedback(NOT_ATTEMPTED, message)
            except Mistake as mistake:
                return feedback(WRONG, str(mistake), mistake.hint)
            return feedback(CORRECT, praise or "Well done.")

        check.solution = solution  # type: ignore[attr-defined]
        check.title = title  # type: ignore[attr-defined]
        return check

    return decorate
