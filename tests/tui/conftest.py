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
