"""micrograd.formulas: every rule in the graph's own names, with numbers, and running totals."""

from __future__ import annotations

import math
import re

import pytest

import micrograd.explain
import micrograd.fmt
import micrograd.formulas
import micrograd.ops
import micrograd.stepper
import micrograd.value
from micrograd import Value
from micrograd.explain import node_details, users_of
from micrograd.export import to_dot, to_mermaid, to_trace
from micrograd.expr import evaluate
from micrograd.fmt import fmt_number
from micrograd.formulas import chain, fill, forward_formula, grad_line, local_rule, node_names
from micrograd.nn import MLP
from micrograd.ops import OPS
from micrograd.stepper import Stepper

VIDEO = "a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f"


# --- the templates say what the engine computes ------------------------------------------------

POINTS = {1: [(0.7,), (-1.3,), (2.5,)], 2: [(1.3, 0.7), (-2.0, 3.0), (0.5, -4.0)]}
SAFE = {"log": lambda x: math.log(x) if x > 0 else math.nan, "sin": math.sin, "cos": math.cos}


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_derivative_template_evaluates_to_the_local_derivative(name: str) -> None:
    """Filled in with exact numbers, a rule's text is the engine's own arithmetic."""
    op = OPS[name]
    for inputs in POINTS[op.arity]:
        try:
            out = op.forward(*inputs)
        except ArithmeticError:
            continue
        locals_ = op.local(*inputs, out)
        for position, template in enumerate(op.derivatives):
            text = fill(template, [repr(x) for x in inputs], repr(out))
            value = float(eval(text, {"__builtins__": {}}, SAFE))  # our own template text
            if math.isnan(locals_[position]):
                assert math.isnan(value), text
                continue
            assert value == pytest.approx(locals_[position], rel=1e-12, abs=1e-12), text


#: Each op's local derivatives, as a trace of ``y = op(p, q)`` multiplies them by ``y.grad``.
RULES = {
    "+": ["1", "1"], "-": ["1", "-1"], "*": ["q", "p"], "/": ["1/q", "-p/q**2"],
    "**": ["q * p**(q - 1)", "y * log(p)"], "neg": ["-1"], "tanh": ["(1 - y**2)"],
    "exp": ["y"], "log": ["1/p"], "relu": ["(p > 0)"], "sigmoid": ["y * (1 - y)"],
    "sin": ["cos(p)"], "cos": ["-sin(p)"],
}


def test_every_op_has_its_rule_written_here() -> None:
    assert set(RULES) == set(OPS)


@pytest.mark.parametrize("name", sorted(OPS))
def test_trace_writes_each_op_rule_in_the_graphs_own_names(name: str) -> None:
    op = OPS[name]
    p = Value(0.6, label="p")
    q = Value(1.7, label="q")
    operands = (p, q)[: op.arity]
    y = Value(op.forward(*(v.data for v in operands)), operands, name, label="y")
    trace = to_trace(y)
    for position, rule in enumerate(RULES[name]):
        operand = "pq"[position]
        assert f"{operand}.grad += dy/d{operand} * y.grad = {rule} * y.grad = " in trace
    assert not re.search(r"d\([^)]*\)/d", trace)  # no placeholder rules like d(a*b)/da


def test_the_videos_example_reads_like_the_video() -> None:
    trace = to_trace(evaluate(VIDEO).output)
    assert "d.grad += dL/dd * L.grad = f * L.grad = -2.0 * 1.0 = -2.0" in trace
    assert ("a.grad += de/da * e.grad = b * e.grad = -3.0 * -2.0 = 6.0"
            "   (a.grad: 0.0 → 6.0)") in trace
    assert "e.grad += dd/de * d.grad = 1 * d.grad = 1 * -2.0 = -2.0" in trace
    assert "d(a*b)" not in trace and "d(a+b)" not in trace


def test_tanh_rule_as_in_the_video() -> None:
    n = Value(0.8813735870195432, label="n")
    o = n.tanh()
    o.label = "o"
    trace = to_trace(o)
    assert "n.grad += do/dn * o.grad = (1 - o**2) * o.grad = (1 - 0.7071**2) * 1.0 = 0.5" in trace


def test_running_totals_show_the_accumulation() -> None:
    trace = to_trace(evaluate("a = 3; b = a*a + a").output)
    totals = re.findall(r"\(a\.grad: (\S+) → ([^;)]+)", trace)
    assert totals == [("0.0", "1.0"), ("1.0", "4.0"), ("4.0", "7.0")]


def test_details_list_every_contribution_and_their_sum() -> None:
    program = evaluate("a = 3; b = a*a + a")
    stepper = Stepper(program.output)
    a = program.names["a"]
    users = users_of(stepper.order)[a]

    def lines() -> list[str]:
        return node_details(a, users, stepper.names,
                            contributions=stepper.contributions(a)).lines()

    stepper.seek(stepper.forward_steps + 2)  # the seed and b's step: one contribution in
    assert "a.grad so far: 1.0 (from b) = 1.0" not in lines()  # one part: no sum to show
    assert "a.grad so far: 1.0 (from b)" in lines()
    assert "still to come: 2 more contributions in the backward pass" in lines()
    stepper.finish()
    assert "a.grad so far: 1.0 (from b) + 3.0 (from #1) + 3.0 (from #1) = 7.0" in lines()
    assert not any(line.startswith("still to come") for line in lines())


# --- filling in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "operands", "out", "expected"),
    [
        ("{0} - {1}", ["2.0", "-3.0"], "", "2.0 - (-3.0)"),
        ("{0} + {1}", ["-2.0", "-3.0"], "", "-2.0 + (-3.0)"),
        ("{0} ** {1}", ["-2.0", "-1.0"], "", "(-2.0) ** (-1.0)"),
        ("-{0}", ["-1.5"], "", "-(-1.5)"),
        ("1/{1}", ["1.0", "-2.0"], "", "1/(-2.0)"),
        ("-{0}/{1}**2", ["-3.0", "-2.0"], "", "-(-3.0)/(-2.0)**2"),
        ("{1} * {0}**({1} - 1)", ["-2.0", "-1.0"], "", "-1.0 * (-2.0)**(-1.0 - 1)"),
        ("{out} * (1 - {out})", [], "-0.5", "-0.5 * (1 - (-0.5))"),
        ("{0} * {1}", ["-3.0", "-2.0"], "", "-3.0 * -2.0"),
        ("tanh({0})", ["-0.5"], "", "tanh(-0.5)"),
    ],
)
def test_fill_parenthesizes_negative_numbers_only_where_needed(
    template: str, operands: list[str], out: str, expected: str
) -> None:
    text = fill(template, operands, out)
    assert text == expected
    if "tanh" not in text:
        numbers = {str(k): float(v) for k, v in enumerate(operands)}
        plain = fill(template, [repr(numbers[str(k)]) for k in range(len(operands))],
                     repr(float(out)) if out else "")
        assert eval(text, {"__builtins__": {}}) == eval(plain.replace("--", "- -"),
                                                        {"__builtins__": {}})


def test_chain_drops_only_repeats_of_the_part_before() -> None:
    assert chain("y = 2.0 * 3.0", "2.0 * 3.0", "6.0") == "y = 2.0 * 3.0 = 2.0 * 3.0 = 6.0"
    assert chain("a", "a", "b", "a") == "a = b = a"


def test_local_rule_without_numbers_and_for_plain_numbers() -> None:
    assert local_rule(OPS["*"], 0, "e", ["a", "b"]) == "de/da = b"
    assert local_rule(OPS["*"], 0, "e", ["a", "b"], [2.0, -3.0], -6.0, -3.0) == "de/da = b = -3.0"
    assert local_rule(OPS["-"], 1, "d", ["a", "b"], [1.0, 2.0], -1.0, -1.0) == "dd/db = -1"


def test_forward_formula_never_repeats_a_number() -> None:
    q = Value(1.5, label="q")
    y = -q
    stepper = Stepper(y)
    assert stepper.step().formula == "#1 = -q = -1.5"


# --- names ----------------------------------------------------------------------------------


def test_hidden_nodes_of_a_neuron_say_which_neuron() -> None:
    model = MLP(2, [2, 1], seed=0)
    x = [Value(0.5, label="x0"), Value(-1.0, label="x1")]
    out = model(x)
    order = micrograd.value.topological_order(out)
    names = node_names(order)
    assert len(set(names.values())) == len(order)  # every name is unique
    hidden = [names[node] for node in order if node._prev and not node.label]
    assert hidden and all(re.fullmatch(r"L\d\.N\d\.#\d+", name) for name in hidden)
    assert any(name.startswith("L1.N0.#") for name in hidden)
    assert f"{names[order[-1]]}" == out.label


def test_names_outside_a_neuron_stay_plain() -> None:
    x = Value(1.0, label="x")
    w = Value(2.0, label="w")  # an input, not a parameter of micrograd.nn
    y = x * w + 1.0
    assert list(node_names(micrograd.value.topological_order(y)).values()) == [
        "x", "w", "#2", "1.0", "#4"]


def test_drawings_label_each_edge_with_its_local_derivative() -> None:
    root = evaluate(VIDEO).output
    assert 'n2 -> op3 [label="de/da = b = -3.0"]' not in to_dot(root)  # positions, not names
    dot = to_dot(root)
    assert '[label="de/da = b = -3.0"]' in dot and '[label="dL/dd = f = -2.0"]' in dot
    assert '-->|"dL/dd = f = -2.0"|' in to_mermaid(root)


# --- the arithmetic of a line checks by hand ---------------------------------------------------


def test_the_classic_neurons_lines_check_by_hand_to_the_shown_digits() -> None:
    """Issue 22: b = 6.88137... written 6.881 made '-6.0 + 6.881 = 0.8814' wrong by hand."""
    from micrograd.presets import classic_neuron
    from micrograd.stepper import Stepper

    stepper = Stepper(classic_neuron().output)
    stepper.seek(len(stepper))
    lines = [line for record in stepper.history for line in record.lines]
    assert "n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814" in lines
    assert "x1w1 = x1 * w1 = 2.0 * -3.0 = -6.0" in lines  # no digits where none are needed


def test_every_binary_line_checks_by_hand() -> None:
    """For many operands, each op's forward line recomputed from its shown numbers gives its
    shown result (what a learner with a calculator does)."""
    import random

    rng = random.Random(22)
    for name in ("+", "-", "*", "/"):
        op = OPS[name]
        for _ in range(300):
            a, b = rng.uniform(-20, 20), rng.uniform(-20, 20)
            line = forward_formula(op, "y", ["a", "b"], [a, b], op.forward(a, b))
            shown = line.split(" = ")
            x, y = (float(t.strip("()")) for t in shown[2].split(f" {name} "))
            assert fmt_number(op.forward(x, y)) == shown[3], line


def test_a_grad_lines_product_checks_by_hand() -> None:
    line = grad_line(OPS["*"], 0, "e", ("a", "b"), (2.0, 6.8813735870195432), 13.76,
                     upstream=0.12345678, local=6.8813735870195432, before=0.0,
                     after=6.8813735870195432 * 0.12345678)
    product = line.split(" = ")[-1].split("   ")[0]
    factors = line.split(" = ")[-2].split(" * ")
    assert fmt_number(float(factors[0]) * float(factors[1])) == product, line


def test_details_of_a_leaf_used_once_say_where_its_grad_came_from() -> None:
    """Issue 22: enter on a leaf used once listed no contribution at all."""
    program = evaluate("a = 2.0; b = -3.0; e = a*b; f = e + 1")
    stepper = Stepper(program.output)
    a = program.names["a"]
    users = users_of(stepper.order)[a]

    def lines() -> list[str]:
        return node_details(a, users, stepper.names,
                            contributions=stepper.contributions(a)).lines()

    assert "still to come: its one contribution, in the backward pass" in lines()
    stepper.finish()
    assert "a.grad: -3.0 (from e, its only user)" in lines()
    output = node_details(program.output, [], stepper.names,
                          contributions=stepper.contributions(program.output)).lines()
    assert not any("only user" in line or "still to come" in line for line in output)
