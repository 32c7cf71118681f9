"""tui.theme: the lesson's colours follow Textual's theme, and stay apart from each other."""

from __future__ import annotations

from textual.color import Color
from textual.theme import BUILTIN_THEMES

from micrograd.presets import classic_neuron
from tui.app import ExplorerApp
from tui.theme import lesson_variables
from tui.widgets.dag_canvas import DagCanvas
from tui.widgets.node_table import NodeTable


def test_a_light_theme_gets_the_readable_variants() -> None:
    dark = BUILTIN_THEMES["textual-dark"].to_color_system().generate()
    light = BUILTIN_THEMES["textual-light"].to_color_system().generate()
    assert lesson_variables(BUILTIN_THEMES["textual-dark"])["grad-positive"] == dark["success"]
    assert lesson_variables(BUILTIN_THEMES["textual-light"])["grad-positive"] == (
        light["text-success"]
    )


def test_just_changed_stays_apart_from_this_step_in_every_theme() -> None:
    for name, theme in BUILTIN_THEMES.items():
        colors = lesson_variables(theme)
        step, changed = Color.parse(colors["this-step"]), Color.parse(colors["just-changed"])
        distance = sum((a - b) ** 2 for a, b in zip(step.rgb, changed.rgb, strict=True)) ** 0.5
        assert distance > 100, name


async def test_the_panels_follow_a_change_of_theme() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("b", "space", "space")
        canvas, table = app.query_one(DagCanvas), app.query_one(NodeTable)
        for name in ["textual-light", "nord", "textual-dark"]:
            app.theme = name
            await pilot.pause()
            colors = lesson_variables(app.current_theme)
            for widget, part in [(canvas, "dag-canvas--current"),
                                 (table, "node-table--current")]:
                color = widget.get_component_rich_style(part).color
                assert color is not None
                assert Color.from_rich_color(color) == Color.parse(colors["this-step"]), name
            changed = canvas.get_component_rich_style("dag-canvas--changed").color
            assert Color.from_rich_color(changed) == Color.parse(colors["just-changed"])
            # What the canvas paints with (its cache of styles is dropped on the change).
            painted = canvas._style("dag-canvas--changed").color
            assert Color.from_rich_color(painted) == Color.parse(colors["just-changed"])
