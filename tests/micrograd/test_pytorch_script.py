"""The PyTorch export: a script that builds the same graph in PyTorch and compares the grads.

Without torch the script is checked as Python (it parses, it imports nothing but torch and
math) and run against a stand-in ``torch`` made of our own Values, which proves every op and
every operand is wired as in the graph. Where torch is installed it is run for real."""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import math
import re
import subprocess
import sys
import types

import pytest
from test_export import HOSTILE_LABELS  # the tests' folder is on sys.path (rootdir conftest)

from micrograd import Value
from micrograd.export import FORMATS, export
from micrograd.expr import evaluate
from micrograd.presets import classic_neuron, mlp
from micrograd.pytorch_script import TORCH_OPS, UnsupportedGraphError, iter_pytorch
from micrograd.value import topological_order

EVERY_OP = """
x = 0.7; y = -1.3; z = 2.5
a = x + y; b = x - y; c = a * b; d = c / z; e = z ** x; f = -d
g = tanh(f) + exp(x) + log(z) + relu(y) + relu(x) + sigmoid(b) + sin(c) + cos(e)
h = g * x * x + 2 ** z + x ** 2
"""


def script_of(root: Value) -> str:
    return "".join(iter_pytorch(root))


def imported_modules(script: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    return modules


class _Grad:
    def __init__(self, value: float) -> None:
        self.value = value

    def item(self) -> float:
        return self.value


class FakeTensor:
    """Just enough of a torch tensor for the script, computed by micrograd's Values."""

    def __init__(self, value: Value) -> None:
        self.value = value

    def _wrap(self, other: FakeTensor) -> FakeTensor:
        assert isinstance(other, FakeTensor), "the script mixes tensors and plain numbers"
        return other

    def __add__(self, other): return FakeTensor(self.value + self._wrap(other).value)
    def __sub__(self, other): return FakeTensor(self.value - self._wrap(other).value)
    def __mul__(self, other): return FakeTensor(self.value * self._wrap(other).value)
    def __truediv__(self, other): return FakeTensor(self.value / self._wrap(other).value)
    def __pow__(self, other): return FakeTensor(self.value ** self._wrap(other).value)
    def __neg__(self): return FakeTensor(-self.value)
    def tanh(self): return FakeTensor(self.value.tanh())
    def exp(self): return FakeTensor(self.value.exp())
    def log(self): return FakeTensor(self.value.log())
    def relu(self): return FakeTensor(self.value.relu())
    def sigmoid(self): return FakeTensor(self.value.sigmoid())
    def sin(self): return FakeTensor(self.value.sin())
    def cos(self): return FakeTensor(self.value.cos())
    def backward(self) -> None: self.value.backward()
    def item(self) -> float: return self.value.data

    @property
    def grad(self) -> _Grad:
        return _Grad(self.value.grad)


def fake_torch() -> types.ModuleType:
    torch = types.ModuleType("torch")
    torch.float64 = "float64"

    def tensor(numbers, dtype=None, requires_grad=False):
        assert dtype == "float64" and requires_grad is True and len(numbers) == 1
        return FakeTensor(Value(numbers[0]))

    torch.tensor = tensor
    return torch


def run_with_fake_torch(script: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(sys.modules, "torch", fake_torch())
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "<pytorch export>", "exec"), {"__name__": "__main__"})
    return printed.getvalue()


def test_it_is_a_registered_format() -> None:
    assert FORMATS["pytorch"].lines is iter_pytorch
    assert FORMATS["pytorch"].extension == ".py"


def test_every_op_of_the_table_has_its_torch_code() -> None:
    from micrograd.ops import OPS

    assert set(TORCH_OPS) == set(OPS)


@pytest.mark.parametrize("build", [lambda: classic_neuron().output,
                                   lambda: mlp((2, 3, 1), seed=1).output,
                                   lambda: evaluate(EVERY_OP).output])
def test_valid_python_importing_only_torch_and_math(build) -> None:
    script = export(build(), "pytorch")
    assert imported_modules(script) == {"torch", "math"}
    assert "requires_grad=True" in script and "dtype=torch.float64" in script
    assert ".backward()" in script


def test_the_stand_in_torch_gets_our_grads_for_every_op(monkeypatch) -> None:
    root = evaluate(EVERY_OP).output
    printed = run_with_fake_torch(script_of(root), monkeypatch)
    assert re.search(r"^largest difference: 0$", printed, re.M), printed
    leaves = [node for node in topological_order(root) if not node._prev]
    rows = [line for line in printed.splitlines()[2:-1]]
    assert len(rows) == len(leaves)
    assert printed.startswith(f"output h: pytorch {root.data!r}, micrograd {root.data!r}")


def test_a_wrong_grad_shows_as_a_difference(monkeypatch) -> None:
    """The table is no formality: a grad that differs is printed with its difference."""
    script = re.sub(r"\('w1', v2, [^)]*\)", "('w1', v2, 1.5)",
                    script_of(classic_neuron().output))
    printed = run_with_fake_torch(script, monkeypatch)
    assert re.search(r"^largest difference: 0\.5$", printed, re.M), printed


def test_our_grads_are_a_fresh_backward_and_the_graph_is_left_alone() -> None:
    o = classic_neuron().output
    o.backward()
    nodes = topological_order(o)
    before = [(n.data, n.grad) for n in nodes]
    o.backward()  # a second backward doubles the leaves' grads: the script must not care
    doubled = [(n.data, n.grad) for n in nodes]
    script = script_of(o)
    assert [(n.data, n.grad) for n in nodes] == doubled != before
    assert "('x1', v0, -1.4999999999999993)" in script


def test_hostile_labels_stay_in_comments_and_literals(monkeypatch) -> None:
    leaves = [Value(float(k + 1), label=label) for k, label in enumerate(HOSTILE_LABELS)]
    root = leaves[0]
    for leaf in leaves[1:]:
        root = root * leaf
    root.label = "out\nx = 1"
    script = script_of(root)
    ast.parse(script)
    assert imported_modules(script) == {"torch", "math"}
    namespace_names = {node.id for node in ast.walk(ast.parse(script))
                       if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    assert namespace_names <= {"OUTPUT", "MICROGRAD", "largest", "name", "leaf", "ours",
                               "theirs", "same", "difference"} | {f"v{k}" for k in range(99)}
    printed = run_with_fake_torch(script, monkeypatch)
    assert "largest difference: 0" in printed


def test_non_finite_numbers_are_written_as_math_constants(monkeypatch) -> None:
    x = Value(math.inf, label="x")
    y = x + Value(1.0, label="one")
    y.label = "y"
    script = script_of(y)
    assert "torch.tensor([math.inf]" in script
    assert "largest difference: 0" in run_with_fake_torch(script, monkeypatch)


def test_a_custom_op_is_refused_by_name() -> None:
    x = Value(0.5, label="x")
    out = Value(math.tanh(0.5), (x,), "tanh2")
    out.label = "o"

    def _backward() -> None:
        x.grad += (1 - out.data**2) * out.grad

    out._backward = _backward
    with pytest.raises(UnsupportedGraphError, match="'o'.*'tanh2'"):
        script_of(out)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                    reason="torch is not installed here (the project does not depend on it); "
                           "the stand-in tests above check the script without it")
def test_pytorch_agrees_with_our_grads(tmp_path) -> None:
    path = tmp_path / "check.py"
    path.write_text(export(evaluate(EVERY_OP).output, "pytorch"))
    done = subprocess.run([sys.executable, "-W", "ignore", str(path)], capture_output=True,
                          text=True, timeout=300, check=True)
    largest = float(re.search(r"^largest difference: (\S+)$", done.stdout, re.M)[1])
    assert largest < 1e-12, done.stdout
