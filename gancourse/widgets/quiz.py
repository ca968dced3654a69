"""Quiz: a multiple-choice or numeric question with immediate, specific feedback."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from ._base import CourseWidget

#: Blank lines between a question and its answer in the plain-text (static) version.
ANSWER_GAP = 8


class Quiz(CourseWidget):
    """A self-checking question: choose an option (or type a number) and press "Check".

    Multiple choice: ``Quiz(question, options=[...], answer=index)``, with optional
    ``explanations`` ({index: text} or one text per option) saying why that option is
    right or wrong. Numeric: ``Quiz(question, answer=0.5, tolerance=0.01)``; the answer is typed
    and checked on Enter or "Check". ``explanation`` is shown with a correct answer.

    Keyboard: Tab reaches the options (arrow keys choose one), the text box and the button;
    Enter or Space presses the button. State: :attr:`feedback` (text), :attr:`correct`
    (None before the first check), :attr:`attempts`. Where widgets cannot render, the
    question shows as plain text with the answer further down.
    """

    def __init__(
        self,
        question: str,
        options: Sequence[str] | None = None,
        answer: int | float = 0,
        *,
        explanations: Mapping[int, str] | Sequence[str] | None = None,
        explanation: str = "",
        tolerance: float | None = None,
    ) -> None:
        self.question = question
        self.options = None if options is None else [str(o) for o in options]
        self.explanation = explanation
        if self.options is not None:
            if not (isinstance(answer, int) and 0 <= answer < len(self.options)):
                raise ValueError(
                    f"answer must be the index of the right option (0 to {len(self.options) - 1})"
                    f", got {answer!r}."
                )
            if explanations is None:
                explanations = {}
            elif not isinstance(explanations, Mapping):
                explanations = dict(enumerate(explanations))
            self.explanations = dict(explanations)
        elif not isinstance(answer, (int, float)) or not math.isfinite(answer):
            raise ValueError(f"A numeric quiz needs a finite number as answer, got {answer!r}.")
        self.answer = answer
        self.tolerance = tolerance if tolerance is not None else (0.01 * abs(answer) or 0.01)
        self.correct: bool | None = None
        self.attempts = 0
        self._feedback = ""

        self.question_label = widgets.HTML(f"<b>{html.escape(question)}</b>")
        self.check_button = widgets.Button(description="Check", tooltip="check your answer")
        self.feedback_label = widgets.HTML()
        self.feedback_label.add_class("gancourse-quiz-feedback")
        if self.options is not None:
            self.choice = widgets.RadioButtons(
                options=self.options, value=None, layout=widgets.Layout(width="max-content")
            )
        else:
            self.choice = widgets.Text(
                placeholder="type a number, press Enter", continuous_update=False
            )
        self.choice.add_class("gancourse-quiz-choice")
        self.check_button.on_click(lambda _: self.check())
        self.choice.observe(self._on_change, names="value")
        super().__init__([self.question_label, self.choice, self.check_button, self.feedback_label])

    @property
    def feedback(self) -> str:
        """Return the feedback on the last check ("" before the first)."""
        return self._feedback

    def _on_change(self, change: dict) -> None:
        """Check a typed number at once (Enter); clear old feedback when the choice changes."""
        if self.options is None and str(change["new"]).strip():
            self.check()
        else:
            self._set_feedback("", None)

    def check(self, response: Any = None) -> bool:
        """Check ``response`` (default: what is chosen or typed now); return True if right."""
        response = self.choice.value if response is None else response
        if self.options is not None:
            correct, text = self._check_option(response)
        else:
            correct, text = self._check_number(response)
        if correct is not None:
            self.attempts += 1
        self._set_feedback(text, correct)
        return bool(correct)

    def _check_option(self, response: Any) -> tuple[bool | None, str]:
        """Return (right or wrong or None if nothing chosen, feedback) for an option."""
        if response is None:
            return None, "Choose an answer first."
        index = response if isinstance(response, int) else self.options.index(response)
        specific = self.explanations.get(index, "")
        if index == self.answer:
            return True, " ".join(filter(None, ["Correct.", specific, self.explanation]))
        return False, " ".join(filter(None, ["Not quite.", specific, "Try again."]))

    def _check_number(self, response: Any) -> tuple[bool | None, str]:
        """Return (right or wrong or None if not a number, feedback) for a typed number."""
        try:
            value = float(str(response).strip().replace(",", "."))
        except ValueError:
            return None, f"Please type a number, for example {self.answer * 0.5:g}."
        if not math.isfinite(value):
            return None, "Please type a finite number."
        if abs(value - self.answer) <= self.tolerance:
            return True, " ".join(filter(None, ["Correct.", self.explanation]))
        direction = "too high" if value > self.answer else "too low"
        return False, f"Not quite: {value:g} is {direction}. Try again."

    def _set_feedback(self, text: str, correct: bool | None) -> None:
        """Store and show ``text``, green for right, red for wrong."""
        self._feedback, self.correct = text, correct if text else None
        colour = {True: "green", False: "firebrick"}.get(correct, "dimgray")
        mark = {True: "✓ ", False: "✗ "}.get(correct, "")
        self.feedback_label.value = (
            f'<span style="color:{colour}">{mark}{html.escape(text)}</span>' if text else ""
        )

    def answer_text(self) -> str:
        """Return the answer in words, with the explanation."""
        if self.options is not None:
            answer = f"({chr(97 + self.answer)}) {self.options[self.answer]}"
        else:
            answer = f"{self.answer:g} (within ±{self.tolerance:g})"
        return " ".join(filter(None, [f"Answer: {answer}.", self.explanation]))

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (no PNG, the question and options, then the answer further down)."""
        lines = [f"Quiz: {self.question}"]
        if self.options is not None:
            lines += [f"  ({chr(97 + i)}) {option}" for i, option in enumerate(self.options)]
        else:
            lines.append("  (a number)")
        lines += [""] * ANSWER_GAP + [self.answer_text()]
        return None, "\n".join(lines)
