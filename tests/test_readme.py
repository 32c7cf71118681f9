"""The README's examples run as printed and give the printed results."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```(?:\n\nprints\n\n```\n(.*?)```)?", re.S)


def examples() -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(README.read_text())]


def test_the_readme_has_the_seed_examples() -> None:
    codes = [code for code, _ in examples()]
    assert any("a = Value(2.0, _label='a')" in code for code in codes)
    assert any("b = Value(6.88137)" in code for code in codes)
    assert sum(1 for _, printed in examples() if printed) >= 2


@pytest.mark.parametrize("index", range(len(examples())))
def test_readme_example_runs_and_prints_what_it_says(index: int) -> None:
    code, printed = examples()[index]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README example {index}", "exec"), {})  # trusted: our own README
    if printed is not None:
        assert out.getvalue() == printed


def test_the_readme_format_table_is_the_registry() -> None:
    """Each row of the README's export table is a Format's name and description, in order."""
    from micrograd.export import FORMATS

    text = README.read_text()
    table = text[text.index("| format | for |"):].split("\n\n")[0].splitlines()[2:]
    rows = [row.strip("| ").split(" | ", 1) for row in table]
    assert rows == [[f"`{fmt.name}`", fmt.description] for fmt in FORMATS.values()]


def test_the_readme_lesson_example_is_a_sound_lesson(tmp_path: Path) -> None:
    """The README's lesson file reads, and its numbers are the engine's."""
    from tui.lessons.lesson import load_lesson
    from tui.lessons.numbers import check_lesson

    block = re.search(r"```toml\n(.*?)```", README.read_text(), re.S)
    assert block is not None
    path = tmp_path / "example.toml"
    path.write_text(block.group(1), encoding="utf-8")
    lesson = load_lesson(path)
    assert [page.goal.kind if page.goal else None for page in lesson.pages] == ["backward", None]
    assert check_lesson(lesson) == []


def test_the_readme_lists_every_lesson() -> None:
    """The "Lessons" list names each bundled lesson by its title, in order."""
    from tui.lessons.lesson import bundled_lessons

    text = README.read_text()
    listed = re.findall(r"^\d\. \*\*(.+?)\*\*(?!\*)", text[text.index("## Lessons"):], re.M)
    assert [title.replace("\\*", "*") for title in listed] == [
        lesson.title for lesson in bundled_lessons()]


def test_the_reuse_example_is_what_examples_reuse_mg_shows() -> None:
    """Issue 22: the README quoted a.grad totals no shipped example gives."""
    from micrograd.export import export
    from micrograd.expr import evaluate

    text = README.read_text()
    assert "`examples/reuse.mg`, `b = a + a`:\n`a.grad: 0.0 → 2.0`, then `2.0 → 4.0`" in text
    program = evaluate((README.parent / "examples" / "reuse.mg").read_text())
    trace = export(program.output, "trace")
    assert "(a.grad: 0.0 → 2.0; use 1 of 2 in a + a)" in trace
    assert "(a.grad: 2.0 → 4.0; use 2 of 2 in a + a)" in trace
    assert "at step 10 of 11" in text.splitlines()[9]  # the screenshot's caption says
    shot = (README.parent / "docs" / "screenshot.svg").read_text()  # what the picture shows
    assert "step&#160;10&#160;of&#160;11" in shot
