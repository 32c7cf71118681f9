"""The chaos run: seeded random keys, typing, resizes, and raw terminal input (SGR mouse
clicks, single and double, on the command palette and on a notification; bracketed paste;
bytes that are not UTF-8 and absurd escape sequences) against the explorer, the training
screen and a lesson, failing on any exception and on any exit no key asked for. A short
run is part of the suite; a long one is ``bench/monkey.py`` (or by hand, with other seeds):

    MONKEY_ACTIONS=5000 MONKEY_SEED=7 uv run pytest tests/tui/test_monkey.py -q

Each graph gets its own seed, printed on failure, so a failing run can be replayed.
"""

from __future__ import annotations

import os
import random

import pytest

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron, mlp
from micrograd.train import TrainConfig
from tui.app import ExplorerApp
from tui.input_guard import ForgivingParser
from tui.keys import (
    CANVAS,
    EXPLORER_BINDINGS,
    STEP_LOG,
)
from tui.lessons.lesson import bundled_lessons
from tui.lessons.progress import LessonProgress
from tui.lessons.tour import Tour
from tui.train_app import train_app

#: Actions per graph in the suite (about 6 s each); the environment variables make a long
#: run and choose other seeds.
ACTIONS = int(os.environ.get("MONKEY_ACTIONS", "50"))
SEED = int(os.environ.get("MONKEY_SEED", "1000"))

GRAPHS = {
    "classic neuron": classic_neuron,
    "reuse": lambda: evaluate("a = 3.0\nb = a + a\nc = b * b + a"),
    # exp overflows once x is nudged up; 1/x divides by zero once x is nudged to 0
    "overflow": lambda: evaluate("x = 709.7\ny = exp(x)"),
    "zero division": lambda: evaluate("x = 0.01\nw = 2.0\ny = w / x"),
    "mlp": lambda: mlp([2, 4, 1], seed=1, target=1.0),
    "hostile": lambda: evaluate("# T\x1b]0;PWNED\x07 [$error]X [b]bold\na = 1.0\nb = a * 2"),
}


def _lesson_app() -> ExplorerApp:
    lessons = bundled_lessons()
    return ExplorerApp(lessons[0].build(), tour=Tour(lessons, LessonProgress.load()), lesson=0)


#: Apps that open on another screen than the explorer.
APPS = {
    "training": lambda: train_app(TrainConfig(samples=20, sizes=(2, 4, 1), steps=10_000)),
    "lesson": _lesson_app,
}

#: Every key a binding names, plus the keys of the screens and dialogs; not quit (q), which
#: would end the run early (quitting is tested on its own).
QUIT = {"q", "ctrl+q"}
BOUND = sorted({key for binding in [*EXPLORER_BINDINGS, *CANVAS, *STEP_LOG]
                for key in binding.key.split(",")} - QUIT)
SPECIAL = ["enter", "escape", "tab", "shift+tab", "backspace", "up", "down", "left", "right",
           "home", "end", "pageup", "pagedown", "ctrl+p", "ctrl+b", "ctrl+r", "ctrl+s",
           "space", "delete"]
PRINTABLE = list("abcdefghijklmnoprstuvwxyz0123456789 +-*/=.()[]{}#?")
SNIPPETS = ["x = 1", "1/0", "-3 * -2", "tanhh(x)", "a = ", "\x1b[2J", "[$error]x",
            "9**9**9", "log(-1)", "L0.N0", "#3", "__import__('os')"]


GARBAGE = [b"\x80", b"\xff\xfe", b"\x1b[999999999999999999A", b"\x1b[9999999999u",
           b"\x1b[1114112u", b"\x1b[<0;99999999999;1M", b"\x1b[", b"\x1b]0;x\x07",
           b"\x1b[?1049h", b"\x1b[200~"]


def _click(x: int, y: int, times: int) -> bytes:
    """SGR mouse: press and release at column x, row y (0-based), ``times`` in one read."""
    return (f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m" * times).encode()


def random_action(rng: random.Random) -> tuple[str, object]:
    roll = rng.random()
    if roll < 0.40:
        return "key", rng.choice(BOUND)
    if roll < 0.55:
        return "key", rng.choice(SPECIAL)
    if roll < 0.67:
        return "key", rng.choice(PRINTABLE)
    if roll < 0.74:
        return "type", rng.choice(SNIPPETS)
    if roll < 0.90:
        return rng.choice(["click", "click", "palette clicks", "toast click", "paste",
                           "garbage"]), rng.randint(0, 1 << 30)
    if rng.random() < 0.5:  # mostly usable sizes, sometimes absurd ones
        return "resize", (rng.randint(1, 300), rng.randint(1, 100))
    return "resize", (rng.randint(60, 160), rng.randint(20, 50))


async def feed(app: ExplorerApp, parser: ForgivingParser, data: bytes) -> None:
    """Raw bytes as the terminal would send them in one read: decoded and parsed as the
    real drivers do (with the guard), and handed to the driver (which makes clicks of
    presses and releases)."""
    for event in parser.feed(data.decode("utf-8", "replace")):
        app._driver.process_message(event)  # private: the headless driver has no reader


async def act(app: ExplorerApp, pilot, parser: ForgivingParser, rng: random.Random,
              kind: str, what: object) -> None:
    width, height = app.size
    if kind == "resize":
        await pilot.resize_terminal(*what)  # type: ignore[misc]
    elif kind == "type":
        keys = [c if c.isprintable() else "escape" for c in str(what)]
        await pilot.press(*[k for k in keys if k != "q"])
    elif kind == "key":
        await pilot.press(str(what))
    elif kind == "click":
        await feed(app, parser, _click(rng.randrange(max(1, width)),
                                       rng.randrange(max(1, height)), rng.choice([1, 2])))
    elif kind == "palette clicks":  # open it, then two clicks in one read (13 of 15 crashed)
        await pilot.press("ctrl+p")
        await pilot.pause()
        x, y = rng.randrange(max(1, width)), rng.randrange(min(max(1, height), 6))
        await feed(app, parser, _click(x, y, 2) + _click(x, y + 1, 1))
    elif kind == "toast click":  # a notification clicked as it goes
        app.notify("monkey", timeout=rng.choice([0.01, 0.05, 0.2]))
        await pilot.pause(rng.choice([0, 0.01, 0.05, 0.2]))
        await feed(app, parser, _click(max(0, width - rng.randint(2, 20)),
                                       max(0, height - rng.randint(2, 5)), rng.choice([1, 2])))
    elif kind == "paste":
        await feed(app, parser, b"\x1b[200~" + rng.choice(SNIPPETS).encode() + b"\x1b[201~")
    elif kind == "garbage":
        junk = rng.choice(GARBAGE) + bytes(rng.randrange(256) for _ in range(rng.randint(0, 6)))
        await feed(app, parser, junk.replace(b"q", b"").replace(b"\x11", b""))
        await feed(app, parser, b"\x1b")  # end an escape sequence the junk left open
        await pilot.pause(0.06)  # the parser's escape timeout


async def monkey(app: ExplorerApp, name: str, seed: int, actions: int) -> None:
    """``actions`` random actions on ``app``: an exception, a crash or an exit that no key
    asked for fails, naming the seed and the last actions."""
    rng = random.Random(seed)
    parser = ForgivingParser()
    done: list[tuple[str, object]] = []
    asked: list[object] = []  # exits asked for (a click on the footer's quit)
    exit_ = app.exit
    app.exit = lambda *args, **kwargs: (asked.append(args), exit_(*args, **kwargs))[1]
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(actions):
                kind, what = random_action(rng)
                done.append((kind, what))
                await act(app, pilot, parser, rng, kind, what)
                if not app.is_running:
                    break
    except Exception as error:
        raise AssertionError(f"{name}, seed {seed}: {type(error).__name__}: {error}; "
                             f"last actions {done[-8:]}") from error
    assert app.crash is None, f"{name}, seed {seed}: {app.crash!r}; last actions {done[-8:]}"
    if len(done) < actions and not asked:  # no quit key is pressed: a silent exit
        raise AssertionError(f"{name}, seed {seed}: the app exited after {len(done)} "
                             f"actions; last actions {done[-8:]}")


@pytest.mark.slow
@pytest.mark.parametrize("name", [*GRAPHS, *APPS])
async def test_monkey(name: str, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # ctrl+s screenshots and exports land here
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # lesson progress
    seed = SEED + [*GRAPHS, *APPS].index(name)
    app = APPS[name]() if name in APPS else ExplorerApp(GRAPHS[name]())
    await monkey(app, name, seed, ACTIONS)
