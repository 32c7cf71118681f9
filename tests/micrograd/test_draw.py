"""micrograd.draw: the SVG parses, shows every node, escapes labels, and saves atomically.

The golden file holds the video's ``L`` expression. To write it again after a deliberate
change, run ``UPDATE_GOLDEN=1 uv run pytest tests/micrograd/test_draw.py``, look at the
picture (headless Chromium) and read the diff before committing it.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from micrograd import Value
from micrograd.draw import Drawing, draw_dot, iter_svg, to_svg
from micrograd.export import FORMATS, export
from micrograd.fmt import fmt_number
from micrograd.value import topological_order

GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"

HOSTILE_LABELS = ['a"b', "<tag>&amp;", "</svg>", "line\nbreak", "cr\r\nx", "nul\x00bell\x07",
                  "esc\x1b[31m", "]]> <!--", "é σ 漢字 🙂", "\ud800 lone", "'quoted'"]


def video_expression() -> Value:
    """The first expression of the video, after ``L.backward()``."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    f = Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return L


def texts(svg: str) -> list[str]:
    """The text of every ``<text>`` element, tspans included, as a reader would see it."""
    root = ET.fromstring(svg)
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_the_svg_parses_and_shows_every_node() -> None:
    L = video_expression()
    svg = draw_dot(L).svg
    shown = texts(svg)
    for node in topological_order(L):
        assert node.label in shown
        assert f"data {fmt_number(node.data)}" in shown
        assert f"grad {fmt_number(node.grad)}" in shown
    assert "grad 6.0" in shown and "grad -4.0" in shown  # a and b, after backward
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}g/{SVG}path")) == 6  # one arrow per operand
    assert len(root.findall(f"{SVG}g/{SVG}title")) == 7  # a hover text per node


def test_ops_and_constants_are_titled_as_on_the_canvas() -> None:
    x = Value(3.0, label="x")
    y = (x * 2.0).tanh()
    shown = texts(to_svg(y))
    assert {"*", "tanh", "const", "2.0", "#2", "#3"} <= set(shown)  # unnamed: #row


def test_x_times_x_draws_two_edges() -> None:
    x = Value(3.0, label="x")
    y = x * x
    root = ET.fromstring(to_svg(y))
    assert len(root.findall(f"{SVG}g/{SVG}path")) == 2


def test_hostile_labels_are_escaped_and_still_parse() -> None:
    total = Value(0.0, label="start")
    for k, label in enumerate(HOSTILE_LABELS):
        total = total + Value(float(k), label=label)
        total.label = label[::-1]
    for rankdir in ("LR", "TB"):
        svg = to_svg(total, rankdir)
        root = ET.fromstring(svg)  # a raw < or & or a control character would fail here
        assert "</svg>" not in svg[:-8] and "<tag>" not in svg and "\x1b" not in svg
        hovers = "\n".join(t.text or "" for t in root.iter(f"{SVG}title"))
        assert 'a"b' in hovers and "<tag>&amp;" in hovers and "'quoted'" in hovers
        assert "line\\nbreak" in hovers  # one line: unprintables written as escapes
    svg.encode("utf-8")  # a lone surrogate would not encode


def test_long_names_are_cut_to_the_box_as_on_the_canvas() -> None:
    y = Value(1.0, label="a_very_long_name_indeed").tanh()
    y.label = "another_very_long_name"
    shown = texts(to_svg(y))
    assert "a_very_long_nam…" in shown and "another_v…" in shown
    assert "another_very_long_name = 0.7616 (grad 0.0) [tanh(a_very_long_name_indeed)]" in (
        to_svg(y))  # the hover shows it whole


def test_rankdir() -> None:
    L = video_expression()
    lr, tb = to_svg(L, "LR"), to_svg(L, rankdir="TB")
    assert lr != tb
    assert sorted(texts(tb)) == sorted(texts(lr))  # the same boxes, placed otherwise
    wide, tall = ET.fromstring(lr), ET.fromstring(tb)
    assert int(wide.get("width")) > int(tall.get("width"))
    assert int(tall.get("height")) > int(wide.get("height"))
    for bad in ("RL", "lr", "", "BT"):
        with pytest.raises(ValueError, match=r"^rankdir must be 'LR' or 'TB', not "):
            draw_dot(L, bad)
    with pytest.raises(ValueError, match="rankdir"):
        next(iter_svg(L, "XX"))


def test_boxes_do_not_overlap_and_arrows_reach_them() -> None:
    x = Value(0.5, label="x")
    out = x
    for k in range(4):
        out = (out * Value(k + 1.0, label=f"w{k}") + x).tanh()
    for rankdir in ("LR", "TB"):
        root = ET.fromstring(to_svg(out, rankdir))
        rects = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))
                 for r in root.iter(f"{SVG}rect") if r.get("rx")]
        assert len(rects) == len(topological_order(out))
        for i, (ax, ay, aw, ah) in enumerate(rects):
            for bx, by, bw, bh in rects[i + 1:]:
                assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
        for path in root.iter(f"{SVG}path"):
            if path.get("d", "").startswith("M0,0"):
                continue  # the arrowhead's own shape
            ex, ey = (float(v) for v in path.get("d").split()[-1].split(","))
            # The arrow's tip is on the border of some box: its left side, or its top.
            assert any((ex == round(bx - 0.5) and by < ey < by + bh) if rankdir == "LR"
                       else (ey == round(by - 0.5) and bx < ex < bx + bw)
                       for bx, by, bw, bh in rects), (rankdir, ex, ey)


def test_drawing_shows_itself_in_jupyter() -> None:
    drawing = draw_dot(video_expression())
    assert isinstance(drawing, Drawing)
    assert drawing._repr_svg_() == drawing.svg
    bundle = drawing._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"] == drawing.svg
    assert bundle["text/plain"] == repr(drawing)
    assert repr(drawing) == "<Drawing of 7 nodes and 6 edges: L = -8.0 (grad 1.0) [d * f]>"
    assert set(drawing._repr_mimebundle_(include={"text/plain"})) == {"text/plain"}
    assert set(drawing._repr_mimebundle_(exclude={"text/plain"})) == {"image/svg+xml"}


def test_a_drawing_keeps_the_numbers_of_its_moment() -> None:
    a = Value(2.0, label="a")
    drawing = draw_dot(a)
    a.data = 5.0
    assert "data 2.0" in texts(drawing.svg) and "data 5.0" in texts(draw_dot(a).svg)


def test_save_writes_atomically(tmp_path: Path, monkeypatch) -> None:
    drawing = draw_dot(video_expression())
    path = tmp_path / "L.svg"
    assert drawing.save(path) == path
    assert path.read_text(encoding="utf-8") == drawing.svg
    path.write_text("old")
    os.chmod(path, 0o640)
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)),
                                                     real_replace(a, b)))
    drawing.save(str(path))
    assert path.read_text(encoding="utf-8") == drawing.svg
    assert path.stat().st_mode & 0o777 == 0o640  # replaced, with its mode kept
    (temporary, target), = replaced
    assert Path(temporary).parent == tmp_path and Path(target) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L.svg"]  # no temporary left


def test_a_failed_save_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "L.svg"
    path.write_text("old")

    def fail(a: str, b: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        draw_dot(Value(1.0)).save(path)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L.svg"]


def test_svg_is_an_export_format() -> None:
    L = video_expression()
    assert FORMATS["svg"].extension == ".svg"
    assert export(L, "svg") == to_svg(L) == "".join(iter_svg(L))


def test_golden_video_expression() -> None:
    path = GOLDEN / "video_L.svg"
    svg = draw_dot(video_expression()).svg
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(svg.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert svg == path.read_bytes().decode("utf-8")


def test_a_graph_too_large_to_look_at_is_refused(monkeypatch) -> None:
    from micrograd import draw

    monkeypatch.setattr(draw, "MAX_NODES", 5)
    x = Value(1.0, label="x")
    y = x
    for _ in range(5):
        y = y * 2
    with pytest.raises(draw.DrawingTooLargeError, match="11 nodes is too large.*at most 5"):
        draw.draw_dot(y)
