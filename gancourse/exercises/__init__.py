"""Self-checking exercises, one module per notebook.

Each ``check_<name>(answer)`` returns a :class:`Feedback`: "not attempted" while the answer
is still ``...``, a specific message and hint when it is wrong, "correct" otherwise.
``feedback.value`` is the answer to go on with (the reference solution unless the student's
is correct) and ``feedback.reveal()`` prints the reference solution.
"""

from ._core import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    Diagnosis,
    Feedback,
    Mistake,
    NotAttempted,
    call,
    diagnose,
    exercise,
    expect_close,
    name_mistake,
    number,
    solution_code,
)

__all__ = [
    "CORRECT",
    "NOT_ATTEMPTED",
    "WRONG",
    "Feedback",
    "Mistake",
    "NotAttempted",
    "Diagnosis",
    "call",
    "diagnose",
    "exercise",
    "expect_close",
    "name_mistake",
    "number",
    "solution_code",
]
