"""``explore(L)``: the explorer on a graph built in the learner's own Python script.

The video builds its graphs in Python; this opens one of them in the terminal without
writing it to a file first. Textual loads only when ``explore`` is called, so ``import tui``
stays cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from micrograd.nn import Module
from micrograd.presets import copied_program
from micrograd.value import Value

if TYPE_CHECKING:
    from tui.notebook.widget import Explorer

#: What ``explore`` says where it cannot draw (a notebook, output into a pipe).
NEEDS_A_TERMINAL = (
    "explore() needs a terminal to draw in, and this is not one (nor a notebook): draw_dot(L) "
    "shows the graph; to step through it, save it with "
    "open('L.json', 'w').write(to_json(L)) (from micrograd.export import to_json) and run "
    "micrograd-tui L.json in a terminal"
)


def explore(
    graph: Value | Module,
    x: Sequence[float | Value] | None = None,
    target: float | Sequence[float] | None = None,
    *,
    loss: str = "mse",
    title: str = "",
) -> Explorer | None:
    """Open the explorer on ``graph`` and return when the learner quits (``q``); in a
    notebook, return the explorer as a widget (``tui.notebook.Explorer``) to show.

    ``graph`` is the output Value of a graph built in Python (``explore(L)``), or an ``nn``
    Module (a Neuron, Layer or MLP) with an input ``x`` and, optionally, a ``target``: the
    explorer then shows the loss graph of that one sample (``loss`` is ``'mse'`` or ``'sse'``).

    The explorer works on a copy made when it opens, at the start of the timeline (grads at
    0, nothing stepped yet): the learner's own Values are left exactly as they were, grads
    included, whatever is stepped or nudged in the explorer.

    In a Jupyter kernel it returns the notebook widget on the copy; without the widget's
    extra it prints the line that installs it. Elsewhere without a terminal (a pipe) it says
    so on standard error and returns. Raises ``RuntimeError`` if the app fails,
    ``TypeError``/``ValueError`` for arguments it cannot use.
    """
    program = copied_program(graph, x, target, loss, title)
    if not (_is_terminal(sys.stdout) and _is_terminal(sys.stdin)):
        if in_kernel():  # Jupyter: the widget, shown as the cell's value
            from tui.notebook import INSTALL, MissingExtraError

            try:
                from tui.notebook import Explorer
            except MissingExtraError:
                print(f"explore() in a notebook needs the notebook extra: {INSTALL}, then "
                      "restart the kernel (draw_dot(L) shows the graph meanwhile)",
                      file=sys.stderr)
                return None
            return Explorer.of_program(program)
        # A pipe: say what to do instead, without a traceback.
        print(NEEDS_A_TERMINAL, file=sys.stderr)
        return None
    from tui.app import ExplorerApp  # Textual loads only now

    app = ExplorerApp(program)
    app.run()
    if app.return_code:
        error = app.crash
        raise RuntimeError(
            f"the explorer failed: {type(error).__name__}: {error}" if error is not None
            else "the explorer failed"
        )


def in_kernel() -> bool:
    """Whether this runs inside an IPython kernel (Jupyter, VS Code's notebooks): the only
    place a widget can show. IPython is imported by the kernel, never by us."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if get is not None else None
    return getattr(shell, "kernel", None) is not None


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False
