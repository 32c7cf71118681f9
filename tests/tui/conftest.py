"""Fixtures for the app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from textual.app import App
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet


@pytest.fixture
def said() -> Callable[[App], list[str]]:
    """The messages an app has shown as notifications, oldest first. Textual keeps them in
    the private ``App._notifications`` and offers no public list; if it renames that, every
    test using this fixture fails here, in one place."""

    def messages(app: App) -> list[str]:
        return [notification.message for notification in app._notifications]

    return messages


@pytest.fixture
def snap_compare(snap_compare, monkeypatch: pytest.MonkeyPatch):
    """pytest-textual-snapshot's ``snap_compare``, with ``NO_COLOR`` unset. The stored SVGs
    are pictures in colour; under ``NO_COLOR`` Textual draws in monochrome (decided when the
    App is made, in the test's body), so every picture would differ. ``FORCE_COLOR`` and
    ``TERM`` change nothing in them and stay as they are. Only here is ``NO_COLOR`` unset:
    ``test_environments.py`` runs every screen with it set."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    return snap_compare


@pytest.fixture(autouse=True, scope="session")
def parse_each_stylesheet_once() -> Iterator[None]:
    """Parse each piece of CSS once per test process, not once per app.

    Textual parses every stylesheet afresh for each App (``app.tcss`` and each widget's
    ``DEFAULT_CSS``), and again in full when a screen first shows: about a third of the CPU
    an app's start costs. A test process starts hundreds of apps on the same CSS, so here
    the rules are kept and shared, keyed by everything that makes them (the text, where it
    was read from, its scope and priority, and the theme's variables). Rules are not changed
    after parsing (Textual itself shares them between the parses of one stylesheet), so each
    app gets the same rules it would have parsed. ``Stylesheet._parse_rules`` is private: if
    Textual renames it, this fixture fails here, in one place."""
    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple[object, ...], list[RuleSet]] = {}
    # The variables as a key, for the dict they were last read from: an app parses many
    # pieces in a row with one dict of variables (Textual replaces it, never changes it).
    last: list[object] = [None, frozenset()]

    def parse_once(self: Stylesheet, css: str, read_from: tuple[str, str],
                   is_default_rules: bool = False, tie_breaker: int = 0,
                   scope: str = "") -> list[RuleSet]:
        if last[0] is not self._variables:
            last[:] = [self._variables, frozenset(self._variables.items())]
        key = (css, read_from, is_default_rules, tie_breaker, scope, last[1])
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parse_once)
        yield
