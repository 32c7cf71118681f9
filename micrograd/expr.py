"""The expression language: text -> computation graph, parsed safely.

A program is a list of statements ``name = expression``, one a line or separated by ``;``.
``#`` starts a comment. The last statement is the output::

    # the classic neuron
    x1 = 2.0; x2 = 0.0
    w1 = -3.0; w2 = 1.0
    b = 6.8813735870195432
    n = x1*w1 + x2*w2 + b
    o = tanh(n)

    >>> program = evaluate("a = 2.0; b = -3.0; d = a*b + 1")
    >>> program.output.data, program.output.label
    (-5.0, 'd')

The rules, and why:

- ``name = 2.0`` (a number, optionally signed) makes a leaf of kind ``'input'`` labeled
  ``name``. ``name = <expression>`` labels the node the expression makes.
- ``c = a`` is an error: it makes no new node, and a node has one label (so is ``a = b = 1``).
- ``x1, x2 = 1.0, a * 2`` binds several names: every value is made before any name is
  bound, as in Python; the counts must match.
- ``c += x`` (and ``-= *= /= **=``) makes a new node ``c + x``, which ``c`` names from then on.
- A name may be bound again, as in Python: later statements read the new node, and the
  earlier node keeps its place in the graph under the name ``c@3`` (the line that bound
  it; ``c@3:9`` when one line binds ``c`` twice), so the graph never shows two ``c``.
- A line that only shows a value (``1 - o.data**2``, ``o``) is read, checked and skipped;
  so are the imports of a notebook (``import math``): each is listed in ``Program.skipped``.
- Numbers inside an expression become constant nodes (``a + 1``); a sign on a number folds
  into it (``a * -3`` multiplies by the constant -3), while ``-a`` makes a ``neg`` node.
- Operators ``+ - * / **`` and unary ``- +`` follow Python: ``**`` is right-associative and
  binds tighter than unary minus (``-x**2 == -(x**2)``).
- Functions (``micrograd.ops.FUNCTIONS``) are written ``tanh(x)`` or ``x.tanh()``.
- Names are ASCII letters, digits and ``_``. A statement ends at the end of its line.

The text is parsed, never executed: the tokenizer and parser below are the only things
that read it, and they accept nothing but the grammar above. The parser is the
shunting-yard algorithm (two explicit stacks, no recursion), so its time is linear in the
text and deep nesting cannot overflow Python's stack. Limits keep the work bounded: the text
(``MAX_SOURCE_BYTES``), open parentheses (``MAX_NESTING``) and nodes (``MAX_NODES``).

Every problem is an ``ExprError`` with a 1-based line and column (columns count
characters; a tab is one). When a program has several problems, the first one in reading
order is reported.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from micrograd.errors import MathError, describe_operands
from micrograd.fmt import visible
from micrograd.notebook import (
    BACKWARD_BY_HAND,
    DISPLAY_LINE,
    GRAD_BY_HAND,
    MAGIC_LINE,
    NETWORK_HINT,
    PRINT_LINE,
    SKIPPED_IMPORTS,
    TORCH_HINT,
    Skipped,
    is_network,
    keyword_hint,
)
from micrograd.ops import FUNCTIONS, OPS
from micrograd.value import INPUT, Value, constant, topological_order

__all__ = [
    "MAX_NESTING", "MAX_NODES", "MAX_SOURCE_BYTES", "ExprError", "Program", "Skipped", "Token",
    "evaluate", "tokenize",
]

#: The largest program: 1,000,000 bytes of UTF-8 (for ASCII text, that many characters).
MAX_SOURCE_BYTES = 1_000_000
#: The most parentheses (including a function call's) open at once.
MAX_NESTING = 200
#: The most nodes one program may create (leaves, constants and ops together).
MAX_NODES = 1_000_000
#: How many defined names an "unknown name" message lists.
_LIST_NAMES = 10


# --- errors ------------------------------------------------------------------------------


class ExprError(ValueError):
    """A problem in an expression program, at a 1-based ``line`` and ``col``.

    ``str(error)`` is ``'line 3, col 9: unknown name ...'``; ``error.located()`` is the
    compiler-style ``'neuron.txt:3:9: unknown name ...'`` a command line prints.
    """

    def __init__(
        self, line: int, col: int, message: str, *, filename: str | None = None, text: str = ""
    ) -> None:
        super().__init__(line, col, message)
        self.line = line
        self.col = col
        self.message = message
        self.filename = filename
        #: The source line the error is on, for showing it with a caret.
        self.text = text

    def __str__(self) -> str:
        return f"line {self.line}, col {self.col}: {self.message}"

    def located(self) -> str:
        """``FILE:LINE:COL: message``, with ``<expr>`` when there is no file name."""
        return f"{self.filename or '<expr>'}:{self.line}:{self.col}: {self.message}"

    def caret(self) -> str:
        """The source line and a ``^`` under the column (empty without the line)."""
        if not self.text:
            return ""
        return f"{self.text}\n{' ' * (self.col - 1)}^"


# --- tokens ------------------------------------------------------------------------------

NUMBER, NAME, OP, STRING, NEWLINE, EOF, ERROR, MAGIC = (
    "number", "name", "op", "string", "newline", "eof", "error", "magic"
)
#: The longest label a string may give.
MAX_LABEL = 100


@dataclass(slots=True)
class Token:
    """One piece of the text. For an ``ERROR`` token, ``text`` is the error message."""

    kind: str
    text: str
    line: int
    col: int


_TOKEN = re.compile(
    r"""
      (?P<space>[ \t\f]+)
    | (?P<comment>\#[^\n]*)
    | (?P<newline>\n)
    | (?P<magic>(?m:^)%[^\n]*)
    | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\*\*=?|[-+*/]=?|[()=.,;])
    | (?P<string>'[^'\n]*'?|"[^"\n]*"?)
    | (?P<bad>.)
    """,
    re.VERBOSE | re.ASCII | re.DOTALL,
)

_BAD_CHARACTERS = {
    "[": f"lists and subscripts ([...]) are not understood here; {NETWORK_HINT}",
    "]": f"lists and subscripts ([...]) are not understood here; {NETWORK_HINT}",
    "^": "unexpected '^': for a power write a**b",
    ":": "unexpected ':' (a statement is just name = expression)",
    "\\": "unexpected '\\': a statement must fit on one line",
    "%": "unexpected '%' (the operators are + - * / **)",
}


def _bad_character(char: str) -> str:
    if char in _BAD_CHARACTERS:
        return _BAD_CHARACTERS[char]
    if not char.isprintable() or char.isspace():
        return f"unexpected character U+{ord(char):04X}"
    if char.isalpha():
        return f"unexpected character {char!r} (names use ASCII letters, digits and _)"
    return f"unexpected character {char!r}"


def _string_problem(text: str) -> str:
    """Why a quoted string cannot be a label, or ``''``: labels are short plain text."""
    if len(text) < 2 or text[-1] != text[0]:
        return f"unclosed string: a label ends with the quote it starts with ({text[0]})"
    if "\\" in text:
        return "a label cannot use backslash escapes: write the text itself"
    if not text[1:-1].isprintable():
        return "a label cannot contain control characters"
    if len(text) - 2 > MAX_LABEL:
        return f"the label is too long ({len(text) - 2} characters; at most {MAX_LABEL})"
    return ""


def _normalize(source: str) -> str:
    """Line ends as ``\\n`` only, and no byte-order mark, so columns match an editor's."""
    return source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def tokenize(source: str) -> Iterator[Token]:
    """The tokens of ``source``, ending with ``EOF``; a bad character gives an ``ERROR`` token.

    A ``NEWLINE`` (and the final ``EOF``) sits just past the last token of its line, so an
    error at the end of a line points right after the text, not after a comment.
    """
    source = _normalize(source)
    line, line_start, end_col = 1, 0, 1
    for found in _TOKEN.finditer(source):
        kind = found.lastgroup
        if kind == "space" or kind == "comment":
            continue
        col = found.start() - line_start + 1
        if kind == "newline":
            yield Token(NEWLINE, "\n", line, end_col)
            line, line_start, end_col = line + 1, found.end(), 1
        elif kind == "bad":
            yield Token(ERROR, _bad_character(found.group()), line, col)
            break
        elif kind == "string":
            text = found.group()
            problem = _string_problem(text)
            if problem:
                yield Token(ERROR, problem, line, col)
                break
            yield Token(STRING, text[1:-1], line, col)
            end_col = col + len(text)
        else:
            text = found.group()
            yield Token(kind, text, line, col)  # type: ignore[arg-type]
            end_col = col + len(text)
    yield Token(EOF, "", line, end_col)


# --- the program -------------------------------------------------------------------------


@dataclass
class Program:
    """A built graph: its output node, every named node, and where it came from.

    ``names`` maps each statement's name to its node, in definition order. ``source`` is
    the text (empty for presets built in Python, like ``presets.mlp``).
    """

    output: Value
    names: dict[str, Value]
    source: str
    title: str
    #: Statements read and not used (imports, prints, display lines), each with why.
    skipped: list[Skipped] = field(default_factory=list)

    @classmethod
    def of_graph(cls, output: Value, title: str) -> Program:
        """A program for a graph built in Python (a preset, a JSON file, ``explore(L)``):
        each label names its first node in topological order, and ``source`` is ``''``.

            >>> a = Value(2.0, label='a'); b = a * 3; b.label = 'b'
            >>> list(Program.of_graph(b, 'b').names)
            ['a', 'b']
        """
        names: dict[str, Value] = {}
        for node in topological_order(output):
            if node.label:
                names.setdefault(node.label, node)
        return cls(output=output, names=names, source="", title=title)

    def unused_names(self, order: list[Value] | None = None) -> list[str]:
        """The names the output does not depend on, in definition order: a program that
        defines ``w3`` and never uses it probably meant to. ``order`` is the output's
        topological order, if it is at hand.

            >>> evaluate("a = 1; b = 2; c = a * 3").unused_names()
            ['b']
        """
        reachable = set(topological_order(self.output) if order is None else order)
        return [name for name, node in self.names.items() if node not in reachable]

    def unused_warning(self, order: list[Value] | None = None) -> str:
        """One line about the unused names, or ``''`` when every name is used."""
        unused = self.unused_names(order)
        if not unused:
            return ""
        shown = ", ".join(unused[:8]) + (", ..." if len(unused) > 8 else "")
        which = "is" if len(unused) == 1 else "are"
        return (f"{shown} {which} not used by the output {self.output.label or 'node'} "
                "(only the last statement's graph is shown)")


# --- the parser ----------------------------------------------------------------------------

#: What an error about something outside the language adds for Python text.
PYTHON_HINT = (
    "this text is read, not run: it may use Value(...), arithmetic, methods like .tanh(), "
    "x.label = '...' and x.backward()"
)
# Python words that begin what this reader does not run: loops, functions, classes...
_PYTHON_KEYWORDS = frozenset({
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "exec", "finally", "for", "global", "if", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    "None", "True", "False",
})
# Calls that say which node is the graph to show (the video draws with draw_dot).
_MARKS_OUTPUT = ("draw_dot", "explore")
_IMPORT_PUNCTUATION = (".", ",", "*", "(", ")")
_MISPLACED_STRING = (
    "a string can only be a label here: Value(2.0, label='a') or a.label = 'a'"
)
# Text that looks like the video's Python: errors then say what this reader understands.
_LOOKS_LIKE_PYTHON = re.compile(
    r"\bValue\s*\(|^[ \t]*(?:from|import)[ \t]|\.label\s*=|\.backward\s*\(", re.MULTILINE
)

# Augmented assignments and the operator each one applies.
_AUGMENTED = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "**=": "**"}
# Binary operators and how tightly they bind; unary minus and plus sit between * and **.
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}
_UNARY_PRECEDENCE = 3
_END = (NEWLINE, EOF)


class _Literal:
    """A number not yet made into a node: a sign can still fold into it, and a statement
    that is only a number makes an input leaf instead of a constant."""

    __slots__ = ("value", "line", "col")

    def __init__(self, value: float, line: int, col: int) -> None:
        self.value, self.line, self.col = value, line, col


@dataclass(slots=True)
class _Pending:
    """An entry on the operator stack: a unary or binary operator, ``(`` or ``f(``."""

    kind: str  # 'unary', 'binary', 'paren' or 'call'
    token: Token  # the operator, the '(' or the function's name
    opening: Token | None = None  # a call's '('


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_function(name: str, *, method: bool = False) -> str:
    what = "method" if method else "function"
    close = _suggest(name, FUNCTIONS)
    if close:
        return f"unknown {what} {name!r} (did you mean {close!r}?)"
    return f"unknown {what} {name!r} ({what}s: {', '.join(FUNCTIONS)})"


class _Parser:
    """Reads statements with the shunting-yard algorithm and hands each piece to the builder.

    The parser knows the syntax; ``_GraphBuilder`` knows names, math and the node limit and
    makes the Values. The parser itself never recurses and never evaluates text.
    """

    def __init__(self, source: str, builder: _GraphBuilder) -> None:
        self.builder: _GraphBuilder | _DryBuilder = builder
        self.error = builder.error
        self.lines = builder.lines
        self.tokens = tokenize(source)
        #: Tokens read ahead and not yet consumed (a statement's kind shows in its first four).
        self.ahead: list[Token] = []
        #: The last token consumed: after a statement, the end that closed it.
        self.last = Token(NEWLINE, "\n", 1, 1)
        #: The token an expression stopped at: its statement's end or a ','.
        self.stopped = self.last
        #: The first token of the display line being read (``.data`` and ``.grad`` may be
        #: read then), or None.
        self.display: Token | None = None

    # --- tokens ---------------------------------------------------------------------------

    def peek(self, k: int = 0) -> Token:
        """The token ``k`` places ahead, not consumed (``EOF`` forever at the end)."""
        ahead = self.ahead
        while len(ahead) <= k:  # past EOF (which stays in ``ahead``), EOF again
            ahead.append(next(self.tokens, None) or ahead[-1])
        return ahead[k]

    def advance(self) -> Token:
        """The next token (``EOF`` forever at the end); a bad character raises here."""
        ahead = self.ahead
        if ahead:
            token = ahead[0]
            if token.kind != EOF:
                del ahead[0]
        else:  # the common case, kept short: a million tokens pass here
            token = next(self.tokens)
            if token.kind == EOF:
                ahead.append(token)
        if token.kind == ERROR:
            raise self.unsupported(token, token.text)
        self.last = token
        return token

    def is_op(self, token: Token, *texts: str) -> bool:
        return token.kind == OP and token.text in texts

    def at_end(self, token: Token) -> bool:
        return token.kind in _END or self.is_op(token, ";")

    def assigns(self, token: Token) -> bool:
        """Whether ``token`` is ``=`` or an augmented ``+=``, ``**=``..."""
        return token.kind == OP and (token.text == "=" or token.text in _AUGMENTED)

    # --- statements ---------------------------------------------------------------------

    def program(self) -> None:
        while True:
            token = self.advance()
            if token.kind == EOF:
                break
            if self.at_end(token):
                continue
            if token.kind == NAME and token.text in ("import", "from"):
                self.import_line(token)
            elif token.kind == MAGIC:
                self.skipped(token, MAGIC_LINE)
            else:
                self.statement(token)
        if not self.builder.current:
            raise self.error(
                1, 1, "the program is empty: write at least one statement, e.g. a = 2.0"
            )

    def unsupported(self, token: Token, message: str) -> ExprError:
        """An error for something outside the language; for Python text it adds what this
        reader understands, since the learner may expect the file to be run."""
        if self.builder.python:
            message += f"; {PYTHON_HINT}"
        return self.error(token.line, token.col, message)

    def skipped(self, first: Token, why: str) -> None:
        """Note a statement read and not used, from ``first`` to the end just consumed."""
        line = self.lines[first.line - 1] if first.line <= len(self.lines) else ""
        end = self.last.col - 1 if self.last.line == first.line else len(line)
        text = line[first.col - 1 : end].strip() or first.text
        if len(text) > 60:
            text = text[:57] + "..."
        self.builder.skipped.append(Skipped(first.line, first.col, text, why))

    def statement(self, first: Token) -> None:
        """One statement: what its first tokens are says which kind (nothing is built until
        the kind is known, so a display line never makes a node)."""
        if first.kind != NAME:
            if first.kind == NUMBER or self.is_op(first, "(", "-", "+"):
                self.display_line(first)
                return
            raise self.unsupported(
                first, f"a statement starts with a name, as in a = 2.0; found {first.text!r}"
            )
        if first.text in _PYTHON_KEYWORDS:
            hint = keyword_hint(first.text, self.peek().text)
            if hint is not None:
                raise self.error(first.line, first.col, hint)
            raise self.unsupported(first, f"{first.text!r} is not understood here")
        after = self.peek()
        if self.at_end(after) and self.builder.is_defined(first.text):
            self.advance()  # a notebook cell's last line, `d`, shows a value: nothing to build
            self.skipped(first, DISPLAY_LINE)
        elif self.is_op(after, "=", ","):
            self.assignment(self.targets(first))
        elif after.kind == OP and after.text in _AUGMENTED:
            self.augmented(first)
        elif self.is_op(after, "."):
            attribute, following = self.peek(1), self.peek(2)
            reads = attribute.text in ("data", "grad", "label") and not self.assigns(following)
            calls = attribute.text in FUNCTIONS and self.is_op(following, "(")
            if attribute.kind == NAME and (reads or calls):
                kept = (f" (to keep it, write y = {first.text}.{attribute.text}())"
                        if calls else "")
                self.display_line(first, DISPLAY_LINE + kept)
            else:
                self.advance()
                self.attribute_statement(first)
        elif self.is_op(after, "("):
            self.call_statement(first)
        elif after.kind == OP and after.text in _PRECEDENCE:
            self.display_line(first)
        else:
            found = "the end of the line" if after.kind in _END else repr(after.text)
            raise self.error(
                after.line, after.col,
                f"expected '=' after the name {first.text!r}, found {found}"
                " (every statement is name = expression)",
            )

    def targets(self, first: Token) -> list[Token]:
        """The names before ``=``: ``a`` or ``x1, x2``; each one may be bound again."""
        targets = [first]
        while self.is_op(self.peek(), ","):
            self.advance()
            name = self.advance()
            if name.kind != NAME or name.text in _PYTHON_KEYWORDS:
                raise self.error(
                    name.line, name.col,
                    "expected a name after ',' (a, b = 1.0, 2.0 binds two names)",
                )
            targets.append(name)
        equals = self.peek()
        if not self.is_op(equals, "="):
            found = "the end of the line" if equals.kind in _END else repr(equals.text)
            names = ", ".join(target.text for target in targets)
            raise self.error(
                equals.line, equals.col,
                f"expected '=' after {names}, found {found} (several names take several "
                "values: a, b = 1.0, 2.0)",
            )
        for target in targets:
            if target.text in FUNCTIONS or target.text == "Value":
                what = "the leaf maker" if target.text == "Value" else "a function"
                raise self.error(
                    target.line, target.col, f"{target.text!r} is {what} and cannot be assigned"
                )
        if self.peek(1).kind == NAME and self.is_op(self.peek(2), "="):
            chained = self.peek(2)
            raise self.error(
                chained.line, chained.col,
                f"a = b = ... gives one node two names, and a node has one: write "
                f"{self.peek(1).text} = ... on its own line",
            )
        return targets

    def assignment(self, targets: list[Token]) -> None:
        """``name = expression`` or ``x1, x2 = Value(1.0), Value(2.0)``: as in Python, every
        value is made before any name is bound, so ``a, b = b*2, a`` reads the old names."""
        previous = self.advance()  # the '='
        self.builder.target = targets[0] if len(targets) == 1 else None
        values: list[Value | _Literal] = []
        while True:
            values.append(self.expression(previous))
            previous = self.stopped
            if not self.is_op(previous, ","):
                break
            if len(values) == len(targets):
                names = ", ".join(target.text for target in targets)
                takes = "takes 1 value" if len(targets) == 1 else f"take {len(targets)} values"
                raise self.error(
                    previous.line, previous.col,
                    f"more values than names: {names} {takes} (one value for each name)",
                )
        if len(values) < len(targets):
            names = ", ".join(target.text for target in targets)
            raise self.error(
                previous.line, previous.col,
                f"fewer values than names: {names} take {len(targets)} values, found "
                f"{len(values)} (one value for each name)",
            )
        for target, value in zip(targets, values, strict=True):
            self.builder.end(target, value)

    def augmented(self, target: Token) -> None:
        """``c += x`` as Python means it: a new node ``c + x``, which ``c`` names from then on."""
        operator_token = self.advance()
        op = _AUGMENTED[operator_token.text]
        if not self.builder.is_defined(target.text):
            raise self.error(
                target.line, target.col,
                f"{target.text} {operator_token.text} ... needs an earlier {target.text} = ...:"
                f" {self.builder.unknown_name(target)}",
            )
        if target.text in FUNCTIONS or target.text == "Value":
            raise self.error(target.line, target.col, f"{target.text!r} cannot be assigned")
        old = self.builder.name(target)
        self.builder.target = None
        value = self.expression(operator_token)
        if self.is_op(self.stopped, ","):
            raise self.error(
                self.stopped.line, self.stopped.col,
                f"{target.text} {operator_token.text} takes one value",
            )
        token = Token(OP, op, operator_token.line, operator_token.col)
        node = self.builder.binary(token, old, self.operand(value))
        self.builder.end(target, node)

    def display_line(self, first: Token, why: str = DISPLAY_LINE) -> None:
        """A line that only shows a value (``1 - o.data**2``, ``o.grad``, ``a*b``): read for
        its errors (every name must exist), nothing built, and reported as skipped."""
        self.ahead.insert(0, first)
        builder, self.builder = self.builder, _DryBuilder(self.builder)
        self.display = first
        try:
            previous = first
            while True:
                self.expression(previous)
                previous = self.stopped
                if not self.is_op(previous, ","):
                    break
        finally:
            self.builder, self.display = builder, None
        self.skipped(first, why)

    def call_statement(self, function: Token) -> None:
        """``draw_dot(L)``, ``print(...)``, ``tanh(a)`` shown, or a call that is refused."""
        name = function.text
        if name in _MARKS_OUTPUT:
            self.advance()
            self.output_call(function)
        elif name == "print":
            self.skip_call(self.advance())
            self.skipped(function, PRINT_LINE)
        elif name in FUNCTIONS or name == "Value":
            self.display_line(function)
        elif is_network(name):
            raise self.error(function.line, function.col, f"{name}(...) is not run here; "
                             f"{NETWORK_HINT}")
        else:
            raise self.unsupported(function, f"{name}(...) is not run here")

    # --- the Python the video types: imports, labels, backward() ------------------------

    def import_line(self, keyword: Token) -> None:
        """``from micrograd.engine import Value``, ``import math``: skipped, since Value and
        the ops are here already and nothing is run. Any other module is refused."""
        module = self.advance()
        if module.kind != NAME:
            raise self.unsupported(module, f"expected a module name after {keyword.text!r}")
        if module.text == "torch":
            raise self.error(module.line, module.col, TORCH_HINT)
        if module.text not in SKIPPED_IMPORTS:
            raise self.unsupported(
                module, f"only imports of micrograd and a notebook's usual modules "
                f"({', '.join(list(SKIPPED_IMPORTS)[2:])}) are understood (and skipped), "
                f"not {module.text!r}"
            )
        token = self.advance()
        while not self.at_end(token):
            if token.kind != NAME and not self.is_op(token, *_IMPORT_PUNCTUATION):
                raise self.unsupported(token, f"unexpected {token.text!r} in an import line")
            token = self.advance()
        self.skipped(keyword, SKIPPED_IMPORTS[module.text])

    def attribute_statement(self, target: Token) -> None:
        """``x.label = 'x'`` labels a node; ``x.backward()`` makes ``x`` the output;
        ``x.grad = ...`` (the video's backward pass by hand) is skipped: the explorer
        computes every grad itself."""
        attribute = self.advance()
        if attribute.kind != NAME:
            raise self.error(
                attribute.line, attribute.col, "expected a name after '.', as in x.label = 'x'"
            )
        node = self.builder.name(target)
        if attribute.text == "label":
            self.expect(self.advance(), "=", "after .label: write x.label = 'x'")
            text = self.advance()
            if text.kind != STRING:
                raise self.error(
                    text.line, text.col, "a label is a string in quotes: x.label = 'x'"
                )
            self.expect_end(self.advance())
            self.builder.relabel(node, text.text)
        elif attribute.text == "grad":
            self.skip_statement()
            self.skipped(target, GRAD_BY_HAND)
        elif attribute.text in ("backward", "_backward"):
            self.expect(self.advance(), "(", f"after .{attribute.text}: write x.backward()")
            self.expect(self.advance(), ")", "backward() takes no arguments here")
            self.expect_end(self.advance())
            if attribute.text == "backward":
                self.builder.output = node
            else:
                self.skipped(target, BACKWARD_BY_HAND)
        else:
            raise self.unsupported(
                attribute, f"{target.text}.{attribute.text} is not understood here (a statement "
                "may be x.label = '...', x.backward() or x.grad = ..., which is skipped)"
            )

    def output_call(self, function: Token) -> None:
        """``draw_dot(L)`` or ``explore(L)``: ``L`` is the graph to show. Keyword arguments
        (``rankdir='LR'``) are allowed and ignored."""
        argument = self.advance()
        if argument.kind != NAME:
            raise self.error(
                argument.line, argument.col,
                f"{function.text}() takes the name of a node here, as in {function.text}(L)",
            )
        node = self.builder.name(argument)
        token = self.advance()
        while self.is_op(token, ","):
            key, equals, value = self.advance(), self.advance(), self.advance()
            if (key.kind != NAME or not self.is_op(equals, "=")
                    or value.kind not in (STRING, NUMBER, NAME)):
                raise self.error(
                    key.line, key.col,
                    f"{function.text}() takes a node and options like rankdir='LR' here",
                )
            token = self.advance()
        self.expect(token, ")", f"{function.text}() takes one node here")
        self.expect_end(self.advance())
        self.builder.output = node

    def skip_call(self, opening: Token) -> None:
        """Pass over ``print(...)``: a script prints what it computed; the explorer shows it."""
        depth = 1
        while depth:
            token = self.advance()
            if token.kind in _END:
                raise self.error(opening.line, opening.col, "unclosed '(' of print")
            if self.is_op(token, "("):
                depth += 1
            elif self.is_op(token, ")"):
                depth -= 1
        self.expect_end(self.advance())

    def skip_statement(self) -> None:
        """Pass over the rest of a statement that is read but not used (``x.grad = 1.0``);
        its tokens are checked, so a string or a stray character is still an error."""
        token = self.advance()
        while not self.at_end(token):
            if token.kind == STRING:
                raise self.error(token.line, token.col, _MISPLACED_STRING)
            token = self.advance()

    def value_call(self, maker: Token) -> Value:
        """``Value(2.0)`` or ``Value(-3.0, label='b')``: a leaf (kind 'input')."""
        self.advance()  # the '('
        token = self.advance()
        if token.kind == NAME and token.text == "data" and self.is_op(self.peek(), "="):
            self.advance()
            token = self.advance()
        sign = 1.0
        while self.is_op(token, "+", "-"):
            sign = -sign if token.text == "-" else sign
            token = self.advance()
        if token.kind != NUMBER:
            raise self.error(
                token.line, token.col,
                "Value() takes a number here, as in Value(2.0, label='a')",
            )
        data = sign * self.number(token).value
        label = ""
        token = self.advance()
        while self.is_op(token, ","):
            key = self.advance()
            if self.is_op(key, ")"):  # a trailing comma
                token = key
                break
            if key.kind != NAME or key.text not in ("label", "_label"):
                raise self.unsupported(
                    key, "Value() takes a number and label='...' here"
                )
            self.expect(self.advance(), "=", f"after {key.text}: write {key.text}='a'")
            text = self.advance()
            if text.kind != STRING:
                raise self.unsupported(text, f"{key.text} is a string, as in 'a'")
            label = text.text
            token = self.advance()
        if self.at_end(token):
            raise self.error(token.line, token.col, f"unclosed '(' of Value at col {maker.col + 5}")
        self.expect(token, ")", "Value() takes a number and label='...' here")
        return self.builder.leaf(maker, data, label)

    def expect(self, token: Token, text: str, hint: str) -> None:
        if not self.is_op(token, text):
            found = "the end of the line" if token.kind in _END else repr(token.text)
            raise self.error(token.line, token.col, f"expected {text!r}, found {found} ({hint})")

    def expect_end(self, token: Token) -> None:
        if not self.at_end(token):
            raise self.error(
                token.line, token.col, f"expected the end of the statement, found {token.text!r}"
            )

    # --- expressions: the shunting-yard loop ---------------------------------------------

    def expression(self, after: Token) -> Value | _Literal:
        """Read one expression up to the end of the statement or a ',' outside parentheses
        (``self.stopped`` says which); return its node (or a bare number, which the statement
        makes an input leaf).

        Two states alternate: expecting an operand (a number, a name, a call, ``(`` or a
        sign) and expecting an operator (``.method()``, ``)``, a binary operator or the end).
        Operators wait on ``pending`` until one that binds less tightly arrives.
        """
        pending: list[_Pending] = []
        values: list[Value | _Literal] = []
        depth = 0
        previous = after  # the token before an operand, for "expected an expression after"
        while True:
            # Expecting an operand.
            token = self.advance()
            if token.kind == NUMBER:
                values.append(self.number(token))
            elif token.kind == NAME and token.text == "Value" and self.is_op(self.peek(), "("):
                values.append(self.value_call(token))
            elif token.kind == NAME and token.text in _PYTHON_KEYWORDS:
                raise self.unsupported(token, f"{token.text!r} is not understood here")
            elif token.kind == STRING:
                raise self.unsupported(token, _MISPLACED_STRING)
            elif token.kind == NAME:
                if self.is_op(self.peek(), "("):
                    self.check_function(token)
                    self.check_depth(depth, token)
                    previous = self.advance()
                    depth += 1
                    pending.append(_Pending("call", token, previous))
                    continue
                if token.text in FUNCTIONS:
                    raise self.error(
                        token.line, token.col,
                        f"{token.text!r} is a function: call it, e.g. {token.text}(x)",
                    )
                values.append(self.builder.name(token))
            elif self.is_op(token, "("):
                self.check_depth(depth, token)
                depth += 1
                pending.append(_Pending("paren", token))
                previous = token
                continue
            elif self.is_op(token, "+", "-"):
                pending.append(_Pending("unary", token))
                previous = token
                continue
            else:
                raise self.expected_expression(token, previous, pending)

            # Expecting an operator.
            while True:
                token = self.advance()
                if self.is_op(token, "."):
                    values[-1] = self.method(values[-1])
                elif self.is_op(token, ")"):
                    while pending and pending[-1].kind in ("unary", "binary"):
                        self.reduce(pending, values)
                    if not pending:
                        raise self.error(
                            token.line, token.col, "unexpected ')': there is no '(' to close"
                        )
                    group = pending.pop()
                    depth -= 1
                    if group.kind == "call":
                        values[-1] = self.call(group.token, group.token.text, values[-1])
                else:
                    break

            if token.kind == OP and token.text in _PRECEDENCE:
                precedence = _PRECEDENCE[token.text]
                right = token.text == "**"
                while pending and pending[-1].kind in ("unary", "binary"):
                    top = pending[-1]
                    top_precedence = (
                        _UNARY_PRECEDENCE if top.kind == "unary" else _PRECEDENCE[top.token.text]
                    )
                    if top_precedence > precedence or (top_precedence == precedence and not right):
                        self.reduce(pending, values)
                    else:
                        break
                pending.append(_Pending("binary", token))
                previous = token
                continue
            if self.at_end(token) or (depth == 0 and self.is_op(token, ",")):
                self.stopped = token
                while pending and pending[-1].kind in ("unary", "binary"):
                    self.reduce(pending, values)
                if pending:
                    opened = pending[-1].opening or pending[-1].token
                    where = f"col {opened.col}"
                    raise self.error(token.line, token.col, f"unclosed '(' opened at {where}")
                return values[0]
            raise self.unexpected_after_operand(token, pending)

    def number(self, token: Token) -> _Literal:
        value = float(token.text)
        if math.isinf(value):
            text = token.text if len(token.text) <= 20 else token.text[:17] + "..."
            raise self.error(
                token.line, token.col, f"number too large: '{text}' (floats go up to about 1.8e308)"
            )
        return _Literal(value, token.line, token.col)

    def check_function(self, token: Token) -> None:
        if is_network(token.text):
            raise self.error(
                token.line, token.col, f"{token.text}(...) is not run here; {NETWORK_HINT}"
            )
        if token.text not in FUNCTIONS:
            if self.builder.is_defined(token.text):
                raise self.error(
                    token.line, token.col,
                    f"{token.text!r} is a value, not a function; to multiply, write "
                    f"{token.text}*(...)",
                )
            raise self.unsupported(token, _unknown_function(token.text))

    def check_depth(self, depth: int, token: Token) -> None:
        if depth >= MAX_NESTING:
            raise self.error(
                token.line, token.col,
                f"too deeply nested: more than {MAX_NESTING} open parentheses"
                " (split the expression into several statements)",
            )

    def method(self, operand: Value | _Literal) -> Value:
        """``.tanh()`` after an operand: only the listed functions, with no arguments."""
        name = self.advance()
        if name.kind != NAME:
            raise self.error(
                name.line, name.col, "expected a method name after '.', as in x.tanh()"
            )
        if name.text in ("label", "data", "grad") and self.display is not None:
            return self.builder.constant(_Literal(0.0, name.line, name.col))
        if name.text in ("label", "data", "grad"):
            raise self.unsupported(
                name, f".{name.text} is not understood inside an expression (after '.' come "
                "the op methods, as in x.tanh())"
            )
        if name.text not in FUNCTIONS:
            raise self.unsupported(name, _unknown_function(name.text, method=True))
        opening = self.advance()
        if not self.is_op(opening, "("):
            raise self.error(
                opening.line, opening.col,
                f"expected '(' after {name.text!r}: call the method as x.{name.text}()",
            )
        closing = self.advance()
        if self.at_end(closing):
            raise self.error(
                closing.line, closing.col, f"unclosed '(' opened at col {opening.col}"
            )
        if not self.is_op(closing, ")"):
            raise self.error(
                closing.line, closing.col,
                f"the method {name.text}() takes no arguments: write x.{name.text}()"
                f" or {name.text}(x)",
            )
        return self.call(name, name.text, operand)

    def expected_expression(
        self, token: Token, previous: Token, pending: list[_Pending]
    ) -> ExprError:
        if self.is_op(token, ")") and pending and previous is pending[-1].opening:
            name = pending[-1].token.text
            return self.error(
                token.line, token.col, f"{name}() needs one argument, e.g. {name}(x)"
            )
        return self.error(
            token.line, token.col, f"expected an expression after {previous.text!r}"
        )

    def unexpected_after_operand(self, token: Token, pending: list[_Pending]) -> ExprError:
        if self.is_op(token, ","):
            groups = [p for p in pending if p.kind in ("paren", "call")]
            if groups and groups[-1].kind == "call":
                name = groups[-1].token.text
                message = f"{name}() takes exactly one argument"
            else:
                message = (
                    "unexpected ',': a tuple in parentheses is not understood (write a, b = x, y)"
                )
        elif self.is_op(token, "=") and self.display is not None and self.display.kind != NAME:
            first = self.display
            return self.unsupported(
                first, f"a statement starts with a name, as in a = 2.0; found {first.text!r}"
            )
        elif self.is_op(token, "=") and self.display is not None:
            message = "unexpected '=': only a name is assigned, as in name = expression"
        elif self.is_op(token, "="):
            message = "unexpected '=': a statement has one '=', as in name = expression"
        else:
            message = f"missing an operator before {token.text!r} (to multiply, write *)"
        return self.error(token.line, token.col, message)

    # --- applying operators ---------------------------------------------------------------

    def reduce(self, pending: list[_Pending], values: list[Value | _Literal]) -> None:
        """Apply the operator on top of ``pending`` to the operands on top of ``values``."""
        entry = pending.pop()
        token = entry.token
        if entry.kind == "unary":
            operand = values.pop()
            if isinstance(operand, _Literal):  # a sign on a number folds into it
                value = -operand.value if token.text == "-" else operand.value
                values.append(_Literal(value, token.line, token.col))
            elif token.text == "-":
                values.append(self.builder.neg(token, operand))
            else:
                values.append(operand)
            return
        right = self.operand(values.pop())
        left = self.operand(values.pop())
        values.append(self.builder.binary(token, left, right))

    def call(self, token: Token, func: str, operand: Value | _Literal) -> Value:
        return self.builder.call(token, func, self.operand(operand))

    def operand(self, item: Value | _Literal) -> Value:
        """A literal used by an operator becomes a constant node."""
        if isinstance(item, _Literal):
            return self.builder.constant(item)
        return item


# --- the builder: what the parser's pieces become ------------------------------------------


_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "**": operator.pow,
}


# The parser lets only FUNCTIONS through; each is a method of Value, looked up once here.
_METHODS: dict[str, Callable[[Value], Value]] = {name: vars(Value)[name] for name in FUNCTIONS}


class _GraphBuilder:
    """Builds Values for ``evaluate()``, checking names, math errors and the node limit."""

    def __init__(self, source: str, *, python: bool = False) -> None:
        self.source = source
        self.lines = _normalize(source).split("\n")
        #: Every binding in order: its name and its node (two lists, lean at 200,000
        #: statements); a name bound again renames its earlier binding ``c@3``.
        self.keys: list[str] = []
        self.bound: list[Value] = []
        #: Each name's binding now: its index in the lists, and its line and column.
        self.current: dict[str, int] = {}
        self.where: dict[str, tuple[int, int]] = {}
        self.taken: set[str] = set()
        self.named_nodes: set[Value] = set()
        #: Statements read and not used, in reading order (reported, never silent).
        self.skipped: list[Skipped] = []
        self.target: Token | None = None
        self.nodes = 0
        #: Whether the text is the video's Python (errors then say what is understood).
        self.python = python or bool(_LOOKS_LIKE_PYTHON.search(source))
        #: The node named by ``x.backward()`` or ``draw_dot(x)``, if any: the output.
        self.output: Value | None = None
        #: Nodes labeled by ``Value(..., label=)`` or ``x.label =``: a name does not relabel them.
        self.labeled: set[Value] = set()

    def error(self, line: int, col: int, message: str) -> ExprError:
        """An ExprError that carries its source line, for a caret display."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return ExprError(line, col, message, text=text)

    @property
    def names(self) -> dict[str, Value]:
        """Each binding's name and node, in the order they were made."""
        return dict(zip(self.keys, self.bound, strict=True))

    def is_defined(self, name: str) -> bool:
        return name in self.current

    def count(self, line: int, col: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(
                line, col,
                f"the graph is too large: more than {MAX_NODES:,} nodes"
                " (use fewer terms or a smaller program)",
            )

    def end(self, target: Token, result: Value | _Literal) -> None:
        """Bind ``target``'s name to the statement's node (a number makes an input leaf)."""
        name = target.text
        if isinstance(result, _Literal):
            self.count(target.line, target.col)
            node = Value(result.value, label=name, kind=INPUT)
        else:
            node = result
            if node in self.named_nodes:
                raise self.error(
                    target.line, target.col,
                    f"{name} = {node.label} makes no new node; use {node.label} directly",
                )
        if name in self.current:
            self.rename_earlier(name)
        if node not in self.labeled:
            node.label = name
        self.current[name] = len(self.keys)
        self.where[name] = (target.line, target.col)
        self.keys.append(name)
        self.bound.append(node)
        self.named_nodes.add(node)
        self.target = None

    def rename_earlier(self, name: str) -> None:
        """``c`` bound again: its earlier node keeps its place in the graph and is called
        ``c@3`` after the line that bound it (``c@3:9`` when a line binds ``c`` twice), so
        every node stays findable and distinct; the new binding is plain ``c``."""
        index = self.current[name]
        node = self.bound[index]
        line, col = self.where[name]
        key = f"{name}@{line}" if f"{name}@{line}" not in self.taken else f"{name}@{line}:{col}"
        self.keys[index] = key
        self.taken.add(key)
        if node.label == name:
            node.label = key

    def leaf(self, maker: Token, data: float, label: str) -> Value:
        """``Value(2.0, label='a')``: an input leaf, labeled if a label is given."""
        self.count(maker.line, maker.col)
        node = Value(data, label=label, kind=INPUT)
        if label:
            self.labeled.add(node)
        return node

    def relabel(self, node: Value, label: str) -> None:
        """``x.label = 'text'``: the label shown from now on (the name still finds it)."""
        node.label = label
        self.labeled.add(node)

    def constant(self, literal: _Literal) -> Value:
        self.count(literal.line, literal.col)
        return constant(literal.value)

    def name(self, token: Token) -> Value:
        index = self.current.get(token.text)
        if index is None:
            raise self.error(token.line, token.col, self.unknown_name(token))
        return self.bound[index]

    def neg(self, token: Token, operand: Value) -> Value:
        return self.apply(token, operator.neg, operand)

    def binary(self, token: Token, left: Value, right: Value) -> Value:
        return self.apply(token, _BINARY[token.text], left, right)

    def call(self, token: Token, func: str, operand: Value) -> Value:
        return self.apply(token, _METHODS[func], operand)

    def apply(self, token: Token, function: Callable[..., Value], *operands: Value) -> Value:
        """Make one op node; an engine error or a non-finite result becomes an ExprError."""
        self.count(token.line, token.col)
        try:
            node = function(*operands)
        except MathError as error:
            raise self.error(
                token.line, token.col, _cannot_compute(error.op, error.operands, error.reason)
            ) from error
        if not math.isfinite(node.data):
            reason = (
                "the result is too large for a float"
                if math.isinf(node.data) else "the result is not a number"
            )
            raise self.error(token.line, token.col, _cannot_compute(node._op, operands, reason))
        return node

    def unknown_name(self, token: Token) -> str:
        name = token.text
        if self.target is not None and name == self.target.text:
            return f"{name!r} is used in its own definition; give it a value on an earlier line"
        later = _defined_later(self.source, name, token.line, token.col)
        if later is not None:
            return f"name {name!r} is used before it is defined (on line {later}); move it up"
        defined = list(self.current)
        if not defined:
            return f"unknown name {name!r} (nothing is defined yet; define it first: {name} = 1.0)"
        if len(defined) <= _LIST_NAMES:
            return f"unknown name {name!r} (defined: {', '.join(defined)})"
        close = _suggest(name, defined)
        if close:
            return f"unknown name {name!r} (did you mean {close!r}?)"
        shown = ", ".join(defined[:_LIST_NAMES])
        return f"unknown name {name!r} (defined: {shown} and {len(defined) - _LIST_NAMES} more)"


class _DryBuilder:
    """Reads a display line (``1 - o.data**2``) for its errors only: its names must exist,
    and nothing is built or computed (Python would compute a value and drop it)."""

    def __init__(self, builder: _GraphBuilder) -> None:
        self.real = builder
        self.error = builder.error
        self.python = builder.python
        self.skipped = builder.skipped
        self.target: Token | None = None
        self.shown = _Literal(0.0, 0, 0)

    def is_defined(self, name: str) -> bool:
        return self.real.is_defined(name)

    def name(self, token: Token) -> Value:
        self.real.name(token)
        return self.shown  # type: ignore[return-value]

    def constant(self, literal: _Literal) -> Value:
        return self.shown  # type: ignore[return-value]

    def leaf(self, maker: Token, data: float, label: str) -> Value:
        return self.shown  # type: ignore[return-value]

    def neg(self, token: Token, operand: Value) -> Value:
        return self.shown  # type: ignore[return-value]

    def binary(self, token: Token, left: Value, right: Value) -> Value:
        return self.shown  # type: ignore[return-value]

    def call(self, token: Token, func: str, operand: Value) -> Value:
        return self.shown  # type: ignore[return-value]


def _cannot_compute(op_name: str, operands: tuple[object, ...], reason: str) -> str:
    """``cannot compute log(a): log is only defined for values > 0 (a = -1.0)``"""
    # A negative number gets parentheses between operators: (-8.0) ** 0.5, but log(-1.0).
    wrap = len(operands) == 2
    texts = [
        x.label or _number_text(x.data, wrap) if isinstance(x, Value) else _number_text(x, wrap)
        for x in operands
    ]
    formula = OPS[op_name].format(*texts) if op_name in OPS else op_name
    labeled = [x for x in operands if isinstance(x, Value) and x.label]
    values = f" ({describe_operands(labeled)})" if labeled else ""
    return f"cannot compute {formula}: {reason}{values}"


def _number_text(x: object, wrap: bool) -> str:
    text = repr(x)
    return f"({text})" if wrap and text.startswith("-") else text


def _defined_later(source: str, name: str, line: int, col: int) -> int | None:
    """The line where a later statement defines ``name``, if one does (a cheap token scan)."""
    at_start = True
    previous: Token | None = None
    for token in tokenize(source):
        if token.kind in (ERROR, EOF):
            return None
        if previous is not None and token.text == "=" and previous.text == name:
            if (previous.line, previous.col) > (line, col):
                return previous.line
        previous = token if (at_start and token.kind == NAME) else None
        at_start = token.kind == NEWLINE or token.text == ";"
    return None


# --- the API ------------------------------------------------------------------------------


def _check_size(source: str) -> None:
    size = len(source) if len(source) > MAX_SOURCE_BYTES else len(
        source.encode("utf-8", "surrogatepass")
    )
    if size > MAX_SOURCE_BYTES:
        raise ExprError(
            1, 1, f"the program is too large: {size:,} bytes (the limit is {MAX_SOURCE_BYTES:,})"
        )


def evaluate(source: str, *, filename: str | None = None) -> Program:
    """Build the graph ``source`` describes; its last statement is the output.

    Raises ``ExprError`` (with ``filename`` set) for any problem: syntax, unknown names,
    math errors such as ``log(-1)``, overflow and the limits.

        >>> evaluate("a = 2.0\\nb = a**2").output.data
        4.0
    """
    try:
        _check_size(source)
        python = filename is not None and filename.lower().endswith(".py")
        builder = _GraphBuilder(source, python=python)
        _Parser(source, builder).program()
    except ExprError as error:
        error.filename = filename
        raise
    names = builder.names
    output = builder.output or builder.bound[-1]
    return Program(output=output, names=names, source=source, title=_title(source, filename),
                   skipped=builder.skipped)


def _title(source: str, filename: str | None) -> str:
    """The file's stem, else the program's first line if it is a comment, else 'expression'.

    ``-`` and names in angle brackets (``<expr>``, ``<stdin>``) are not files: no stem.
    A title is only ever shown, so control characters in it are made visible here
    (``fmt.visible``): a comment cannot send escape sequences to a terminal through it.
    """
    if filename and filename != "-" and not (filename.startswith("<") and filename.endswith(">")):
        return visible(PurePath(filename).stem or filename)
    for line in _normalize(source).split("\n"):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            title = text.lstrip("#").strip()
            if title:
                return visible(title)
        break
    return "expression"
