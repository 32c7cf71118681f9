"""What cannot be a lesson, refused before ``tomllib`` reads it.

``tomllib`` recurses once per nested array or inline table (``given = [[[...]]]`` 500 deep,
a kilobyte, raises ``RecursionError``) and slows down with the square of a dotted key's
parts (a 40 KB ``x.x.x...`` key took 46 s and 1.6 GB). A lesson nests a few levels and its
keys have a part or two, so a quick scan outside strings and comments refuses far more
than any lesson needs, in time linear in the file.
"""

from __future__ import annotations

#: Arrays and inline tables inside each other (a table header ``[[page]]`` counts 2).
MAX_DEPTH = 16
#: Parts of one dotted key (``a.b.c`` has 3), counted as dots between separators.
MAX_KEY_PARTS = 16

_OPEN, _CLOSE = "[{", "]}"
#: Characters that end a key or a value: dots are counted between them.
_SEPARATORS = frozenset("=,\n[]{}")


def toml_bomb(text: str) -> str:
    """Why ``text`` cannot be a lesson (too deep, a key of too many parts), or ''.

        >>> toml_bomb('a.b = [[1], {c = 2.5}]'), toml_bomb('x = ' + '[' * 20)
        ('', 'arrays or tables nested more than 16 deep (line 1)')
    """
    depth = dots = 0
    line = 1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            end = _string_end(text, i)
            line += text.count("\n", i, end)
            i = end
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in _SEPARATORS:
            dots = 0
            if ch == "\n":
                line += 1
            elif ch in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    return f"arrays or tables nested more than {MAX_DEPTH} deep (line {line})"
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
        elif ch == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                return f"a dotted key of more than {MAX_KEY_PARTS} parts (line {line})"
        i += 1
    return ""


def _string_end(text: str, start: int) -> int:
    """The index just after the string that starts at ``start`` (basic or literal, one line
    or multi-line); the end of the text if it never closes (tomllib then says so)."""
    quote = text[start]
    triple = text.startswith(quote * 3, start)
    closing = quote * 3 if triple else quote
    i = start + len(closing)
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and quote == '"':
            i += 2
            continue
        if not triple and ch == "\n":
            return i  # an unclosed one-line string: tomllib reports it
        if text.startswith(closing, i):
            i += len(closing)
            while triple and i < n and text[i] == quote:  # """a"""" ends with a quote inside
                i += 1
            return i
        i += 1
    return n
