"""The App: a thin shell around two modes, the explorer and the training screen.

``explore`` is the explorer (``tui/screens/explorer.py``: one graph's timeline); ``train`` is
the training screen (``tui/screens/train.py``), added when a run starts and kept while the
explorer shows one of its samples, so ``T`` finds it as it was. Each mode has its own stack
of boxes (help, details, the editor...). The App keeps what spans them: the lessons (one
``LessonEvent`` handler), the keys every screen has (help, quit, the palette), the
too-small cover, the theme, and how the app ends (a crash, a load that failed).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import partial

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from micrograd.expr import Program
from micrograd.train import TrainConfig, Trainer
from tui import input_guard
from tui.commands import BugsProvider, ExamplesProvider, NodesProvider, SafeCommandPalette
from tui.keys import APP_BINDINGS, help_text, key_label
from tui.lesson_guide import LessonGuide
from tui.lessons.goals import Event
from tui.lessons.tour import Tour
from tui.loading import Progress
from tui.messages import LessonEvent, OpenFailed
from tui.screens.explorer import ExplorerScreen
from tui.screens.help import HelpScreen
from tui.screens.too_small import TooSmallScreen, too_small
from tui.screens.train import TrainScreen
from tui.settings import follow_theme
from tui.theme import lesson_variables

#: The palette lists every key of the screen it is opened on, but these.
NOT_IN_THE_PALETTE = frozenset({"command_palette", "app.command_palette", "app.focus_next",
                                "app.focus_previous"})


class ExplorerApp(App[None]):
    """``micrograd-tui``: step through the forward and backward pass of one graph."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-height"), (18, "-short"), (32, "-tall")]
    TITLE = "micrograd-tui"
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {ExamplesProvider, NodesProvider, BugsProvider}
    DEFAULT_MODE = "explore"
    #: Remember a theme picked in the palette (``tui.settings``): the command line turns it
    #: on; tests leave it off, so one test's theme is not the next one's.
    remember_theme = False

    def __init__(self, program: Program | None = None, *,
                 loader: Callable[[Progress], Program] | None = None, title: str = "",
                 trainer: Trainer | None = None, tour: Tour | None = None,
                 lesson: int | None = None) -> None:
        """Explore ``program``; or, for a program that takes long to build, the one
        ``loader`` builds (in a worker, with progress shown; ``title`` names it meanwhile).
        A big graph is opened in a worker too. With a ``trainer`` the training screen opens
        first, on it (``micrograd-tui train``). With a ``tour`` (``micrograd-tui learn``) the
        lesson list opens first, or lesson number ``lesson`` (0 for the first)."""
        super().__init__()
        input_guard.install()  # bad bytes on the terminal's input are dropped, not fatal
        self.explorer = ExplorerScreen(program, loader=loader, title=title)
        self.add_mode("explore", lambda: self.explorer)
        self.guide = LessonGuide(self, tour)
        self._learn_first = tour is not None
        self._first_lesson = lesson
        #: The training screen (the ``train`` mode), once a run has started.
        self.training: TrainScreen | None = None
        self._train_first = trainer
        self._cover: TooSmallScreen | None = None
        #: The unexpected error that ended the app, if one did (the command line says it).
        self.crash: Exception | None = None
        #: Why a program given by a loader could not be opened (the app then exits with 2).
        self.load_error = ""

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The lesson's colours (``$this-step``, ``$just-changed``...) in the current theme."""
        return lesson_variables(self.current_theme)

    def on_mount(self) -> None:
        if self.remember_theme:
            follow_theme(self)
        if self._train_first is not None:
            self.show_training(self._train_first)
            self._train_first = None
        self.check_size()
        if self._learn_first:
            self._learn_first = False
            if self._first_lesson is None:
                self.guide.show_list()
            else:
                self.guide.open_lesson(self._first_lesson)

    # --- the training screen -------------------------------------------------------------

    def action_train(self) -> None:
        """The training screen: where it was left, or a new run of classic micrograd's demo."""
        self.explorer.autoplay = False
        self.show_training(None if self.training is not None else Trainer(TrainConfig()))

    def show_training(self, trainer: Trainer | None) -> None:
        """Switch to the training screen, a new one on ``trainer`` if given (the old run's
        screen goes)."""
        if trainer is not None:
            if self.training is not None:
                self.switch_mode("explore")
                self.remove_mode("train")
            self.training = training = TrainScreen(trainer)
            self.add_mode("train", lambda: training)
        self.switch_mode("train")

    def open_sample(self, program: Program) -> None:
        """Show one training sample's loss graph (from the training screen's ``enter``)."""
        self.switch_mode("explore")
        self.explorer.load_program(program, keep_lesson=True)
        self.explorer.say(f"{program.title} · T: back to training", timeout=4)
        self.explorer.tell_lesson(Event("sample"))

    # --- lessons -------------------------------------------------------------------------

    def action_lessons(self) -> None:
        self.guide.show_list()

    def action_lesson_page(self, delta: int) -> None:
        self.guide.turn(delta)

    def on_lesson_event(self, message: LessonEvent) -> None:
        """What the learner did, on either screen: the lesson's one way in."""
        self.guide.saw(message.event, message.stepper)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n and p turn pages only while a lesson is open and no box is over it; otherwise
        they go on to the timeline's binding, or to the box."""
        if action == "lesson_page":
            return self.guide.in_lesson and self.screen is self.screen_stack[0]
        return True

    # --- the whole app ---------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        # The handler runs before Textual's own, which is what updates ``self.size``.
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int | None = None, height: int | None = None) -> None:
        """A terminal too small for the widgets gets a message instead (``TooSmallScreen``,
        a box over everything that lets only ``q`` through)."""
        width = self.size.width if width is None else width
        height = self.size.height if height is None else height
        small = too_small(width, height)
        showing = self._cover is not None and self._cover.is_current
        if small and not showing:
            self._cover = TooSmallScreen()
            self.push_screen(self._cover)
        elif not small and showing:
            self.pop_screen()
            self._cover = None
            # The screens below did not follow the resizes while covered: lay them out anew.
            for screen in self.screen_stack:
                screen.refresh(layout=True)
            self.call_after_refresh(self.refresh, repaint=True, layout=True)

    def on_open_failed(self, message: OpenFailed) -> None:
        """A program given on the command line that does not build: the app ends, and the
        command line says why in one line (status 2), as for a small one."""
        self.load_error = message.error
        self.exit(return_code=2)

    async def run_async(self, **kwargs) -> None:  # type: ignore[override]
        """Run the app; quitting while a big graph is still loading ends the process at
        once. The loader thread cannot be stopped (a long C call may be running in it), and
        Python would wait for it to finish, seconds at a million nodes, before exiting;
        the screen is restored by then and nothing is left to save."""
        result = await super().run_async(**kwargs)
        if self.explorer.loader_running and not self.return_code and not self.load_error:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        return result

    async def on_event(self, event: events.Event) -> None:
        """Input (keys, the mouse, a paste) that arrives after the last screen has gone (a
        click that quit, then more in the same read) is dropped: Textual 8.2.8 would
        forward it to no screen and raise ``ScreenStackError``."""
        if isinstance(event, (events.InputEvent, events.Paste)) and not self.screen_stack:
            return
        await super().on_event(event)

    def panic(self, *renderables: RenderableType) -> None:
        """A panic ends the app as a crash does: status 1, the one-line report and the
        crash file (Textual's panic leaves the return code at 0, and the command line's
        error console would have kept its traceback unsaid)."""
        if self.crash is None:
            self.crash = RuntimeError("the app panicked (its input or output failed)")
        self._return_code = 1  # private in Textual 8.2; test_input_guard.py checks it
        super().panic(*renderables)

    def _handle_exception(self, error: Exception) -> None:
        """Keep the error that is about to end the app, so the command line can name it in
        one line. (A private hook of Textual 8.2; tests/tui/test_hardening.py checks it is
        still called.)"""
        self.crash = error
        super()._handle_exception(error)

    def action_help(self) -> None:
        if self.current_mode == "train":
            first = "On the training screen"
        else:
            first = "Lessons" if self.guide.in_lesson else ""
        self.push_screen(HelpScreen(first=first))

    # --- the command palette ---------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's command palette, made safe on short terminals (``SafeCommandPalette``)."""
        if self.use_command_palette and not SafeCommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, then a command for each key of the screen the palette was
        opened on, and of the App; the page keys only while a lesson is open."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for target, bindings in ((screen, screen.BINDINGS), (self, self.BINDINGS)):
            for binding in bindings:
                if not isinstance(binding, Binding) or binding.action in NOT_IN_THE_PALETTE:
                    continue
                name = binding.id or binding.action
                if name in seen or ("lesson_page" in binding.action
                                    and not self.guide.in_lesson):
                    continue
                seen.add(name)
                yield SystemCommand(
                    help_text(binding),
                    f"key: {key_label(binding.key)}",
                    partial(target.run_action, binding.action),
                )
