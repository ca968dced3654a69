"""Quiz: a multiple-choice or numeric question with immediate, specific feedback."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from ._base import CourseWidget, html_text

#: Blank lines between a question and its answer in the plain-text (static) version.
ANSWER_GAP = 8
#: How an option's button looks once pressed: right, wrong; and the mark in front of its text.
OPTION_STYLES = {True: ("success", "✓"), False: ("danger", "✗")}
FEEDBACK_COLORS = {True: "green", False: "firebrick", None: "dimgray"}


def option_label(index: int, option: str) -> str:
    """Return "(a) option" for option ``index`` (0 -> a)."""
    return f"({chr(97 + index)}) {option}"


class Quiz(CourseWidget):
    """A self-checking question with immediate feedback.

    Multiple choice: ``Quiz(question, options=[...], answer=index)``, with optional
    ``explanations`` ({index: text} or one text per option) saying why that option is
    right or wrong. Each option is a button; pressing it answers: it turns green (right) or
    red (wrong) and the feedback below says why. Numeric: ``Quiz(question, answer=0.5,
    tolerance=0.01)``; the number is typed and checked on Enter or with "Check".
    ``explanation`` is shown with a correct answer.

    Keyboard, in JupyterLab and the classic Notebook alike (the browser tests check both):
    Tab and Shift+Tab go from option to option (and to the text box and "Check"), Enter or
    Space answers, and the focus stays on what was pressed. The arrow keys are the
    notebook's (they move between cells), so the quiz does not use them.

    State: :attr:`feedback` (text), :attr:`correct` (None before the first answer),
    :attr:`attempts`, :attr:`chosen`. Where widgets cannot render, the question shows as
    plain text with the answer further down.
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
        self.chosen: int | None = None
        self._feedback = ""
        self._last_response: Any = None

        self.question_label = widgets.HTML(html_text(question, style="font-weight:bold"))
        self.feedback_label = widgets.HTML()
        self.feedback_label.add_class("gancourse-quiz-feedback")
        if self.options is not None:
            self.option_buttons = [self._option_button(i) for i in range(len(self.options))]
            answering: list[widgets.Widget] = list(self.option_buttons)
        else:
            self.number_box = widgets.Text(
                placeholder="type a number, press Enter", continuous_update=False
            )
            self.number_box.add_class("gancourse-quiz-number")
            self.check_button = widgets.Button(description="Check", tooltip="check your answer")
            self.check_button.on_click(lambda _: self.check())
            self.number_box.observe(self._on_typed, names="value")
            answering = [widgets.HBox([self.number_box, self.check_button])]
        super().__init__(
            [self.question_label, *answering, self.feedback_label],
            layout=widgets.Layout(align_items="flex-start"),
        )

    def _option_button(self, index: int) -> widgets.Button:
        """Return the button of option ``index``: as wide as its text, answering when pressed."""
        label = option_label(index, self.options[index])
        button = widgets.Button(
            description=label,
            tooltip=label,
            layout=widgets.Layout(width="max-content", max_width="100%", margin="2px 0"),
        )
        button.add_class("gancourse-quiz-option")
        button.on_click(lambda _: self.check(index))
        return button

    @property
    def feedback(self) -> str:
        """Return the feedback on the last answer ("" before the first)."""
        return self._feedback

    def _on_typed(self, change: dict) -> None:
        """Check a typed number as soon as it arrives (Enter, or leaving the box)."""
        if str(change["new"]).strip():
            self.check()

    def check(self, response: Any = None) -> bool:
        """Check ``response`` and show the feedback; return True if it is right.

        ``response`` is an option's index or text (multiple choice) or a number or its text
        (numeric); by default, what is typed in the box (numeric). The same response
        checked twice in a row (Enter, then "Check") counts as one attempt.
        """
        if self.options is not None:
            correct, text = self._check_option(response)
        else:
            response = self.number_box.value if response is None else response
            correct, text = self._check_number(response)
        if correct is not None and response != self._last_response:
            self.attempts += 1
            self._last_response = response
        self._set_feedback(text, correct)
        return bool(correct)

    def _check_option(self, response: Any) -> tuple[bool | None, str]:
        """Return (right or wrong or None if nothing chosen, feedback) for an option."""
        if response is None:
            return None, "Press one of the options."
        index = response if isinstance(response, int) else self.options.index(response)
        self.chosen = index
        specific = self.explanations.get(index, "")
        correct = index == self.answer
        for i, button in enumerate(self.option_buttons):
            style, mark = OPTION_STYLES[correct] if i == index else ("", "")
            button.button_style = style
            button.description = f"{mark} {option_label(i, self.options[i])}".strip()
        if correct:
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
        mark = {True: "✓ ", False: "✗ "}.get(correct, "")
        colour = FEEDBACK_COLORS[correct]
        self.feedback_label.value = html_text(mark + text, style=f"color:{colour}") if text else ""

    def answer_text(self) -> str:
        """Return the answer in words, with the explanation."""
        if self.options is not None:
            answer = option_label(self.answer, self.options[self.answer])
        else:
            answer = f"{self.answer:g} (within ±{self.tolerance:g})"
        return " ".join(filter(None, [f"Answer: {answer}.", self.explanation]))

    def snapshot(self) -> tuple[bytes | None, str]:
        """Return (no PNG, the question and options, then the answer further down)."""
        lines = [f"Quiz: {self.question}"]
        if self.options is not None:
            lines += [f"  {option_label(i, option)}" for i, option in enumerate(self.options)]
        else:
            lines.append("  (a number)")
        lines += [""] * ANSWER_GAP + [self.answer_text()]
        return None, "\n".join(lines)
