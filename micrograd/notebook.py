"""What a notebook of the video brings besides its graph, and what the reader says about it.

The expression reader (``micrograd.expr``) takes the Python a learner pastes from the
lecture notebooks without running it. Those cells also hold boilerplate (``import math``,
``%matplotlib inline``), lines that only display a value (``1 - o.data**2``) and the
notebook's own engine (``class Value:``). This module holds the tables and the words: which
lines are skipped and why, and what to do instead when a cell cannot be read. Every skipped
line is reported (``Skipped``), so nothing is silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BACKWARD_BY_HAND", "DISPLAY_LINE", "GRAD_BY_HAND", "MAGIC_LINE", "NETWORK_HINT",
    "PRINT_LINE", "SKIPPED_IMPORTS", "TORCH_HINT", "Skipped", "is_network", "keyword_hint",
    "skipped_summary",
]

_BUILT_IN = "Value and its ops are built in"
_BOILERPLATE = "a notebook's boilerplate; nothing in the file is run"

#: Modules whose imports are skipped, and why: nothing in the file is run, so a module is
#: never needed. Any other import is refused.
SKIPPED_IMPORTS: dict[str, str] = {
    "micrograd": _BUILT_IN,
    "tui": _BUILT_IN,
    "math": _BOILERPLATE,
    "random": _BOILERPLATE,
    "numpy": _BOILERPLATE,
    "matplotlib": _BOILERPLATE,
    "graphviz": "the explorer draws the graph itself; nothing in the file is run",
}

DISPLAY_LINE = "a display line: its value is not used"
PRINT_LINE = "the explorer shows every value"
GRAD_BY_HAND = "the explorer computes every grad itself"
BACKWARD_BY_HAND = "the explorer steps backward itself"
MAGIC_LINE = "a notebook command, not Python"
#: The lecture checks its grads against PyTorch in a cell of its own.
TORCH_HINT = (
    "PyTorch cells are not read here (nothing in the file is run): delete that cell; "
    "micrograd-tui's grads are the ones PyTorch checks"
)

#: Where to go for what a graph file cannot hold: a network, its lists and its loops.
NETWORK_HINT = (
    "for a network, open one with micrograd-tui --preset mlp --sizes 3,4,4,1, press m for the "
    "builder, or call explore(model, x, target) from Python"
)

_OWN_VALUE = (
    "this file defines its own Value; delete that cell: micrograd-tui uses its own engine, "
    "which behaves the same"
)
# Functions the lecture notebook writes for its own engine and drawing (and any dunder).
_ENGINE_FUNCTIONS = frozenset({
    "trace", "draw_dot", "build_topo", "backward", "_backward", "tanh", "exp", "relu",
})
_NETWORK_CLASSES = frozenset({"Module", "Neuron", "Layer", "MLP"})


def keyword_hint(keyword: str, name: str) -> str | None:
    """What to do about ``class Value``, ``def trace``, ``class MLP`` or a loop (``name`` is the
    word after the keyword), or ``None`` when the keyword has no special advice.

        >>> keyword_hint('class', 'Value')[:36]
        'this file defines its own Value; del'
        >>> keyword_hint('class', 'C') is None
        True
    """
    if keyword == "class" and name == "Value":
        return _OWN_VALUE
    if keyword == "def" and (name in _ENGINE_FUNCTIONS or name.startswith("__")):
        return (f"this file defines its own engine ({name}); delete that cell: micrograd-tui "
                "uses its own engine, which behaves the same")
    if keyword == "class" and name in _NETWORK_CLASSES:
        return f"this file defines its own {name}; delete that cell: {NETWORK_HINT}"
    if keyword in ("for", "while"):
        return f"loops are not run here; {NETWORK_HINT}"
    return None


def is_network(name: str) -> bool:
    """Whether ``name(...)`` makes a network of ``micrograd.nn`` (refused with a hint)."""
    return name in _NETWORK_CLASSES


@dataclass(frozen=True, slots=True)
class Skipped:
    """A statement read but not used (an import, a print, a display line), and why."""

    line: int
    col: int
    #: The statement as written (cut to 60 characters).
    text: str
    why: str

    def __str__(self) -> str:
        return f"line {self.line}: skipped {self.text} ({self.why})"


def skipped_summary(skipped: list[Skipped], limit: int = 10) -> str:
    """One short line naming the skipped lines, runs of them as ranges, for a status line
    (the command line lists each one with its text and why).

        >>> skipped_summary([Skipped(n, 1, 'x', 'y') for n in (1, 2, 3, 7, 9, 10)])
        'skipped, not run: lines 1-3, 7, 9-10'
        >>> skipped_summary([Skipped(4, 1, 'x', 'y'), Skipped(4, 9, 'z', 'y')])
        'skipped, not run: line 4'
    """
    lines = sorted({s.line for s in skipped})
    if not lines:
        return ""
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:limit]]
    more = ", ..." if len(runs) > limit else ""
    return f"skipped, not run: line{'s' if len(lines) > 1 else ''} {', '.join(shown)}{more}"
