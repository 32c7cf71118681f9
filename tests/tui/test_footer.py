"""The key bar: rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from micrograd.presets import classic_neuron
from tests.tui.test_learn import learn_app, settle
from tui.app import ExplorerApp
from tui.widgets.footer import Footer, shown_keys


def keys_on(app: ExplorerApp) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


def pairs(keys: list[FooterKey]) -> list[tuple[str, str]]:
    return [(key.key, key.description) for key in keys]


async def test_a_box_opened_and_closed_leaves_the_same_keys_unbuilt() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = keys_on(app)
        assert ("space", "Next") in pairs(before)
        for keys in (["question_mark", "escape"], ["enter", "escape"], ["space", "b"]):
            await pilot.press(*keys)
            await pilot.pause()
            after = keys_on(app)
            assert after == before, keys  # the same widgets: nothing was rebuilt
        footer = app.screen.query_one(Footer)
        assert footer._shown == shown_keys(app.screen)


async def test_new_keys_are_shown_when_a_lesson_opens_and_closes() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert ("n", "Page") not in pairs(keys_on(app))
        await pilot.press("L", "enter")  # the first lesson
        await settle(pilot)
        assert ("n", "Page") in pairs(keys_on(app))
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("end", "enter")  # the list's last entry: leave the lesson
        await settle(pilot)
        assert not app.guide.in_lesson
        assert ("n", "Page") not in pairs(keys_on(app))


async def test_a_lesson_given_at_start_shows_its_page_keys() -> None:
    """The lesson opens while the App mounts, when the App's own ``refresh_bindings`` does
    nothing: the guide tells the screens themselves."""
    app = learn_app(4)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["space"] * 9)  # what the lesson asks, and its page turns
        await settle(pilot)
        assert ("n", "Page") in pairs(keys_on(app))
        assert app.screen.query_one(Footer)._shown == shown_keys(app.screen)
