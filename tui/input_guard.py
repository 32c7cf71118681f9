"""The terminal's input, survived whatever bytes arrive.

Textual 8.2.8's drivers decode input as strict UTF-8 and hand it to ``XTermParser``: a byte
that is not UTF-8 (``\\x80``) or an escape sequence with an absurd parameter
(``ESC[9999999999u`` asks for ``chr(9999999999)``) raises in the input thread. The Linux
driver then panics (the app ends, status 0, no message); the web driver's input thread dies
and the tab stops answering. Over ssh and in a browser such bytes happen.

``install()`` swaps, in the drivers' modules, the decoder for one that replaces bad bytes
with U+FFFD and the parser for ``ForgivingParser``, which drops a sequence it cannot parse
and starts afresh. Private names of Textual (the drivers' module globals ``XTermParser`` and
``getincrementaldecoder``, the parser's ``_gen``/``_awaiting``): ``tests/tui/
test_input_guard.py`` feeds the bytes through the real driver code, so an upgrade that moves
them fails there. What still escapes is a crash, reported as one (``ExplorerApp.panic``).

It also guards two Textual faults that batched input (two clicks in one read) reaches: a
second dismiss of a screen, and a click on a notification as it goes (see ``install``).
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable, Iterable
from typing import Any

from textual._parser import ParseError, Read1
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.screen import Screen


class ForgivingParser(XTermParser):
    """Textual's parser, restarted (the bad sequence dropped) when a sequence makes it
    raise anything but its own end-of-input errors; what follows is read as usual."""

    def feed(self, data: str) -> Iterable[Message]:
        """Textual's ``Parser.feed`` (8.2.8), with a parse that raises dropping only the
        character that made it raise: the keys after it in the same read still count."""
        if self._eof or not data:
            yield from super().feed(data)
            return
        tokens = self._tokens
        while tokens:
            yield tokens.popleft()
        pos, size = 0, len(data)
        while pos < size:
            awaiting = self._awaiting
            self._timeout_time = None
            try:
                self._awaiting = self._gen.send(data[pos])
            except ParseError:
                raise
            except Exception:
                self._restart()
                pos += 1
                continue
            if isinstance(awaiting, Read1):  # a Peek1 looks at the character again
                pos += 1
            if self._awaiting.timeout is not None:
                self._timeout_time = get_time() + self._awaiting.timeout
            while tokens:
                yield tokens.popleft()

    def tick(self) -> Iterable[Message]:
        try:
            yield from super().tick()
        except ParseError:
            raise
        except Exception:
            self._restart()

    def _restart(self) -> None:
        self._gen = self.parse(self._tokens.append)
        self._awaiting = next(self._gen)
        self._timeout_time = None


def _lenient_decoder(encoding: str) -> Callable[..., Any]:
    """``codecs.getincrementaldecoder``, with bad bytes replaced instead of raising."""
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")


def _dismiss_once(dismiss: Callable[..., AwaitComplete]) -> Callable[..., AwaitComplete]:
    """``Screen.dismiss``, ignored for a screen that is no longer on top. Two clicks read in
    one batch of input (ssh, a browser) select an option twice, and each dismisses: Textual
    8.2.8 then pops the screen below (``ScreenStackError: Can't pop screen`` from the command
    palette, the lessons list)."""

    @functools.wraps(dismiss)
    def guarded(self: Screen, result: object = None) -> AwaitComplete:
        try:
            on_top = self.app.screen is self
        except Exception:  # no app, or an empty stack: the app is closing
            on_top = False
        if not on_top:
            return AwaitComplete.nothing()
        return dismiss(self, result)

    guarded.guarded = True  # type: ignore[attr-defined]
    return guarded


def install() -> None:
    """Use the forgiving parser and the lenient decoder in every driver that reads input;
    dismiss a screen only while it is on top; and make notifications unselectable: a mouse
    down on a toast that is vanishing found it detached and crashed Textual 8.2.8's text
    selection (``AttributeError: 'NoneType' object has no attribute 'region'``,
    ``Screen._forward_event``). Calling it again changes nothing."""
    import importlib

    from textual.widgets._toast import Toast

    Toast.ALLOW_SELECT = False  # a toast's text is never worth selecting
    if not getattr(Screen.dismiss, "guarded", False):
        Screen.dismiss = _dismiss_once(Screen.dismiss)  # type: ignore[method-assign]

    for name in ("linux_driver", "linux_inline_driver", "web_driver"):
        try:
            module = importlib.import_module(f"textual.drivers.{name}")
        except ImportError:  # Windows has no termios: its driver reads input another way
            continue
        module.XTermParser = ForgivingParser  # type: ignore[attr-defined]
        module.getincrementaldecoder = _lenient_decoder  # type: ignore[attr-defined]
