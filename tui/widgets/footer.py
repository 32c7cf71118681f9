"""The key bar at the bottom of a screen: Textual's ``Footer``, rebuilt only when the keys it
shows change.

Textual's footer rebuilds its keys whenever the screen's bindings *may* have changed: each
focus move (twice: the blur and the focus), each box opened or closed. A rebuild mounts a
widget per key and styles each one, about 70 ms of CPU on the explorer's 8 keys (measured with
``run_test`` on the classic neuron: closing a box cost 100-110 ms of CPU, 35 ms without the
rebuild). Most of those moves leave the same keys shown, so this footer compares what it would
show with what it shows and rebuilds only on a difference.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


def shown_keys(screen: Screen) -> list[tuple[Any, ...]]:
    """What a footer on ``screen`` draws from: every active binding by key, whether it is
    enabled, and its tooltip (all of them, hidden ones too, so no change can be missed)."""
    return [(key, binding, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()]


class Footer(TextualFooter):
    """Textual's footer, without the rebuilds that would draw the same keys again."""

    _shown: list[tuple[Any, ...]] | None = None

    def compose(self) -> ComposeResult:
        composed = False
        for child in super().compose():  # yielded one by one: Textual groups some keys
            composed = True
            yield child
        # Nothing is composed before the screen's bindings are ready (nor read: before
        # then, reading them can find the App's screen stack still empty).
        if composed:
            self._shown = shown_keys(self.screen)

    async def recompose(self) -> None:
        """Rebuild as Textual's footer does, unless the keys to show are the ones shown. (The
        footer asks for this after the bindings may have changed, once the screen has been
        refreshed, so the comparison reads the screen as it has settled.)"""
        if self._shown is not None and self.is_attached and shown_keys(self.screen) == self._shown:
            return
        await super().recompose()
