"""``loads_in_pieces`` is ``json.loads`` a piece at a time: the same value for every text,
and the same error (message, line, column) for every malformed one."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd.json_pieces as pieces
from micrograd.export import iter_json
from micrograd.json_pieces import loads_in_pieces
from micrograd.nn import MLP
from micrograd.value import Value

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
documents = st.dictionaries(st.text(max_size=5), st.lists(values, max_size=30) | values,
                            max_size=4)


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of a few characters, so that small documents are cut in many places."""
    monkeypatch.setattr(pieces, "PIECE", 7)


def outcome(decode, text: str) -> tuple[str, object]:
    try:
        return "value", decode(text)
    except json.JSONDecodeError as error:
        return "error", (error.msg, error.lineno, error.colno, error.pos)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, 0, 1, 2]), st.sampled_from([(",", ": "), (",", ":")]))
def test_the_same_value_as_json_loads(document: dict, indent: int | None,
                                      separators: tuple[str, str]) -> None:
    text = json.dumps(document, indent=indent, separators=separators)
    assert loads_in_pieces(text) == json.loads(text)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, 1]), st.data())
def test_the_same_error_as_json_loads(document: dict, indent: int | None, data) -> None:
    """A document broken anywhere (a character dropped, or one put in) fails exactly as
    ``json.loads`` fails, or is read the same where the change left it valid."""
    text = json.dumps(document, indent=indent)
    at = data.draw(st.integers(0, len(text)))
    inserted = data.draw(st.sampled_from(["", ",", "]", "}", "[", "\n", "x", '"']))
    broken = text[:at] + inserted + text[at + (not inserted):]
    assert outcome(loads_in_pieces, broken) == outcome(json.loads, broken)


@pytest.mark.parametrize("text", [
    "", " ", "{", "{}", " {} ", "{} x", "[1, 2]", "3", '"s"', "\ufeff{}", '{"a": [}',
    '{"a": [1 2]}', '{"a": [1,]}', '{"a": []}', '{"a": [ ] , "b" : [ 1 ] }', '{"a" 1}',
    '{"a": 1,}', '{1: 2}', '{"a": [NaN, Infinity, -Infinity]}', '{"a": [1e999999]}',
    '{"a": 1, "a": [2]}', '{"a": [\n1,\n2,\n]}', '{"a": [\n1,\n2\n]\n}\n',
])
def test_edge_cases_as_json_loads(text: str) -> None:
    assert repr(outcome(loads_in_pieces, text)) == repr(outcome(json.loads, text))


def test_a_graph_export_read_in_pieces() -> None:
    """The file shape the explorer reads most: an element a line, many pieces."""
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    text = "".join(iter_json(MLP(2, [4, 1])(x)))
    assert len(text) > 50 * pieces.PIECE
    assert loads_in_pieces(text) == json.loads(text)


def test_bytes_go_to_json_loads_whole() -> None:
    """Only text is read in pieces; bytes (json.loads works out their encoding) and
    anything else go to json.loads, and fail as they fail there."""
    assert loads_in_pieces('{"a": [1]}'.encode("utf-16")) == {"a": [1]}  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        loads_in_pieces(None)  # type: ignore[arg-type]
