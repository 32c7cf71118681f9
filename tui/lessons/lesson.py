"""A lesson: a small TOML file of text, a graph, and what each page asks the learner to do.

Lessons are data, not code, so a teacher adds one by writing a file (the format is in the
README's "Lessons" section and in ``01-derivative.toml``). ``load_lesson`` reads and checks
one, with errors that name the file and the page; ``bundled_lessons`` lists the ones that
come with the app, in order.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from micrograd.expr import ExprError, Program, evaluate
from micrograd.files import NotAFileError, TooLargeError, read_capped
from micrograd.fmt import has_control
from micrograd.nn import parameter_count
from micrograd.presets import mlp
from micrograd.train import TrainConfig
from micrograd.value import Value, topological_order
from tui.lessons.goals import Goal, GoalError, names_in
from tui.lessons.toml_guard import toml_bomb

#: The lessons that come with the app: every ``*.toml`` file in this folder, by file name.
LESSON_FOLDER = Path(__file__).parent
#: A lesson file larger than this is refused: lessons are a few pages of text.
MAX_LESSON_BYTES = 200_000
#: The keys of a [training] table: TrainConfig's fields.
TRAINING_KEYS = frozenset(f.name for f in dataclasses.fields(TrainConfig))
#: A lesson's graph is read box by box; these keep it (and the loading of the list) small.
MAX_LESSON_NODES = 5_000
MAX_LESSON_PARAMETERS = 1_000

_TOP_KEYS = {"title", "summary", "program", "mlp", "training", "quiz", "checks", "given", "page"}
_PAGE_KEYS = {"text", "do", "select", "view"}
#: What a page's ``view`` may show as it opens: the network view, or the graph at a zoom.
PAGE_VIEWS = ("network", "graph", "full", "compact", "overview", "fit")
_MLP_KEYS = {"sizes", "seed", "inputs", "target", "loss", "activation"}


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Page:
    """One screenful of a lesson: its text, and optionally a goal, a node to select and a
    view to show (``network``, or the graph at a zoom level)."""

    text: str
    goal: Goal | None = None
    select: str = ""
    view: str = ""


@dataclass
class Lesson:
    """A lesson as read from its file (``key`` is the file's name without ``.toml``)."""

    key: str
    title: str
    summary: str
    pages: list[Page]
    path: Path
    #: The explorer's graph: a program's text, or an MLP preset's options.
    program: str = ""
    mlp: dict = field(default_factory=dict)
    #: Options of the training screen (``TrainConfig``'s fields): the lesson is shown there.
    training: dict | None = None
    quiz: bool = False
    #: Claims about numbers the text quotes (``a.grad = 6.0``), checked against the engine.
    checks: list[str] = field(default_factory=list)
    #: Numbers the text uses that are not results (a step size, a count): not checked.
    given: list[str] = field(default_factory=list)

    @property
    def has_graph(self) -> bool:
        """Whether the lesson opens a graph in the explorer (a training lesson may not)."""
        return bool(self.program or self.mlp)

    def build(self) -> Program:
        """A fresh copy of the lesson's graph (each opening starts from its own values)."""
        if self.mlp:
            options = dict(self.mlp)
            if "sizes" in options:
                options["sizes"] = list(options["sizes"])
            program = mlp(**options)
        else:
            program = evaluate(self.program, filename=self.path.name)
        program.title = self.title
        return program

    def train_config(self) -> TrainConfig:
        options = dict(self.training or {})
        unknown = sorted(set(options) - TRAINING_KEYS)
        if unknown:  # TrainConfig would say 'unexpected keyword argument'
            raise ValueError(f"unknown key {unknown[0]!r} (keys: "
                             f"{', '.join(sorted(TRAINING_KEYS))})")
        if "sizes" in options:
            options["sizes"] = tuple(options["sizes"])
        return TrainConfig(**options)


def load_lesson(path: str | Path) -> Lesson:
    """Read and check one lesson file, or raise LessonError (file, page, what)."""
    path = Path(path)
    where = path.name
    try:
        # A regular file only (a FIFO would block, /dev/zero never ends), counted as read.
        text = read_capped(path, MAX_LESSON_BYTES).decode("utf-8")
    except TooLargeError:
        raise LessonError(f"{where}: a lesson file is at most {MAX_LESSON_BYTES:,} "
                          "bytes") from None
    except NotAFileError:
        raise LessonError(f"{where}: not a lesson file (a device, a FIFO or a folder); give "
                          "a .toml file") from None
    except OSError as error:
        raise LessonError(f"{where}: cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise LessonError(f"{where}: not UTF-8 text") from None
    bomb = toml_bomb(text)
    if bomb:
        raise LessonError(f"{where}: not a lesson: {bomb}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"{where}: not valid TOML: {error}") from None
    except RecursionError:  # the guard's limits should make this unreachable
        raise LessonError(f"{where}: not a lesson: nested too deep") from None
    return _lesson(path, data)


def bundled_lessons(folder: Path = LESSON_FOLDER) -> list[Lesson]:
    """Every lesson in ``folder``, in file-name order (``01-...``, ``02-...``).

    Unlike ``readable_lessons`` (what the app and ``learn`` use: a broken file is reported and
    the rest offered), a broken file raises here: kept for the tests and the README's checks,
    where a broken bundled lesson is a bug to stop at."""
    return [load_lesson(path) for path in sorted(folder.glob("*.toml"))]


# --- reading the file ---------------------------------------------------------------------


def _lesson(path: Path, data: dict) -> Lesson:
    where = path.name
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise LessonError(f"{where}: unknown key {sorted(unknown)[0]!r} "
                          f"(keys: {', '.join(sorted(_TOP_KEYS))})")
    title = _string(data, "title", where, required=True)
    summary = _string(data, "summary", where)
    program = _string(data, "program", where)
    options = data.get("mlp", {})
    training = data.get("training")
    if not isinstance(options, dict) or (training is not None and not isinstance(training, dict)):
        raise LessonError(f"{where}: 'mlp' and 'training' are tables ([mlp], [training])")
    if program and options:
        raise LessonError(f"{where}: give the graph as 'program' (text) or as an [mlp] table, "
                          "not both")
    if not program and not options and training is None:
        raise LessonError(f"{where}: no graph: give a 'program' (text) or an [mlp] table "
                          "(a [training] lesson may go without)")
    for table, keys in (("mlp", options), ("training", training or {})):
        strays = sorted(set(keys) & _TOP_KEYS)
        if strays:
            raise LessonError(f"{where}: {strays[0]!r} is inside the [{table}] table: in TOML "
                              f"a key after [{table}] belongs to it, so put {strays[0]!r} "
                              f"above the table")
    if set(options) - _MLP_KEYS:
        raise LessonError(f"{where}: unknown [mlp] key {sorted(set(options) - _MLP_KEYS)[0]!r} "
                          f"(keys: {', '.join(sorted(_MLP_KEYS))})")
    lesson = Lesson(
        key=path.stem, title=title, summary=summary, pages=[], path=path, program=program,
        mlp=options, training=training, quiz=_flag(data, "quiz", where),
        checks=_strings(data, "checks", where), given=_strings(data, "given", where),
    )
    if options and isinstance(options.get("sizes"), list):
        sizes = options["sizes"]
        if all(type(n) is int and n > 0 for n in sizes) and len(sizes) >= 2 and (
                parameter_count(sizes) > MAX_LESSON_PARAMETERS):
            raise LessonError(f"{where}: [mlp]: {parameter_count(sizes):,} parameters; a "
                              f"lesson's network has at most {MAX_LESSON_PARAMETERS:,}")
    try:
        graph = lesson.build() if lesson.has_graph else None
    except ExprError as error:
        raise LessonError(f"{where}: program, line {error.line}, col {error.col}: "
                          f"{error.message}") from None
    except (TypeError, ValueError, ArithmeticError) as error:
        raise LessonError(f"{where}: the graph cannot be built: {error}") from None
    names = {} if graph is None else names_in(graph.output)
    if graph is not None and len(topological_order(graph.output)) > MAX_LESSON_NODES:
        raise LessonError(f"{where}: the graph has more than {MAX_LESSON_NODES:,} nodes; a "
                          "lesson's graph is read box by box, so keep it small")
    if training is not None:
        try:
            lesson.train_config().check()
        except (TypeError, ValueError) as error:
            raise LessonError(f"{where}: [training]: {error}") from None
    pages = data.get("page")
    if not isinstance(pages, list) or not pages:
        raise LessonError(f"{where}: no pages: each page is a [[page]] table with a 'text'")
    lesson.pages = [_page(page, f"{where}: page {k}", names, training is not None)
                    for k, page in enumerate(pages, start=1)]
    return lesson


def _page(data: object, where: str, names: dict[str, Value], training: bool) -> Page:
    if not isinstance(data, dict):
        raise LessonError(f"{where}: a page is a table with a 'text'")
    unknown = set(data) - _PAGE_KEYS
    if unknown:
        raise LessonError(f"{where}: unknown key {sorted(unknown)[0]!r} "
                          f"(keys: {', '.join(sorted(_PAGE_KEYS))})")
    text = _string(data, "text", where, required=True).strip()
    goal = None
    if "do" in data:
        try:
            goal = Goal.parse(_string(data, "do", where))
            goal.check_names(names)
        except GoalError as error:
            raise LessonError(f"{where}: do: {error}") from None
        if goal.on_training_screen and not training:
            raise LessonError(f"{where}: do: {goal.kind!r} happens on the training screen; "
                              "the lesson needs a [training] table")
    select = _string(data, "select", where)
    if select and select not in names:
        raise LessonError(f"{where}: select: no node named {select!r} in the lesson's graph")
    view = _string(data, "view", where)
    if view and view not in PAGE_VIEWS:
        raise LessonError(f"{where}: view: {view!r} is not a view ({', '.join(PAGE_VIEWS)})")
    return Page(text=text, goal=goal, select=select, view=view)


def _string(data: dict, key: str, where: str, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise LessonError(f"{where}: {key!r} must be text, got {type(value).__name__}")
    if required and not value.strip():
        raise LessonError(f"{where}: {key!r} is missing")
    if has_control(value):
        raise LessonError(f"{where}: {key!r} holds a control character")
    return value


def _strings(data: dict, key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LessonError(f"{where}: {key!r} must be a list of strings")
    return value


def _flag(data: dict, key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise LessonError(f"{where}: {key!r} must be true or false")
    return value


def readable_lessons(folder: Path = LESSON_FOLDER) -> tuple[list[Lesson], list[str]]:
    """The lessons in ``folder`` that can be read, and a line for each that cannot: the app
    offers the good ones and says what is wrong with the rest."""
    lessons, problems = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            lessons.append(load_lesson(path))
        except LessonError as error:
            problems.append(str(error))
    return lessons, problems
