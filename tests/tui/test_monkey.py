"""The chaos run: seeded random keys, typing and resizes against the explorer, failing on any
exception. A short run is part of the suite; a long one is run by hand, with other seeds:

    MONKEY_ACTIONS=5000 MONKEY_SEED=7 uv run pytest tests/tui/test_monkey.py -q

Each graph gets its own seed, printed on failure, so a failing run can be replayed.
"""

from __future__ import annotations

import os
import random

import pytest

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.keys import (
    APP_BINDINGS,
    CANVAS,
    STEP_LOG,
)

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

#: Every key a binding names, plus the keys of the screens and dialogs; not quit (q), which
#: would end the run early (quitting is tested on its own).
QUIT = {"q", "ctrl+q"}
BOUND = sorted({key for binding in [*APP_BINDINGS, *CANVAS, *STEP_LOG]
                for key in binding.key.split(",")} - QUIT)
SPECIAL = ["enter", "escape", "tab", "shift+tab", "backspace", "up", "down", "left", "right",
           "home", "end", "pageup", "pagedown", "ctrl+p", "ctrl+b", "ctrl+r", "ctrl+s",
           "space", "delete"]
PRINTABLE = list("abcdefghijklmnoprstuvwxyz0123456789 +-*/=.()[]{}#?")
SNIPPETS = ["x = 1", "1/0", "-3 * -2", "tanhh(x)", "a = ", "\x1b[2J", "[$error]x",
            "9**9**9", "log(-1)", "L0.N0", "#3", "__import__('os')"]


def random_action(rng: random.Random) -> tuple[str, object]:
    roll = rng.random()
    if roll < 0.45:
        return "key", rng.choice(BOUND)
    if roll < 0.65:
        return "key", rng.choice(SPECIAL)
    if roll < 0.8:
        return "key", rng.choice(PRINTABLE)
    if roll < 0.9:
        return "type", rng.choice(SNIPPETS)
    if rng.random() < 0.5:  # mostly usable sizes, sometimes absurd ones
        return "resize", (rng.randint(1, 300), rng.randint(1, 100))
    return "resize", (rng.randint(60, 160), rng.randint(20, 50))


@pytest.mark.parametrize("name", list(GRAPHS))
async def test_monkey(name: str, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # ctrl+s screenshots and exports land here
    seed = SEED + list(GRAPHS).index(name)
    rng = random.Random(seed)
    app = ExplorerApp(GRAPHS[name]())
    done: list[tuple[str, object]] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(ACTIONS):
                kind, what = random_action(rng)
                done.append((kind, what))
                if kind == "resize":
                    await pilot.resize_terminal(*what)  # type: ignore[misc]
                elif kind == "type":
                    keys = [c if c.isprintable() else "escape" for c in str(what)]
                    await pilot.press(*[k for k in keys if k != "q"])
                else:
                    await pilot.press(str(what))
                if not app.is_running:
                    break  # q quit it: a fine end, start no more
    except Exception as error:
        raise AssertionError(f"{name}, seed {seed}: {type(error).__name__}: {error}; "
                             f"last actions {done[-8:]}") from error
    assert app.crash is None, f"{name}, seed {seed}: {app.crash!r}; last actions {done[-8:]}"
