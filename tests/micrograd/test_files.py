"""Atomic writes: the old file or the new one, never half of either."""

from __future__ import annotations

from pathlib import Path

import pytest

from micrograd.files import OutputPathError, write_atomic


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

    monkeypatch.setattr("micrograd.files.os.replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


# --- one home for every file written (issue 25.2) ---------------------------------------------


def _no_umask_change(*args):
    raise AssertionError("the process umask must not change: the app is threaded")


def test_a_new_file_gets_the_umask_without_changing_it(tmp_path: Path, monkeypatch) -> None:
    import os

    old = os.umask(0o027)
    try:
        monkeypatch.setattr("os.umask", _no_umask_change)
        write_atomic(tmp_path / "new.txt", "x")
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640


def test_a_drawing_is_saved_by_the_same_rules(tmp_path: Path, monkeypatch) -> None:
    from micrograd import Value
    from micrograd.draw import draw_dot

    monkeypatch.setattr("os.umask", _no_umask_change)
    a = Value(2.0, label="a")
    drawing = draw_dot(a * a)
    target = tmp_path / "real.svg"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    assert drawing.save(link) == target  # the link's target is replaced, the link stays
    assert link.is_symlink() and target.read_text() == drawing.svg
    assert target.stat().st_mode & 0o777 == 0o640
    assert drawing.save("/dev/null") == Path("/dev/null")  # a device: written in place
    assert Path("/dev/null").is_char_device()


def test_rows_are_written_where_the_file_is_and_readable_at_once(tmp_path: Path) -> None:
    from micrograd.files import open_for_rows

    handle, written = open_for_rows(tmp_path / "log.csv")
    with handle:
        handle.write("a,b\n")
        handle.flush()
        assert written.read_text() == "a,b\n"  # what tail -f sees during a run


def test_read_capped_refuses_what_is_not_a_small_regular_file(tmp_path: Path) -> None:
    import os

    from micrograd.files import NotAFileError, TooLargeError, read_capped

    small = tmp_path / "small"
    small.write_bytes(b"12345")
    assert read_capped(small, 5) == b"12345"
    with pytest.raises(TooLargeError, match="larger than 4 bytes"):
        read_capped(small, 4)
    with pytest.raises(NotAFileError, match="not a regular file"):
        read_capped("/dev/zero", 10)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(NotAFileError, match="not a regular file"):
        read_capped(fifo, 10)  # opened without waiting for a writer
    link = tmp_path / "link"
    link.symlink_to(small)
    assert read_capped(link, 10) == b"12345"
    with pytest.raises(NotAFileError, match="symbolic link"):
        read_capped(link, 10, follow_links=False)
