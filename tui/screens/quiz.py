"""The quiz: before a backward step is shown, the learner types each operand's new grad."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from micrograd.fmt import fmt_number
from micrograd.quiz import Question, read_answer


class QuizScreen(ModalScreen[dict[str, float] | None]):
    """One input per operand; enter checks the answers, escape goes back without a step.

    It sits at the bottom, over the step log, so the graph with the numbers a learner
    needs for the answer stays in view."""

    # tab and shift+tab cycle between the answers only (with one answer, tab stays on it):
    # the scrolling box may not take the focus, where typing was lost and enter did nothing.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "next_answer(1)", "Next answer", show=False, priority=True),
        Binding("shift+tab", "next_answer(-1)", "Previous answer", show=False, priority=True),
        Binding("enter", "check", "Check", show=False),
    ]

    def __init__(self, asked: Question) -> None:
        super().__init__()
        self.asked = asked

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False) as box:
            box.border_title = f"Quiz · step {self.asked.position}"
            yield Static(Content(self.asked.prompt), id="quiz-prompt")
            for k, ask in enumerate(self.asked.asks):
                with Horizontal():
                    yield Label(Content(f"{ask.name}.grad (now {fmt_number(ask.before)}) ="))
                    yield Input(placeholder="a number, or arithmetic like -3 * -2",
                                id=f"quiz-answer-{k}", compact=True)
            yield Static("", id="quiz-error")
            yield Static("enter checks · tab moves between answers · escape: no step",
                         id="quiz-hint")

    def on_mount(self) -> None:
        self.query_one("#quiz-answer-0", Input).focus()

    def action_next_answer(self, delta: int) -> None:
        """The next (or previous) answer, round; the only one stays focused."""
        inputs = list(self.query(Input))
        now = self.focused
        k = inputs.index(now) if now in inputs else -delta
        inputs[(k + delta) % len(inputs)].focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    def action_check(self) -> None:
        """Enter, wherever the focus is: on to the next empty answer, or check them all."""
        inputs = list(self.query(Input))
        for ask, field in zip(self.asked.asks, inputs, strict=True):
            if not field.value.strip():
                field.focus()
                self.query_one("#quiz-error", Static).update(
                    Content(f"now {ask.name}.grad (enter checks when all are filled)"))
                return
        answers: dict[str, float] = {}
        for ask, field in zip(self.asked.asks, inputs, strict=True):
            try:
                answers[ask.name] = read_answer(field.value)
            except ValueError as error:
                self.query_one("#quiz-error", Static).update(
                    Content(f"{ask.name}.grad: {error}"))
                field.focus()
                return
        self.dismiss(answers)

    def action_cancel(self) -> None:
        self.dismiss(None)
