"""How a lesson is written: what the nodes are called, and every formula in those names.

The op table (``micrograd.ops``) holds each op as a template over its operands
(``{0} * {1}``) and each local derivative as a template over the same operands and the
op's own result (``{1}`` for d(a*b)/da, ``1 - {out}**2`` for tanh). The functions here
fill them in, first with the graph's own names and then with the numbers, so that the
Stepper, the details screen, the trace export and the drawings all write a rule the same
way, the way the video says it:

    >>> from micrograd.ops import OPS
    >>> grad_line(OPS['*'], 0, 'e', ('a', 'b'), (2.0, -3.0), -6.0,
    ...           upstream=-2.0, local=-3.0, before=0.0, after=6.0)
    'a.grad += de/da * e.grad = b * e.grad = -3.0 * -2.0 = 6.0   (a.grad: 0.0 → 6.0)'
    >>> grad_line(OPS['tanh'], 0, 'o', ('n',), (0.8814,), 0.7071,
    ...           upstream=1.0, local=0.5, before=0.0, after=0.5)
    'n.grad += do/dn * o.grad = (1 - o**2) * o.grad = (1 - 0.7071**2) * 1.0 = 0.5   (n.grad: 0.0 → 0.5)'
"""  # noqa: E501

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from micrograd.fmt import fmt_number
from micrograd.ops import Op
from micrograd.value import PARAMETER, Value, node_name

__all__ = [
    "chain",
    "derivative",
    "fill",
    "forward_formula",
    "grad_line",
    "group",
    "local_rule",
    "node_names",
    "seed_line",
]

_PLACEHOLDER = re.compile(r"\{(\d|out)\}")


# --- names ---------------------------------------------------------------------------------


def node_names(order: list[Value]) -> dict[Value, str]:
    """What formulas call each node of one graph (``order`` is its topological order).

    A label is the name; a constant is named by its value; any other node by ``#k``, its
    place in ``order`` (the node table's row), so names do not depend on what else the
    process has built. An unlabeled node inside a neuron of ``micrograd.nn`` (a product
    ``w*x`` or a partial sum) says which neuron: ``L0.N1.#114``. It is inside neuron ``P``
    when its operands lead back to the parameters ``P.w0``, ``P.b``, ... of that neuron only.

    >>> from micrograd import Value
    >>> x = Value(2.0, label='x')
    >>> w = Value(0.5, label='L0.N1.w0', kind='parameter')
    >>> y = (w * x + 1.0).tanh()
    >>> from micrograd.value import topological_order
    >>> list(node_names(topological_order(y)).values())
    ['x', 'L0.N1.w0', 'L0.N1.#2', '1.0', 'L0.N1.#4', 'L0.N1.#5']
    """
    names: dict[Value, str] = {}
    neuron: dict[Value, str] = {}  # an unlabeled op node -> the neuron it is part of
    for position, node in enumerate(order):
        if node.label or not node._prev:
            names[node] = node_name(node, position)
            continue
        places = set()
        for parent in node._prev:
            if parent in neuron:
                places.add(neuron[parent])
            elif parent.kind == PARAMETER and "." in parent.label:
                places.add(parent.label.rsplit(".", 1)[0])
        if len(places) == 1:
            place = places.pop()
            neuron[node] = place
            names[node] = f"{place}.#{position}"
        else:
            names[node] = f"#{position}"
    return names


def derivative(of: str, wrt: str) -> str:
    """The derivative of node ``of`` with respect to ``wrt``, as the video writes it: ``dL/dd``.

    >>> derivative('y', '1.0')
    'dy/d(1.0)'
    """
    return f"d{_ref(of)}/d{_ref(wrt)}"


def grad_of(name: str) -> str:
    """``a.grad``; a constant, named by its value, in parentheses: ``(1.0).grad``."""
    return f"{_ref(name)}.grad"


def _ref(name: str) -> str:
    """A name as it is written before ``.grad`` or after ``d``: a number in parentheses."""
    digits = name.removeprefix("-")
    if digits[:1].isdigit() or digits in ("inf", "nan"):
        return f"({name})"
    return group(name)


# A name, a #k, L0.N1.w0 or a number: nothing in it a formula could misread.
_PLAIN = re.compile(r"-?[\w.#]+(?:[eE][-+]?\d+)?")


def group(name: str) -> str:
    """A label with spaces or operators in it, in parentheses, so a formula reads right:
    the video labels nodes ``'x1*w1 + x2*w2'``, whose grad is ``(x1*w1 + x2*w2).grad``.

    >>> group('x1*w1 + x2*w2'), group('x1'), group('L0.N1.#114')
    ('(x1*w1 + x2*w2)', 'x1', 'L0.N1.#114')
    """
    if _PLAIN.fullmatch(name) or (name.startswith("(") and name.endswith(")")):
        return name
    return f"({name})"


# --- filling in templates ------------------------------------------------------------------


def fill(template: str, operands: Sequence[Any], out: Any = "",
         show: Callable[[Any], str] = group) -> str:
    """``template`` with ``{0}``, ``{1}`` and ``{out}`` replaced by names, or by numbers
    written with ``show=fmt_number`` (only the ones the template uses: ``1`` uses none).

    A negative number gets parentheses where it would otherwise read wrong: after a minus,
    a plus or a ``/``, and around ``**`` (``-2.0**2`` is -4 in Python).

    >>> fill('{0} - {1}', ['2.0', '-3.0'])
    '2.0 - (-3.0)'
    >>> fill('1 - {out}**2', [], '-0.5')
    '1 - (-0.5)**2'
    >>> fill('{0} * {1}', [-3.0, -2.0], show=fmt_number)
    '-3.0 * -2.0'
    """
    pieces = []
    for literal, key, guarded in _parts(template):
        pieces.append(literal)
        if key is None:
            continue
        text = show(out if key == "out" else operands[int(key)])
        pieces.append(f"({text})" if guarded and text.startswith("-") else text)
    return "".join(pieces)


@functools.cache
def _parts(template: str) -> tuple[tuple[str, str | None, bool], ...]:
    """A template cut once into (text before, placeholder, needs parentheses if negative):
    the trace of a big graph fills the same dozen templates millions of times."""
    parts: list[tuple[str, str | None, bool]] = []
    end = 0
    for match in _PLACEHOLDER.finditer(template):
        before = template[: match.start()].rstrip()
        after = template[match.end():].lstrip()
        guarded = after.startswith("**") or before.endswith(("-", "+", "/", "**"))
        parts.append((template[end: match.start()], match[1], guarded))
        end = match.end()
    parts.append((template[end:], None, False))
    return tuple(parts)


def chain(*parts: str) -> str:
    """Parts joined by `` = ``, leaving out a part that only repeats the one before it.

    >>> chain('y = -q', '-1.5', '-1.5')
    'y = -q = -1.5'
    """
    kept: list[str] = []
    for part in parts:
        if not kept or part != kept[-1]:
            kept.append(part)
    return " = ".join(kept)


@functools.cache
def _is_sum(template: str) -> bool:
    """Whether a template is a sum or difference at its top level (``1 - {out}**2``): then it
    needs parentheses to be multiplied, ``(1 - o**2) * o.grad``. Decided by the template,
    whatever names or numbers fill it."""
    depth = 0
    for i, ch in enumerate(template):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch in "+-" and 0 < i < len(template) - 1:
            if template[i - 1] == " " and template[i + 1] == " ":
                return True
    return False


def _numbers(values: Sequence[float], digits: int = 4) -> list[str]:
    return [fmt_number(x, digits) for x in values]


def checked_digits(again: Callable[[list[float]], float], values: Sequence[float],
                   result: float, digits: int = 4) -> int:
    """The fewest significant digits (``digits`` or more, at most 12) with which ``values``,
    written and read back, give ``result`` as written with ``digits``: so the arithmetic
    of a line checks by hand. ``again`` recomputes the result from the values.

    ``b = 6.8813735870195432`` written ``6.881`` makes ``-6.0 + 6.881 = 0.8814`` wrong by
    hand; with 5 digits it is right:

    >>> checked_digits(lambda v: v[0] + v[1], [-6.0, 6.8813735870195432], 0.8813735870195432)
    5
    >>> checked_digits(lambda v: v[0] * v[1], [2.0, -3.0], -6.0)
    4
    """
    shown = fmt_number(result, digits)
    for more in range(digits, 13):
        try:
            value = again([float(fmt_number(x, more)) for x in values])
        except (ArithmeticError, ValueError, TypeError):
            return digits  # the shown numbers leave the op's domain: nothing to check
        if fmt_number(value, digits) == shown:
            return more
    return 12


# --- the lines a learner reads ---------------------------------------------------------------


def forward_formula(
    op: Op, name: str, operands: Sequence[str], inputs: Sequence[float], result: float
) -> str:
    """One forward step: ``d = a * b = 2.0 * -3.0 = -6.0``.

    >>> from micrograd.ops import OPS
    >>> forward_formula(OPS['neg'], 'y', ['q'], [1.5], -1.5)
    'y = -q = -1.5'
    """
    digits = checked_digits(lambda shown: op.forward(*shown), inputs, result)
    return f"{name} = " + chain(
        fill(op.template, operands), fill(op.template, _numbers(inputs, digits)),
        fmt_number(result)
    )


def local_rule(
    op: Op,
    position: int,
    name: str,
    operands: Sequence[str],
    inputs: Sequence[float] | None = None,
    out: float | None = None,
    value: float | None = None,
) -> str:
    """The local derivative of node ``name`` with respect to operand ``position``:
    ``de/da = b``, and with the numbers ``de/da = b = -3.0``.

    ``inputs`` and ``out`` are the operands' values and the node's; ``value`` is the
    derivative's value. Without them only the rule is written.

    >>> from micrograd.ops import OPS
    >>> local_rule(OPS['tanh'], 0, 'o', ['n'], [0.8814], 0.7071, 0.5)
    'do/dn = 1 - o**2 = 1 - 0.7071**2 = 0.5'
    >>> local_rule(OPS['+'], 1, 'd', ['e', 'c'], [-6.0, 10.0], 4.0, 1.0)
    'dd/dc = 1'
    """
    template = op.derivatives[position]
    parts = [derivative(name, operands[position]), fill(template, operands, name)]
    if not _PLACEHOLDER.search(template):
        return chain(*parts)  # a number already: d(a+b)/da = 1
    if inputs is not None and out is not None:
        digits = 4
        if value is not None:
            digits = checked_digits(
                lambda shown: op.local(*shown)[position], [*inputs, out], value)
        parts.append(fill(template, inputs, out, functools.partial(fmt_number, digits=digits)))
    if value is not None:
        parts.append(fmt_number(value))
    return chain(*parts)


def edge_label(op: Op, position: int, name: str, operands: Sequence[str],
               value: float | None = None) -> str:
    """What an edge into node ``name`` carries, short enough to write on the edge in the
    canvas: ``∂ b`` (the local derivative's rule, in the graph's names), with its value
    once known, ``∂ b = -3.0``; a rule that is a number is written once (``∂ 1``).

    >>> from micrograd.ops import OPS
    >>> edge_label(OPS['*'], 0, 'e', ['a', 'b'], -3.0)
    '∂ b = -3.0'
    >>> edge_label(OPS['+'], 1, 'd', ['e', 'c'], 1.0), edge_label(OPS['tanh'], 0, 'o', ['n'])
    ('∂ 1', '∂ 1 - o**2')
    """
    template = op.derivatives[position]
    rule = fill(template, operands, name)
    if value is None or not _PLACEHOLDER.search(template):
        return f"∂ {rule}"
    return f"∂ {rule} = {fmt_number(value)}"


def grad_line(
    op: Op,
    position: int,
    name: str,
    operands: Sequence[str],
    inputs: Sequence[float],
    out: float,
    *,
    upstream: float,
    local: float,
    before: float,
    after: float,
    compact: bool = False,
    constant: bool = False,
) -> str:
    """One operand's share of a backward step, with its running total:
    ``a.grad += de/da * e.grad = b * e.grad = -3.0 * -2.0 = 6.0   (a.grad: 0.0 → 6.0)``.

    ``upstream`` is the node's own grad, ``local`` the local derivative's value, ``before``
    and ``after`` the operand's grad around the ``+=``. When the same node is both operands
    (``b + b``), each line says which use it is. ``compact`` leaves out the ``de/da``
    notation (``a.grad += b * e.grad = ...``, as micrograd's code writes it) for a panel too
    small for the whole line. ``constant``: the operand is a constant, named by its value;
    the total says which node it belongs to (``(1.0).grad: 0.0 → -0.1464; the 1.0 in #13``),
    since ``e - 1`` and ``e + 1`` have a ``1.0`` each, whose lines otherwise read as one grad
    set back to 0.
    """
    template = op.derivatives[position]
    parent = operands[position]
    by_name = fill(template, operands, name)
    # Written with enough digits that (local) * upstream = the share checks by hand.
    digits = checked_digits(
        lambda shown: op.local(*shown[:-1])[position] * shown[-1],
        [*inputs, out, upstream], local * upstream)
    by_number = fill(template, inputs, out, functools.partial(fmt_number, digits=digits))
    if _is_sum(template):
        by_name, by_number = f"({by_name})", f"({by_number})"
    start = f"{grad_of(parent)} += "
    parts = [] if compact else [f"{start}{derivative(name, parent)} * {grad_of(name)}"]
    parts += [f"{by_name} * {grad_of(name)}",
              f"{by_number} * {fmt_number(upstream, digits)}",
              fmt_number(local * upstream)]
    if compact:
        parts[0] = start + parts[0]
    total = f"{grad_of(parent)}: {fmt_number(before)} → {fmt_number(after)}"
    uses = operands.count(parent)
    if uses > 1:
        use = operands[: position + 1].count(parent)
        total += f"; use {use} of {uses} in {fill(op.template, operands)}"
    elif constant:
        total += f"; the {parent} in {name}"
    return f"{chain(*parts)}   ({total})"


def seed_line(name: str, before: float) -> str:
    """The first backward step: ``L.grad = dL/dL = 1.0   (L.grad: 0.0 → 1.0)``."""
    total = f"({grad_of(name)}: {fmt_number(before)} → 1.0)"
    return f"{grad_of(name)} = {derivative(name, name)} = 1.0   {total}"


# --- ops of the user's own -------------------------------------------------------------------


def custom_forward_formula(
    op_name: str, name: str, operands: Sequence[str], inputs: Sequence[float], result: float
) -> str:
    """The forward step of a node made with ``Value(data, children, 'tanh2')``: its value is
    the one it was given, so the line shows the op by name:
    ``o = tanh2(n) = tanh2(0.8814) = 0.7071``.

    >>> custom_forward_formula('tanh2', 'o', ['n'], [0.8814], 0.7071)
    'o = tanh2(n) = tanh2(0.8814) = 0.7071'
    """
    op_name = op_name or "op"
    by_name = f"{op_name}({', '.join(operands)})"
    by_number = f"{op_name}({', '.join(_numbers(inputs))})"
    return f"{name} = " + chain(by_name, by_number, fmt_number(result))


def custom_grad_line(parent: str, name: str, added: float, before: float, after: float) -> str:
    """A backward step taken by a node's own ``_backward`` (a custom op): its rule is code
    we cannot read, so the line says what it added, with the running total.

    >>> custom_grad_line('n', 'o', 0.5, 0.0, 0.5)
    "n.grad += 0.5 (by o's own _backward)   (n.grad: 0.0 → 0.5)"
    """
    total = f"{grad_of(parent)}: {fmt_number(before)} → {fmt_number(after)}"
    return f"{grad_of(parent)} += {fmt_number(added)} (by {name}'s own _backward)   ({total})"
