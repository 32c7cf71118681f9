"""Fixtures for the app's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App


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
