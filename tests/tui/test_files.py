"""Atomic writes: the old file or the new one, never half of either."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.files import OutputPathError, write_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "first\n")
    write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing" / "out.txt", "does not exist"),
        (lambda tmp: "", "empty"),
    ],
)
def test_bad_paths_are_refused_and_nothing_is_written(tmp_path: Path, make, words) -> None:
    with pytest.raises(OutputPathError, match=words):
        write_atomic(make(tmp_path), "text")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.files.os.replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
