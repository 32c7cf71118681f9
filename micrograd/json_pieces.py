"""JSON decoded a piece at a time, so that a big file does not freeze the other threads.

``json.loads`` is C code that holds the interpreter lock for the whole call: seconds for a
graph of a million nodes, during which no other thread runs (the explorer's screen cannot
even read the ``q`` that quits). ``loads_in_pieces`` returns the same value, but decodes a
top-level object a member at a time and a member's array in pieces of about 64 KB, each a
short call of the same C decoder; between them Python hands the lock to any thread
waiting for it. It costs about a tenth more time than one call. Why not a streaming parser
(ijson and the like): one more dependency, and slower than the C decoder it would replace.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
#: About how many characters one decoder call reads: a millisecond's work.
PIECE = 65_536


def loads_in_pieces(text: str) -> Any:
    """What ``json.loads(text)`` returns, decoded in pieces; the same ``JSONDecodeError``
    (message, line and column) for malformed text.

        >>> loads_in_pieces('{"nodes": [{"id": 0}, {"id": 1}], "graph": {"root": 1}}')
        {'nodes': [{'id': 0}, {'id': 1}], 'graph': {'root': 1}}
        >>> loads_in_pieces(' [1, 2] ')
        [1, 2]
        >>> loads_in_pieces('{"a": [1 2]}')
        Traceback (most recent call last):
        ...
        json.decoder.JSONDecodeError: Expecting ',' delimiter: line 1 column 10 (char 9)
    """
    if not isinstance(text, str):  # bytes: json.loads works out their encoding
        return json.loads(text)
    try:
        return _object_in_pieces(text)
    except _NotAnObject:
        return json.loads(text)
    except json.JSONDecodeError:
        # Malformed somewhere: let the one-call decoder find the same fault, so the message,
        # line and column are exactly json's.
        json.loads(text)
        raise  # json.loads accepted what the pieces refused: a bug here, not in the text


class _NotAnObject(Exception):
    """The text is not a JSON object: nothing to split, decode it whole."""


def _object_in_pieces(text: str) -> dict[str, Any]:
    at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("{", at):
        raise _NotAnObject
    result: dict[str, Any] = {}
    at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith("}", at):
        return _only_space_after(text, at + 1, result)
    while True:
        if not text.startswith('"', at):
            raise json.JSONDecodeError("Expecting property name", text, at)
        key, at = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if not text.startswith(":", at):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        if text.startswith("[", at):
            result[key], at = _array_in_pieces(text, at)
        else:
            result[key], at = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith("}", at):
            return _only_space_after(text, at + 1, result)
        if not text.startswith(",", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]


def _array_in_pieces(text: str, at: int) -> tuple[list[Any], int]:
    """The array starting at ``text[at]`` (a ``[``), decoded in pieces of about
    ``PIECE`` characters; and where it ends.

    A piece is whole lines (a newline in valid JSON is always space between values): when
    it holds whole elements ending in a comma, one decoder call reads them all (``iter_json``
    writes an element a line). Otherwise (the array's last piece, an element over several
    lines) the piece is read an element per call."""
    items: list[Any] = []
    append = items.append
    scan = _DECODER.scan_once
    space = _SPACE.match
    at = space(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", at):
        return items, at + 1
    while True:
        end = text.find("\n", at + PIECE)
        piece = text[at:end].rstrip() if end > 0 else ""
        if piece.endswith(","):
            try:
                items.extend(_DECODER.decode("[" + piece[:-1] + "]"))
            except json.JSONDecodeError:
                pass
            else:
                at = space(text, end).end()  # type: ignore[union-attr]
                continue
        stop = end if end > 0 else len(text)
        while at <= stop:
            try:
                item, at = scan(text, at)
            except StopIteration as failed:
                raise json.JSONDecodeError("Expecting value", text, failed.value) from None
            append(item)
            at = space(text, at).end()  # type: ignore[union-attr]
            mark = text[at:at + 1]
            if mark == "]":
                return items, at + 1
            if mark != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
            at = space(text, at + 1).end()  # type: ignore[union-attr]


def _only_space_after(text: str, at: int, result: dict[str, Any]) -> dict[str, Any]:
    if _SPACE.match(text, at).end() != len(text):  # type: ignore[union-attr]
        raise json.JSONDecodeError("Extra data", text, at)
    return result
