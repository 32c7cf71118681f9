"""How numbers are written in formulas, tables and exports: short, and the same everywhere."""

from __future__ import annotations

import math
import re


def fmt_number(x: float, digits: int = 4) -> str:
    """A float for people: ``2.0``, ``-6.0``, ``0.7071``, ``1.5e-07``, ``inf``, ``nan``.

    Whole numbers keep one decimal (``2.0``) so they still read as floats, as in the
    classic micrograd drawings; the rest get ``digits`` significant digits. (Exports call
    this for every number of a big graph, hence the cheap checks first.)
    """
    if type(x) is not float:
        x = float(x)
    if x == 0:
        return "0.0"  # also for -0.0: a learner would only wonder where the sign came from
    if x.is_integer():
        if -1e15 < x < 1e15:
            return f"{x:.1f}"
    elif x != x or x == math.inf or x == -math.inf:
        return repr(x)  # nan, inf, -inf
    text = f"{x:.{digits}g}"
    # Never round a number that is not whole to one that is: 0.9999844 is "0.99998", not
    # "1.0" (up to 12 digits; past that it is 1.0 for every purpose here).
    while "." not in text and "e" not in text and digits < 12:
        digits += 1
        text = f"{x:.{digits}g}"
    return text if ("." in text or "e" in text) else text + ".0"


def fmt_sci(x: float) -> str:
    """A small step or tolerance: ``1e-4`` rather than Python's ``0.0001`` or ``1e-04``.

    >>> fmt_sci(1e-6), fmt_sci(0.0001)
    ('1e-6', '1e-4')
    """
    if not math.isfinite(x):
        return repr(x)
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def fmt_rate(rate: float) -> str:
    """A learning rate as a person wrote it: 12 significant digits, so the last bits of
    ``1.0 - 0.9*k/100`` do not show (``0.109``). Round-trips any rate typed with fewer.

    >>> fmt_rate(1.0 - 0.9 * 99 / 100), fmt_rate(1.0), fmt_rate(1 / 3)
    ('0.109', '1.0', '0.333333333333')
    """
    text = f"{rate:.12g}"
    return text if any(c in text for c in ".en") else text + ".0"

def fmt_error(x: float) -> str:
    """A relative or absolute error: small ones in scientific notation (``2.1e-10``), large
    ones plainly (``0.5``), none as a dash.

    >>> fmt_error(2.13e-10), fmt_error(0.5), fmt_error(0.0), fmt_error(float('nan'))
    ('2.1e-10', '0.5', '0', '—')
    """
    if math.isnan(x):
        return "—"
    if x == 0:
        return "0"
    if 0.01 <= x < 100:
        text = f"{x:.2g}"
        return text if "." in text else text + ".0"
    return f"{x:.1e}"


# C0 controls but tab and newline, DEL, and C1 controls: what a terminal obeys instead of
# showing. ESC (0x1b) is among them: it starts every escape sequence.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ … ␛ … ␟
    return "␡" if code == 0x7F else "\ufffd"  # DEL; a C1 control has no picture


def visible(text: str) -> str:
    """``text`` with control characters shown, not obeyed: ESC as ``␛``, the other C0
    controls as their pictures (``␀``, ``␍``), DEL as ``␡``, C1 controls as ``�``; tab and
    newline stay. One character for one, so columns still line up.

    User text (a comment, a label, a file name) goes through this before it reaches a
    terminal, so ``\\x1b]0;title\\x07`` cannot retitle the window or set the clipboard.

        >>> visible("# T\\x1b]0;PWNED\\x07 x")
        '# T␛]0;PWNED␇ x'
        >>> visible("tab\\tand\\nnewline")
        'tab\\tand\\nnewline'
    """
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_picture, text)


# What breaks a one-line name out of its box: besides the controls, tab, newline and
# carriage return, the Unicode line and paragraph separators (U+2028, U+2029), and the
# bidirectional overrides and isolates, which reorder what follows them on the line.
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                            "\u2066-\u2069]")


def _line_picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code in (0x2028, 0x2029):
        return "\u2424"  # ␤, the symbol for newline
    if code < 0x20 or code == 0x7F:
        return _picture(match)
    return "\ufffd"


def visible_label(text: str) -> str:
    """A name or a title, on one line: like ``visible``, and tab, newline and the Unicode
    line separators shown too (``␉``, ``␊``, ``␤``), so a label from a JSON file cannot
    draw outside its box or panel.

        >>> visible_label("a\\tb\\nc\\u2028d\\x1b")
        'a␉b␊c␤d␛'
    """
    if _LINE_BREAKING.search(text) is None:
        return text
    return _LINE_BREAKING.sub(_line_picture, text)


def has_control(text: str) -> bool:
    """Whether ``visible(text)`` would change anything."""
    return _CONTROL.search(text) is not None
